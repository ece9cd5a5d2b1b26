import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `import`: a batch of exported entries; those the journal already has (same type, instant and text)
/// are skipped, the others saved with their original times. The CLI sends a file in batches.
enum ImportHandler {
    static func handle(_ daemon: Daemon, entries: [ExportEntry]) -> Result<ImportResult, ControlError> {
        if let problem = daemon.journalProblem {
            return .failure(ControlError(.storage, "nothing was imported: \(problem)"))
        }
        var records: [EntryRecord] = []
        for (index, entry) in entries.enumerated() {
            switch record(entry) {
            case .success(let record): records.append(record)
            case .failure(let reason):
                return .failure(ControlError(.badRequest, "nothing was imported: entry \(index + 1) of the batch \(reason)"))
            }
        }
        do throws(StoreError) {
            let counts = try daemon.journal.importEntries(records, at: daemon.clock.now)
            return .success(ImportResult(added: counts.added, skipped: counts.skipped))
        } catch {
            return .failure(daemon.journalWriteFailure(error, "nothing was imported"))
        }
    }

    private struct Invalid: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The journal record for an exported entry, or why it cannot be one.
    private static func record(_ entry: ExportEntry) -> Result<EntryRecord, Invalid> {
        guard let at = Timestamp.parse(entry.at) else { return .failure(Invalid("has no valid time \"at\"")) }
        let date = entry.localDate
        guard date.count == 10, LocalDate(date) != nil else {
            return .failure(Invalid("has no valid \"local_date\" (YYYY-MM-DD)"))
        }
        guard !entry.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(Invalid("has no text"))
        }
        var editedAt: Date?
        if let edited = entry.editedAt {
            guard let parsed = Timestamp.parse(edited) else { return .failure(Invalid("has an invalid \"edited_at\"")) }
            editedAt = parsed
        }
        switch entry.type {
        case "answer":
            for (name, value) in [("mood", entry.mood), ("energy", entry.energy)] {
                if let value, !(1...5).contains(value) { return .failure(Invalid("has a \(name) outside 1 to 5")) }
            }
            let channel = entry.channel.flatMap { $0.isEmpty ? nil : EntryChannel(rawValue: $0) } ?? .imported
            return .success(
                .answer(
                    AnswerRecord(
                        deliveryID: nil, slot: entry.slot, promptText: entry.prompt, text: entry.text, mood: entry.mood,
                        energy: entry.energy, channel: channel, answeredAt: at, localDate: date, editedAt: editedAt)))
        case "note":
            var kind: NoteRecord.Kind?
            if let raw = entry.kind {
                guard let known = NoteRecord.Kind(rawValue: raw) else {
                    return .failure(Invalid("has a note kind other than \"given\" or \"received\""))
                }
                kind = known
            }
            return .success(.note(NoteRecord(text: entry.text, kind: kind, createdAt: at, localDate: date, editedAt: editedAt)))
        default:
            return .failure(Invalid("is neither an \"answer\" nor a \"note\""))
        }
    }
}
