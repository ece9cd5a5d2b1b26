import Foundation
import KindlingControl
import KindlingCore

/// `snooze`: a waiting prompt comes back after a while (the configured snooze by default).
enum SnoozeHandler {
    static func handle(_ lifecycle: PromptLifecycle, id: Int64?, duration: String?) -> Result<PromptResult, ControlError> {
        var length = lifecycle.config.delivery.snooze
        if let duration {
            do {
                length = try ConfigDuration(parsing: duration)
            } catch {
                return .failure(ControlError(.badRequest, "snooze for \"\(duration)\": \(error.message)"))
            }
        }
        do {
            let (delivery, deliveryID) = try lifecycle.openPrompt(id, toBe: "snoozed")
            let until = lifecycle.clock.now.addingTimeInterval(length.timeInterval)
            let zone = lifecycle.timeZone
            guard until < delivery.expiresAt else {
                return .failure(
                    ControlError(
                        .conflict,
                        "prompt \(deliveryID) is open only until \(Timestamp.string(delivery.expiresAt, in: zone)); snooze it for less"
                    ))
            }
            let snoozed = try lifecycle.snooze(deliveryID, until: until, length: length)
            return .success(
                PromptResult(
                    id: deliveryID, slot: snoozed.slot, text: snoozed.promptText, status: "snoozed",
                    until: Timestamp.string(until, in: zone)))
        } catch let error as ControlError {
            return .failure(error)
        } catch {
            return .failure(ControlError(.storage, "the snooze could not be recorded: \(error)"))
        }
    }
}
