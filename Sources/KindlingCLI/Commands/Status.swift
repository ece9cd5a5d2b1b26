import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling status`: is the daemon running, what comes next, and what is wrong.
struct Status: VerbCommand {
    typealias Verb = Request.Status

    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's state: next prompts, pending prompts, problems.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Self.show(socket: global.socketPath, json: global.json)
    }

    /// Asks the daemon at `socket` and prints the answer. JSONDecoder and JSONEncoder are
    /// left out (see ``FastPath``): the result is read from and printed as a ``JSONValue``,
    /// in the same bytes `printJSON` writes.
    static func show(socket: String, json: Bool) throws(CLIError) {
        let status = try GlobalOptions.call(socket: socket, Verb(), reading: StatusResult.init(json:))
        if json {
            var compact: [UInt8] = []
            status.appendJSON(to: &compact)
            print(String(decoding: JSONValue.parse(compact)?.prettyPrinted() ?? compact, as: UTF8.self))
        } else {
            print(render(status))
        }
    }

    static func render(_ s: StatusResult) -> String {
        var lines = ["kindlingd \(s.version) is running (pid \(s.pid), up \(Self.duration(s.uptimeS)))"]
        lines.append("  \(Terminal.safe(s.statusLine))")
        lines.append("  pending:       \(s.pending.isEmpty ? "nothing waiting" : "\(s.pending.count) prompt(s)")")
        lines.append("  paused:        \(s.paused ? "yes" + (s.pausedUntil.map { " until \($0)" } ?? "") : "no")")
        lines.append("  time zone:     \(s.timezone)")
        let kept =
            switch s.encryption?.journal {
            case "encrypted": " (encrypted)"
            case "plaintext": " (not encrypted)"
            default: ""
            }
        lines.append("  journal:       \(s.journal == "ok" ? s.databasePath + kept : "unavailable: \(s.journal)")")
        lines.append("  config:        \(s.configPath)")
        lines.append("  notifications: \(s.notifications)")
        if let quiet = s.desktop?.quietSources, !quiet.isEmpty {
            let names = quiet.map(Terminal.safe).joined(separator: ", ")
            lines.append("  quiet:         do-not-disturb (\(names)); prompts wait until it ends")
        }
        if let error = s.lastError { lines.append("  last problem:  \(Terminal.safe(error))") }
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h \(total % 3600 / 60)m" }
        return "\(total / 86_400)d \(total % 86_400 / 3600)h"
    }
}
