import KindlingControl
import KindlingCore

/// `fire SLOT`: delivers a prompt of that slot now, through every channel.
enum FireHandler {
    static func handle(_ lifecycle: PromptLifecycle, slot: String) -> Result<PromptResult, ControlError> {
        let slots = lifecycle.config.slotNames
        guard slots.contains(slot) else {
            return .failure(ControlError(.notFound, "there is no slot \"\(slot)\"; slots: \(slots.joined(separator: ", "))"))
        }
        do {
            let delivery = try lifecycle.fire(slot: slot)
            return .success(PromptResult(id: delivery.id ?? 0, slot: slot, text: delivery.promptText, status: "pending"))
        } catch {
            return .failure(ControlError(.storage, "the prompt could not be recorded: \(error.description)"))
        }
    }
}
