import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling stats`: streaks, answers per slot, mood and energy, and a calendar of the last weeks.
struct Stats: VerbCommand {
    typealias Verb = Request.Stats

    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Your practice over the last weeks: streaks, answers, mood and energy, a calendar.",
        discussion:
            "Streaks count practised days, forgive two quiet days in each week (Monday to Sunday) and step over days when Kindling was paused. `streaks = false` in the config hides them."
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp("How many weeks to show at most, 1 to 52 (default 8); none before your first entry.", valueName: "N"))
    var weeks = 8

    func validate() throws {
        guard (1...52).contains(weeks) else { throw ValidationError("--weeks must be from 1 to 52") }
    }

    func run() throws {
        try Self.show(socket: global.socketPath, json: global.json, weeks: weeks)
    }

    /// Asks the daemon and prints its answer: the parsed command and ``FastPath`` both end here.
    static func show(socket: String, json: Bool, weeks: Int) throws(CLIError) {
        // Read and printed without JSONDecoder or JSONEncoder, as `journal` is.
        let (reply, result) = try GlobalOptions.call(
            socket: socket, Verb(weeks: weeks), reading: { json in StatsResult(json: json).map { (json, $0) } })
        if json { return print(String(decoding: reply.prettyPrinted(), as: UTF8.self)) }
        print(StatsText.render(result, unicode: isatty(1) == 1), terminator: "")
    }
}

/// `kindling stats` as text. With `unicode` false (stdout is not a terminal) only ASCII is used.
enum StatsText {
    static func render(_ stats: StatsResult, unicode: Bool) -> String {
        let weekCount = stats.weeks.count
        var out = ""
        // `streaks = false` sends neither: no count of days is shown.
        if let streak = stats.streak {
            out += self.streak(streak) + "\n"
            out += "Streaks forgive two quiet days a week and step over paused days.\n"
        }
        let span = weekCount == 1 ? "this week" : "the last \(weekCount) weeks"
        if let practised = stats.practisedDays, practised > 0 {
            let days = practised == 1 ? "one day" : "\(practised) days"
            out += "You practised kindness on \(days) in \(span).\n"
        }
        if !out.isEmpty { out += "\n" }
        out += calendar(stats, unicode: unicode)
        out += "\n" + perSlot(stats)
        out += "\n" + feelings(stats, unicode: unicode)
        return out
    }

    static func streak(_ streak: StatsResult.Streak) -> String {
        var out: String
        if streak.current > 0, let since = streak.currentSince {
            out = "Streak: \(days(streak.current)), since \(JournalText.heading(since))."
        } else if streak.best > 0 {
            // Between streaks nothing is said about the one that ended: only the best is shown.
            out = "Any answer or note makes today a practised day."
        } else {
            out = "Your streak begins with your first answer or note."
        }
        if streak.best > 0, streak.best > streak.current || streak.current == 0, let from = streak.bestSince,
            let to = streak.bestUntil
        {
            out += " Best so far: \(days(streak.best)) (\(JournalText.shortDate(from)) to \(JournalText.shortDate(to)))."
        }
        return out
    }

    private static func days(_ count: Int) -> String { count == 1 ? "1 practised day" : "\(count) practised days" }

    /// One column a week (oldest on the left), one row a weekday; darker is more entries.
    static func calendar(_ stats: StatsResult, unicode: Bool) -> String {
        let shades = unicode ? ["·", "░", "▒", "▓", "█"] : [".", "-", "+", "*", "#"]
        var counts: [String: Int] = [:]
        for day in stats.days { counts[day.date] = day.answers + day.notes }
        guard let from = LocalDate(stats.from) else { return "" }
        var out = "Calendar, one column a week (\(shades[0]) none, \(shades[1...].joined()) more):\n"
        for weekday in Weekday.allCases {
            var row = "  " + weekday.shortName.capitalizedFirst + " "
            for week in 0..<stats.weeks.count {
                let date = from.adding(days: 7 * week + weekday.rawValue - 1).description
                guard let count = counts[date] else {
                    row += " "  // after today
                    continue
                }
                row += shades[min(count, shades.count - 1)]
            }
            out += row.trimmingTrailingSpaces() + "\n"
        }
        return out
    }

    /// Answers per slot, one row a week.
    static func perSlot(_ stats: StatsResult) -> String {
        var slots: [String] = []
        for week in stats.weeks {
            for count in week.answers where !slots.contains(count.slot) { slots.append(count.slot) }
        }
        // Slot names come from the journal (an import may have brought any): neutralised.
        let columns = slots.map(Terminal.safe) + ["notes"]
        let widths = columns.map { max($0.count, 3) }
        var out = "Week of  " + zip(columns, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n"
        for week in stats.weeks {
            var cells = slots.map { slot in String(week.answers.first { $0.slot == slot }?.count ?? 0) }
            cells.append(String(week.notes))
            let values = zip(cells, widths).map { pad($0, $1) }.joined(separator: "  ")
            out += pad(JournalText.shortDate(week.start), 6, left: true) + "   " + values + "\n"
        }
        return out
    }

    /// Mood and energy, one mark for each day one was given (oldest first).
    static func feelings(_ stats: StatsResult, unicode: Bool) -> String {
        let moods = stats.days.compactMap(\.mood)
        let energies = stats.days.compactMap(\.energy)
        guard !moods.isEmpty || !energies.isEmpty else {
            return "Mood and energy: none given in these weeks (`kindling respond --mood 4 --energy 3` adds them).\n"
        }
        var out = ""
        for (name, values) in [("Mood  ", moods), ("Energy", energies)] where !values.isEmpty {
            out +=
                "\(name)  \(sparkline(values, unicode: unicode))  (1 low to 5 high, \(values.count) day\(values.count == 1 ? "" : "s"))\n"
        }
        return out
    }

    /// ▁▂▃▄▅▆▇█ for values from 1 to 5; the digits themselves without Unicode.
    static func sparkline(_ values: [Double], unicode: Bool) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        return String(
            values.map { value -> Character in
                let clamped = min(max(value, 1), 5)
                if !unicode { return Character(String(Int(clamped.rounded()))) }
                return bars[Int(((clamped - 1) / 4 * Double(bars.count - 1)).rounded())]
            })
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let space = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + space : space + text
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
