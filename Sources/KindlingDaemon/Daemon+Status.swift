import Foundation
import KindlingCore

/// What `status`, STATUS= and the status line say of the schedule: the zone prompts are
/// computed in, and the one line that sums the daemon up.
extension Daemon {
    /// The time zone prompts are computed in.
    var timeZone: TimeZone {
        switch config.timezone {
        case .local: TimeZone.current
        case .named(let name): TimeZone(identifier: name) ?? TimeZone.current
        }
    }

    /// The zone's name as the person wrote it ("UTC" stays "UTC"; Foundation would say "GMT").
    var timeZoneName: String {
        switch config.timezone {
        case .local: TimeZone.current.identifier
        case .named(let name): name
        }
    }

    /// The one human line for STATUS= and `kindling status`.
    func statusLine() -> String {
        var parts: [String] = []
        if let next = upcoming(count: 1).first {
            parts.append("next: \(Schedule.displayName(of: next.slot)) at \(Self.clockTime(next.at, in: timeZone))")
        } else {
            parts.append("no prompts scheduled")
        }
        if let journalSummary {
            // A locked journal holds prompts back as well (Daemon+Encryption).
            let consequence = journalLockHoldsPrompts ? "prompts wait until it opens" : "answers are not being saved"
            parts.append("\(journalSummary): \(consequence)")
        }
        if !callHolders.isEmpty, config.calls.hold {
            parts.append("prompts wait: a call is on (\(callHolders.joined(separator: ", ")))")
        }
        if lastError != nil { parts.append("see `kindling status`") }
        return parts.joined(separator: "; ")
    }

    /// The next `count` occurrences across every enabled slot.
    func upcoming(count: Int) -> [Occurrence] {
        schedule.occurrences(after: clock.now, count: count)
    }

    static func clockTime(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
