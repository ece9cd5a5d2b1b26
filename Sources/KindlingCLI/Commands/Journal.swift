import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling journal`: the history, day by day, newest first.
struct Journal: VerbCommand {
    typealias Verb = Request.Journal

    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "Read your journal, day by day, newest first.",
        discussion: "Each entry shows its id in brackets, for `kindling edit` and `kindling delete`.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The first day: YYYY-MM-DD, today or yesterday.", valueName: "DATE"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("The last day: YYYY-MM-DD, today or yesterday.", valueName: "DATE"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Only answers to this slot's prompts (intention, reflection, ...).", valueName: "S"))
    var slot: String?

    @Option(name: .long, help: ArgumentHelp("Only entries containing this text.", valueName: "TEXT"))
    var search: String?

    @Option(name: .long, help: ArgumentHelp("At most N days (default 30).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, !["today", "yesterday"].contains(value.lowercased()), LocalDate(value) == nil {
                throw ValidationError("\(name) takes a date YYYY-MM-DD, today or yesterday")
            }
        }
        if let limit, !(1...10_000).contains(limit) { throw ValidationError("--limit must be from 1 to 10000 days") }
    }

    func run() throws {
        try Self.show(
            socket: global.socketPath, json: global.json,
            filter: Filter(since: since, until: until, slot: slot, search: search, limit: limit))
    }

    /// What to read: the options as given (the daemon resolves `today` and `yesterday`).
    struct Filter: Equatable {
        var since: String?
        var until: String?
        var slot: String?
        var search: String?
        var limit: Int?
    }

    /// Asks the daemon and prints its answer: the parsed command and ``FastPath`` both end here.
    static func show(socket: String, json: Bool, filter: Filter) throws(CLIError) {
        // Read and printed without JSONDecoder or JSONEncoder (they were most of this command's
        // time on a large journal): `--json` prints the daemon's result, indented as printJSON would.
        let (reply, result) = try GlobalOptions.call(
            socket: socket,
            Verb(since: filter.since, until: filter.until, slot: filter.slot, search: filter.search, limit: filter.limit),
            reading: { json in JournalResult(json: json).map { (json, $0) } })
        if json { return print(String(decoding: reply.prettyPrinted(), as: UTF8.self)) }
        let filtered = filter.since != nil || filter.until != nil || filter.slot != nil || filter.search != nil
        print(JournalText.render(result, filtered: filtered), terminator: "")
    }
}

/// The journal and its statistics as plain text.
enum JournalText {
    static func render(_ result: JournalResult, filtered: Bool) -> String {
        guard !result.days.isEmpty else {
            return filtered
                ? "Nothing in your journal matches.\n"
                : "Your journal is empty for now. Answer a prompt or save a note (`kindling note TEXT`) to begin.\n"
        }
        var out = ""
        for (index, day) in result.days.enumerated() {
            if index > 0 { out += "\n" }
            out += heading(day.date) + "\n"
            if let intention = day.intention { out += line(intention, label: "Intention") }
            for answer in day.answers {
                // An imported or restored answer may carry any slot name: neutralised like the text.
                let name = Terminal.safe(SlotNames.displayName(of: answer.slot ?? ""))
                let label = name.isEmpty ? "Answer" : name.prefix(1).uppercased() + name.dropFirst()
                out += line(answer, label: label, prompt: answer.prompt)
            }
            for note in day.notes {
                out += line(note, label: note.kind == "given" ? "Given" : note.kind == "received" ? "Received" : "Note")
            }
            if let reflection = day.reflection { out += line(reflection, label: "Reflection") }
            let feelings = [day.mood.map { "Mood \($0)/5" }, day.energy.map { "Energy \($0)/5" }].compactMap { $0 }
            if !feelings.isEmpty { out += "  " + feelings.joined(separator: " · ") + "\n" }
            if let omitted = day.omitted, omitted > 0 {
                let entries = omitted == 1 ? "entry of this day does" : "entries of this day do"
                out += "  (\(omitted) more \(entries) not fit on one page; `kindling export` has every one)\n"
            }
        }
        if result.more, let last = result.days.last, let date = LocalDate(last.date) {
            out += "\nOlder days: add --until \(date.adding(days: -1)).\n"
        }
        return out
    }

    /// "Saturday 21 November 2026".
    static func heading(_ date: String) -> String {
        guard let day = LocalDate(date) else { return date }
        return "\(dayAndMonth(day)) \(day.year)"
    }

    /// "Saturday 21 November": the day named from the date alone, with no calendar to load
    /// (nor Foundation's locale-aware `capitalized`: the names are plain ASCII).
    static func dayAndMonth(_ day: LocalDate) -> String {
        let weekday = day.weekday.fullName
        return weekday.prefix(1).uppercased() + weekday.dropFirst() + " \(day.day) \(monthNames[day.month - 1])"
    }

    /// "21 Nov".
    static func shortDate(_ date: String) -> String {
        guard let day = LocalDate(date) else { return date }
        return "\(day.day) \(monthNames[day.month - 1].prefix(3))"
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// `  [12] Label: text`, the prompt (when given) on the line before the text, continuation lines indented.
    static func line(_ entry: JournalEntry, label: String, prompt: String? = nil) -> String {
        // Stored text never reaches the terminal raw: escape sequences in it are neutralised.
        var text = Terminal.safe(entry.text)
        // Continuation lines are indented under the first; most texts have only the one.
        if text.utf8.contains(UInt8(ascii: "\n")) {
            text = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
        }
        var out = "  [\(entry.id)] " + label
        if let prompt, !prompt.isEmpty {
            out += ": \u{201C}" + Terminal.safe(prompt) + "\u{201D}\n" + indent + text
        } else {
            out += ": " + text
        }
        if entry.editedAt != nil { out += " (edited)" }
        return out + "\n"
    }

    private static let indent = String(repeating: " ", count: 6)
}
