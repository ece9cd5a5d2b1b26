import Foundation
import KindlingControl
import KindlingStore

/// `edit`: changes an entry's text, mood or energy.
enum EditHandler {
    static func handle(
        _ daemon: Daemon, id: Int64, text: String?, mood: Int?, energy: Int?, expected: String? = nil
    ) -> Result<JournalEntry, ControlError> {
        guard text != nil || mood != nil || energy != nil else {
            return .failure(ControlError(.badRequest, "nothing to change: give a new text, a mood or an energy"))
        }
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed?.isEmpty == true {
            return .failure(
                ControlError(
                    .badRequest, "the new text is empty; nothing was changed (`kindling delete \(id)` removes the entry)"))
        }
        if let trimmed, let refusal = TextLimit.refusal(trimmed, "edit") { return .failure(refusal) }
        for (name, value) in [("mood", mood), ("energy", energy)] {
            if let value, !(1...5).contains(value) {
                return .failure(
                    ControlError(.badRequest, "\(name) must be from 1 to 5 (it was \(value)); nothing was changed"))
            }
        }
        let now = daemon.clock.now
        do throws(StoreError) {
            // Compared and written on the daemon's one queue, which every write goes through:
            // nothing can change the entry between this read and the edit below.
            if let expected, let current = try daemon.journal.entry(id: id), TextDigest.of(current.text) != expected {
                return .failure(
                    ControlError(
                        .conflict,
                        "entry \(id) was changed elsewhere while you were editing it, so your edit would undo that change; nothing was changed"
                    ))
            }
            // The change and its `edited` event, in one transaction.
            let entry = try daemon.journal.editEntryRecording(id: id, text: trimmed, mood: mood, energy: energy, at: now)
            if let trimmed { daemon.eraseOldWords(EntryChange(entry: entry, replacement: trimmed)) }
            return .success(daemon.journalEntry(entry))
        } catch {
            return .failure(daemon.journalWriteFailure(error, id: id, "your edit was NOT saved"))
        }
    }
}
