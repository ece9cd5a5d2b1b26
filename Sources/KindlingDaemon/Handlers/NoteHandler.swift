import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `note`: saves a quick note at any time, an act of kindness given or received, or just a note,
/// with how the person feels if they say (a low energy turns the day's prompts gentle).
enum NoteHandler {
    static func handle(
        _ daemon: Daemon, text: String, kind: String?, mood: Int? = nil, energy: Int? = nil
    ) -> Result<JournalEntry, ControlError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(ControlError(.badRequest, "the note is empty; nothing was saved")) }
        if let refusal = TextLimit.refusal(trimmed, "note") { return .failure(refusal) }
        var noteKind: NoteRecord.Kind?
        if let kind {
            guard let known = NoteRecord.Kind(rawValue: kind) else {
                return .failure(ControlError(.badRequest, "a note is \"given\" or \"received\" (it was \"\(kind.prefix(32))\")"))
            }
            noteKind = known
        }
        for (name, value) in [("mood", mood), ("energy", energy)] {
            if let value, !(1...5).contains(value) {
                return .failure(ControlError(.badRequest, "\(name) must be from 1 to 5 (it was \(value)); nothing was saved"))
            }
        }
        let now = daemon.clock.now
        let today = daemon.journalDate(of: now).description
        do throws(StoreError) {
            let id = try daemon.journal.saveNoteRecording(
                text: trimmed, kind: noteKind, at: now, localDate: today, mood: mood, energy: energy)
            let note = NoteRecord(
                id: id, text: trimmed, kind: noteKind, createdAt: now, localDate: today, mood: mood, energy: energy)
            return .success(daemon.journalEntry(.note(note)))
        } catch {
            return .failure(daemon.journalWriteFailure(error, "your note was NOT saved"))
        }
    }
}
