import Foundation
import KindlingControl
import KindlingCore

/// `pause`: no prompts for a while (`for`), until a time (`until`), or until `resume`.
/// Never questioned.
enum PauseHandler {
    static func handle(_ daemon: Daemon, duration: String?, until: String?) -> Result<PauseResult, ControlError> {
        let now = daemon.clock.now
        let schedule = Schedule(configuration: daemon.config, timeZone: daemon.timeZone)
        var end: Date?
        switch (duration, until) {
        case (.some, .some):
            return .failure(ControlError(.badRequest, "pause takes either a duration or an end time, not both"))
        case (.some(let text), nil):
            do {
                end = now.addingTimeInterval(try ConfigDuration(parsing: text).timeInterval)
            } catch {
                return .failure(ControlError(.badRequest, "pause for \"\(text)\": \(error.message)"))
            }
        case (nil, .some(let text)):
            if let instant = Timestamp.parse(text) {
                end = instant
            } else if let time = try? TimeOfDay(parsing: text) {
                end = schedule.nextInstant(of: time, after: now)
            } else {
                return .failure(
                    ControlError(.badRequest, "pause until \"\(text)\": give a time such as 18:30 or an ISO 8601 instant"))
            }
            guard let end, end > now else {
                return .failure(ControlError(.badRequest, "pause until \"\(text)\": that moment has already passed"))
            }
        case (nil, nil):
            end = nil
        }
        do {
            let stored = end.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? Scheduler.pausedIndefinitely
            try daemon.journal.setState(stored, forKey: Scheduler.pausedKey, at: now)
            try daemon.journal.recordPauseStarted(at: now, until: end)  // its span: streaks step over it
            let shown = end.map { Timestamp.string($0, in: daemon.timeZone) }
            try daemon.journal.recordEvent(.init(rawValue: "paused"), at: now, detail: shown.map { ["until": $0] })
            daemon.broadcast(Event(event: "paused", until: shown))
            daemon.scheduler.tick()
            daemon.notifier.status(daemon.statusLine())
            return .success(PauseResult(paused: true, pausedUntil: shown))
        } catch {
            return .failure(ControlError(.storage, "the pause could not be recorded: \(error.description)"))
        }
    }
}
