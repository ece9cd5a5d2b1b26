import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling` / `kindling today`: the one screen a person opens every day.
struct Today: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: "Show today: your intention, prompts waiting for you, what comes next, the program day.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if global.json { return try global.printJSON(try global.call(Request.Status())) }
        try Self.show(socket: global.socketPath)
    }

    /// Asks the daemon at `socket` and prints the screen. The plain `kindling` and
    /// `kindling today` come here from ``FastPath``, without the argument parser.
    static func show(socket: String) throws(CLIError) {
        let status = try GlobalOptions.call(socket: socket, Request.Status(), reading: StatusResult.init(json:))
        print(render(status, Terminal.standardOutput))
    }

    static func render(_ s: StatusResult, _ t: Terminal) -> String {
        var lines: [String] = [t.bold(Self.heading(s.today))]
        /// One labelled line; `text` is fitted to the width before any colour is added.
        func row(_ label: String, _ text: String, lead: String = "", leadWidth: Int = 0, style: (String) -> String = { $0 }) {
            let padded = label.padded(to: 11)
            lines.append("  " + t.dim(padded) + lead + style(t.fit(text, indent: 13 + leadWidth)))
        }
        if let program = s.program { row("Program", program) }
        if let streak = s.streak, streak > 0 {
            // Told only when there is one: the screen never counts what did not happen.
            row("Practice", streak == 1 ? "1 day in your current streak" : "\(streak) days in your current streak")
        }
        // No intention yet is simply not shown: the day is open, nothing is owed.
        if let intention = s.todaysIntention { row("Intention", "“" + Terminal.safe(intention) + "”") }
        if s.pending.isEmpty {
            row("Waiting", "nothing", style: t.dim)
        } else {
            for (index, prompt) in s.pending.enumerated() {
                let id = "[\(prompt.id)] "
                row(index == 0 ? "Waiting" : "", Terminal.safe(prompt.text), lead: t.warm(id), leadWidth: id.count)
            }
        }
        if let next = s.next.first {
            row("Next", "\(SlotNames.displayName(of: next.slot)) at \(Next.readable(next.at).dropFirst(11).prefix(5))")
        }
        if s.paused { row("Paused", s.pausedUntil.map { "until \(Next.readable($0))" } ?? "until you resume") }
        if s.journal != "ok" { row("Journal", "unavailable: \(s.journal)") }
        if !s.pending.isEmpty {
            lines.append("")
            lines.append(t.dim("  Answer with `kindling respond`, or let it be: `kindling skip`."))
        }
        return lines.joined(separator: "\n")
    }

    /// "Saturday 21 November" from "2026-11-21", "Today" when it is not a date.
    static func heading(_ text: String?) -> String {
        guard let text, let date = LocalDate(text) else { return "Today" }
        return JournalText.dayAndMonth(date)
    }
}
