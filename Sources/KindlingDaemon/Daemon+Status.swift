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

    /// `HH:MM` of `date` in `zone`, by arithmetic on the zone's offset at that instant (the
    /// status line is written after every prompt; a calendar and String(format:) cost more).
    static func clockTime(_ date: Date, in zone: TimeZone) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // Total for any Date; the schedule's never come near the bounds.
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "00:00" }
        let secondOfDay = Timestamp.wallClock(atSecond: Int(seconds), in: zone).secondOfDay
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}
