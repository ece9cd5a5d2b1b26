import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling week`: a look back at one week, as the weekly review shows it.
struct Week: VerbCommand {
    typealias Verb = Request.Week

    static let configuration = CommandConfiguration(
        commandName: "week",
        abstract: "Look back at a week: kindness given and received, mornings and evenings, mood and energy.",
        discussion: """
            Shows the ISO week (Monday to Sunday) holding --date, this week by default. It shows \
            what you wrote down, never what you did not.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp("A day of the week to look back at: YYYY-MM-DD, today or yesterday (default today).", valueName: "D"))
    var date: String?

    func validate() throws {
        if let date, !["today", "yesterday"].contains(date), LocalDate(date) == nil {
            throw ValidationError("--date \"\(date)\" is not a date; write YYYY-MM-DD, today or yesterday")
        }
    }

    func run() throws {
        let result = try global.call(Verb(date: date))
        if global.json { return try global.printJSON(result) }
        print(WeekText.render(result, unicode: isatty(1) == 1), terminator: "")
    }
}

/// `kindling week` as text. The person's words are neutralised for the terminal.
enum WeekText {
    static func render(_ week: WeekResult, unicode: Bool) -> String {
        var out = "The week of \(JournalText.heading(week.start)) to \(JournalText.heading(week.end))\n"
        if week.given.isEmpty && week.received.isEmpty && week.pairs.isEmpty && week.feelings.isEmpty {
            return out + "\nThis week's page is still open. Whatever you write down will gather here.\n"
        }
        if !week.given.isEmpty {
            out += "\nKindness you gave\n"
            for item in week.given { out += "  \(day(item.date))  \(Terminal.safe(item.words))\n" }
        }
        if !week.received.isEmpty {
            out += "\nKindness you received\n"
            for item in week.received { out += "  \(day(item.date))  \(Terminal.safe(item.words))\n" }
        }
        if !week.pairs.isEmpty {
            out += "\nMornings and evenings\n"
            for pair in week.pairs {
                var parts: [String] = []
                if let intention = pair.intention { parts.append("intention “\(Terminal.safe(intention))”") }
                if let reflection = pair.reflection { parts.append("reflected “\(Terminal.safe(reflection))”") }
                out += "  \(day(pair.date))  " + parts.joined(separator: "; ") + "\n"
            }
        }
        let moods = week.feelings.compactMap(\.mood)
        let energies = week.feelings.compactMap(\.energy)
        if !moods.isEmpty || !energies.isEmpty {
            out += "\nMood and energy (1 low to 5 high)\n"
            for (name, values, trend) in [("Mood  ", moods, week.moodTrend), ("Energy", energies, week.energyTrend)]
            where !values.isEmpty {
                out += "  \(name)  \(StatsText.sparkline(values, unicode: unicode))"
                if let trend { out += "  \(trend)" }
                out += "\n"
            }
        }
        return out
    }

    /// "Tue 1 Dec".
    private static func day(_ date: String) -> String {
        guard let parsed = LocalDate(date) else { return date }
        return parsed.weekday.shortName.capitalizedFirst + " " + JournalText.shortDate(date)
    }
}
