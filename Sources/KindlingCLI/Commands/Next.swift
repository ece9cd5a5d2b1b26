import ArgumentParser
import KindlingControl

/// `kindling next`: the coming prompts, as the daemon will deliver them, and the sessions in
/// the person's calendar that hold prompts.
struct Next: VerbCommand {
    typealias Verb = Request.Next

    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Preview the next prompts (default: the next 5).",
        discussion: """
            With a calendar ([calendar] path), also lists the sessions that hold prompts today and \
            tomorrow: a prompt due during a session waits for its end, and a break that comes as \
            a session ends ([break] after_events) says so.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "How many occurrences to show (1-1000).")
    var count = 5

    @Option(name: .long, help: ArgumentHelp("Start from this ISO 8601 instant instead of now.", valueName: "ISO8601"))
    var from: String?

    func validate() throws {
        guard (1...1000).contains(count) else { throw ValidationError("--count must be from 1 to 1000") }
    }

    func run() throws {
        let result = try global.call(Verb(count: count, from: from))
        if global.json { return try global.printJSON(result) }
        if result.occurrences.isEmpty { print("Nothing is scheduled: every slot is switched off.") }
        for item in result.occurrences {
            var line = "\(Self.readable(item.at))  \(item.name)"
            if item.afterSession == true { line += " after a session" }
            if let until = item.heldUntil { line += " (held by a session until \(Self.readable(until)))" }
            print(line)
        }
        guard let held = result.held else { return }
        print("")
        if held.isEmpty {
            print("No session holds prompts today or tomorrow.")
            return
        }
        print("Sessions hold prompts (they wait for each to end):")
        for period in held { print("  \(Self.readable(period.start)) to \(Self.readable(period.end))") }
    }

    /// "2026-11-22T08:00:00.000+01:00" → "2026-11-22 08:00 +01:00".
    static func readable(_ timestamp: String) -> String {
        guard timestamp.count >= 29 else { return timestamp }
        let chars = Array(timestamp)
        return String(chars[0..<10]) + " " + String(chars[11..<16]) + " " + String(chars[23...])
    }
}
