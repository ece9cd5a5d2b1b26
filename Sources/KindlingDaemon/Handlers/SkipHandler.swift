import KindlingControl

/// `skip`: lets a waiting prompt go, without question.
enum SkipHandler {
    static func handle(_ lifecycle: PromptLifecycle, id: Int64?) -> Result<PromptResult, ControlError> {
        do {
            let deliveryID = try lifecycle.openPrompt(id, toBe: "skipped").id
            let skipped = try lifecycle.skip(deliveryID)
            return .success(PromptResult(id: deliveryID, slot: skipped.slot, text: skipped.promptText, status: "skipped"))
        } catch let error as ControlError {
            return .failure(error)
        } catch {
            return .failure(ControlError(.storage, "the skip could not be recorded: \(error)"))
        }
    }
}
