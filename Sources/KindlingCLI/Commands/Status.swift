import ArgumentParser
import Foundation
import KindlingControl

/// `kindling status`: is the daemon running, what comes next, and what is wrong.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's state: next prompts, pending prompts, problems.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let status = try global.call(.status, expecting: StatusResult.self)
        if global.json {
            try global.printJSON(status)
            return
        }
        print(Self.render(status))
    }

    static func render(_ s: StatusResult) -> String {
        var lines = ["kindlingd \(s.version) is running (pid \(s.pid), up \(Self.duration(s.uptimeS)))"]
        lines.append("  \(s.statusLine)")
        lines.append("  pending:       \(s.pending.isEmpty ? "nothing waiting" : "\(s.pending.count) prompt(s)")")
        lines.append("  paused:        \(s.paused ? "yes" + (s.pausedUntil.map { " until \($0)" } ?? "") : "no")")
        lines.append("  time zone:     \(s.timezone)")
        lines.append("  journal:       \(s.journal == "ok" ? s.databasePath : "unavailable: \(s.journal)")")
        lines.append("  config:        \(s.configPath)")
        lines.append("  notifications: \(s.notifications)")
        if let error = s.lastError { lines.append("  last problem:  \(error)") }
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
