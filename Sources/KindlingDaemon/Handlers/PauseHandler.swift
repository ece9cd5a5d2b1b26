import Foundation
import KindlingControl
import KindlingCore

/// `pause`: no prompts for a while (`for`), until a time (`until`), or until `resume`.
/// Never questioned.
enum PauseHandler {
    static func handle(_ lifecycle: PromptLifecycle, duration: String?, until: String?) -> Result<PauseResult, ControlError> {
        let now = lifecycle.clock.now
        let schedule = lifecycle.schedule
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
            return .success(PauseResult(paused: true, pausedUntil: try lifecycle.pause(until: end)))
        } catch {
            return .failure(ControlError(.storage, "the pause could not be recorded: \(error.description)"))
        }
    }
}
