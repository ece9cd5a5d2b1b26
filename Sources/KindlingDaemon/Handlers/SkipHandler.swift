import KindlingControl

/// `skip`: lets a waiting prompt go, without question.
enum SkipHandler {
    static func handle(_ daemon: Daemon, id: Int64?) -> Result<PromptResult, ControlError> {
        do {
            let deliveryID = try daemon.openPrompt(id, toBe: "skipped").id
            let now = daemon.clock.now
            let skipped = try daemon.journal.markDelivery(id: deliveryID, status: .skipped, at: now)
            try daemon.journal.recordEvent(.init(rawValue: "skipped"), at: now, deliveryID: deliveryID)
            daemon.broadcast(daemon.scheduler.event("skipped", skipped))
            daemon.scheduler.tick()
            return .success(PromptResult(id: deliveryID, slot: skipped.slot, text: skipped.promptText, status: "skipped"))
        } catch let error as ControlError {
            return .failure(error)
        } catch {
            return .failure(ControlError(.storage, "the skip could not be recorded: \(error)"))
        }
    }
}
