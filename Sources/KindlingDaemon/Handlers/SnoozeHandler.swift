import Foundation
import KindlingControl
import KindlingCore

/// `snooze`: a waiting prompt comes back after a while (the configured snooze by default).
enum SnoozeHandler {
    static func handle(_ daemon: Daemon, id: Int64?, duration: String?) -> Result<PromptResult, ControlError> {
        var length = daemon.config.delivery.snooze
        if let duration {
            do {
                length = try ConfigDuration(parsing: duration)
            } catch {
                return .failure(ControlError(.badRequest, "snooze for \"\(duration)\": \(error.message)"))
            }
        }
        do {
            let (delivery, deliveryID) = try daemon.openPrompt(id, toBe: "snoozed")
            let now = daemon.clock.now
            let until = now.addingTimeInterval(length.timeInterval)
            guard until < delivery.expiresAt else {
                let zone = daemon.timeZone
                return .failure(
                    ControlError(
                        .conflict,
                        "prompt \(deliveryID) is open only until \(Timestamp.string(delivery.expiresAt, in: zone)); snooze it for less"
                    ))
            }
            let snoozed = try daemon.journal.markDelivery(id: deliveryID, status: .snoozed, at: now, snoozedUntil: until)
            try daemon.journal.recordEvent(
                .init(rawValue: "snoozed"), at: now, deliveryID: deliveryID, detail: ["for": length.description])
            daemon.broadcast(daemon.scheduler.event("snoozed", snoozed))
            daemon.scheduler.tick()
            return .success(
                PromptResult(
                    id: deliveryID, slot: snoozed.slot, text: snoozed.promptText, status: "snoozed",
                    until: Timestamp.string(until, in: daemon.timeZone)))
        } catch let error as ControlError {
            return .failure(error)
        } catch {
            return .failure(ControlError(.storage, "the snooze could not be recorded: \(error)"))
        }
    }
}
