import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `entry`: one answer or note, by id (the CLI's editor and delete confirmation show it).
enum EntryHandler {
    static func handle(_ daemon: Daemon, id: Int64) -> Result<JournalEntry, ControlError> {
        do throws(StoreError) {
            guard let entry = try daemon.journal.entry(id: id) else {
                return .failure(Daemon.noSuchEntry(id))
            }
            return .success(daemon.journalEntry(entry))
        } catch {
            return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
        }
    }
}

extension Daemon {
    /// The local date of `instant` in the person's zone: the day an entry belongs to.
    func journalDate(of instant: Date) -> LocalDate {
        Schedule(configuration: config, timeZone: timeZone).localDate(of: instant)
    }

    /// An entry as the protocol shows it.
    func journalEntry(_ entry: EntryRecord) -> JournalEntry {
        let zone = timeZone
        switch entry {
        case .answer(let answer):
            return JournalEntry(
                id: entry.id, type: "answer", slot: answer.slot, prompt: answer.promptText, text: answer.text,
                mood: answer.mood, energy: answer.energy, at: Timestamp.string(answer.answeredAt, in: zone),
                localDate: answer.localDate, editedAt: answer.editedAt.map { Timestamp.string($0, in: zone) })
        case .note(let note):
            return JournalEntry(
                id: entry.id, type: "note", kind: note.kind?.rawValue, text: note.text, mood: note.mood,
                energy: note.energy, at: Timestamp.string(note.createdAt, in: zone), localDate: note.localDate,
                editedAt: note.editedAt.map { Timestamp.string($0, in: zone) })
        }
    }

    static func noSuchEntry(_ id: Int64) -> ControlError {
        ControlError(.notFound, "there is no entry \(id); `kindling journal` shows each entry's id")
    }

    /// A failed journal write, worded for the person (`what`: "your note was NOT saved"); storage
    /// failures are remembered for `status`.
    func journalWriteFailure(_ error: StoreError, id: Int64? = nil, _ what: String) -> ControlError {
        switch error {
        case .notFound:
            return id.map(Self.noSuchEntry) ?? ControlError(.notFound, error.description)
        case .rejected:
            return ControlError(.badRequest, "\(what): \(error.description)")
        default:
            recordProblem("\(what): \(error.description)")
            return ControlError(.storage, "\(what): \(error.description)")
        }
    }
}
