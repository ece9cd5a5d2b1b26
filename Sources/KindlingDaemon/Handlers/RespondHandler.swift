import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `respond`: saves an answer to a prompt (the most recent waiting one by default).
/// (Without a journal the request is refused before it gets here: see `DaemonVerb.refusal`.)
enum RespondHandler {
    static func handle(
        _ lifecycle: PromptLifecycle, id: Int64?, text: String, mood: Int?, energy: Int?, channel: String
    ) -> Result<RespondResult, ControlError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(ControlError(.badRequest, "the answer is empty; nothing was saved")) }
        if let refusal = TextLimit.refusal(text, "answer") { return .failure(refusal) }
        for (name, value) in [("mood", mood), ("energy", energy)] {
            if let value, !(1...5).contains(value) {
                return .failure(ControlError(.badRequest, "\(name) must be from 1 to 5 (it was \(value)); nothing was saved"))
            }
        }
        do {
            let delivery = try lifecycle.waitingPrompt(id)
            guard delivery.status != .answered else {
                return .failure(
                    ControlError(
                        .conflict,
                        "prompt \(delivery.id ?? 0) is already answered; nothing was saved (change an answer with `kindling edit`)"
                    ))
            }
            let entry = try lifecycle.answer(
                delivery, text: text, mood: mood, energy: energy, channel: EntryChannel(rawValue: channel))
            return .success(RespondResult(id: entry, promptId: delivery.id))
        } catch let error as ControlError {
            return .failure(error)
        } catch let error as StoreError {
            lifecycle.recordProblem("an answer could not be saved: \(error.description)")
            return .failure(ControlError(.storage, "your answer was NOT saved: \(error.description)"))
        } catch {
            return .failure(ControlError(.storage, "your answer was NOT saved: \(error)"))
        }
    }
}
