import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `respond`: saves an answer to a prompt (the most recent waiting one by default).
enum RespondHandler {
    static func handle(
        _ daemon: Daemon, id: Int64?, text: String, mood: Int?, energy: Int?, channel: String
    ) -> Result<RespondResult, ControlError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(ControlError(.badRequest, "the answer is empty; nothing was saved")) }
        if let refusal = TextLimit.refusal(text, "answer") { return .failure(refusal) }
        for (name, value) in [("mood", mood), ("energy", energy)] {
            if let value, !(1...5).contains(value) {
                return .failure(ControlError(.badRequest, "\(name) must be from 1 to 5 (it was \(value)); nothing was saved"))
            }
        }
        if let problem = daemon.journalProblem {
            return .failure(ControlError(.storage, "your answer was NOT saved: \(problem)"))
        }
        do {
            let delivery = try daemon.waitingPrompt(id)
            guard delivery.status != .answered else {
                return .failure(
                    ControlError(
                        .conflict,
                        "prompt \(delivery.id ?? 0) is already answered; nothing was saved (change an answer with `kindling edit`)"
                    ))
            }
            let now = daemon.clock.now
            // An answer belongs to the day its prompt was for: a reflection written after
            // midnight sits beside that day's intention.
            let entry = try daemon.journal.saveAnswer(
                text: text, mood: mood, energy: energy, channel: EntryChannel(rawValue: channel),
                deliveryID: delivery.id, at: now, localDate: delivery.localDate)
            _ = try? daemon.journal.recordEvent(.init(rawValue: "answered"), at: now, deliveryID: delivery.id, entryID: entry)
            daemon.broadcast(Event(event: "answered", id: delivery.id, slot: delivery.slot))
            daemon.scheduler.tick()
            return .success(RespondResult(id: entry, promptId: delivery.id))
        } catch let error as ControlError {
            return .failure(error)
        } catch let error as StoreError {
            daemon.recordProblem("an answer could not be saved: \(error.description)")
            return .failure(ControlError(.storage, "your answer was NOT saved: \(error.description)"))
        } catch {
            return .failure(ControlError(.storage, "your answer was NOT saved: \(error)"))
        }
    }
}
