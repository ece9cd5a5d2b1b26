// Export and import: the journal's entries in time order, a batch at a time from a cursor (so a huge
// journal is never held in memory), and entries brought back in without duplicates.
import Foundation
import GRDB

/// Where an export stands: after the entry written at `at` with entry id `id`.
public struct ExportCursor: Hashable, Sendable {
    public var at: Date
    public var id: Int64

    public init(at: Date, id: Int64) {
        self.at = at
        self.id = id
    }

    /// Before every entry, including one dated before year 1 (`distantPast`), which a journal from
    /// an older Kindling or a damaged file may hold: an export must not leave it out silently.
    public static let start = ExportCursor(at: Date(timeIntervalSince1970: -9e15), id: Int64.min)
}

/// The outcome of an import batch.
public struct ImportCounts: Hashable, Sendable {
    /// New entries saved.
    public var added: Int
    /// Entries the journal already had (same type, instant and text).
    public var skipped: Int
}

extension AppDatabase {
    /// The next `limit` entries (answers and notes) after `cursor`, in the order written (time, then
    /// entry id). Both queries walk an index from the cursor.
    public func exportBatch(after cursor: ExportCursor, limit: Int) throws(StoreError) -> [EntryRecord] {
        try read { db in
            let statements = try ExportStatements(db)
            let (at, id) = (milliseconds(cursor.at), cursor.id)
            let answers = try statements.answers(after: at, id: id, limit: limit)
            let notes = try statements.notes(after: at, id: id, limit: limit)
            let merged = answers.map(EntryRecord.answer) + notes.map(EntryRecord.note)
            return Array(merged.sorted { Self.exportOrder($0) < Self.exportOrder($1) }.prefix(limit))
        }
    }

    /// The cursor just past `entry`.
    public static func cursor(after entry: EntryRecord) -> ExportCursor {
        let (ms, id) = exportOrder(entry)
        return ExportCursor(at: date(milliseconds: ms), id: id)
    }

    private static func exportOrder(_ entry: EntryRecord) -> (Int64, Int64) {
        switch entry {
        case .answer(let answer): (milliseconds(answer.answeredAt), entry.id)
        case .note(let note): (milliseconds(note.createdAt), entry.id)
        }
    }

    /// Saves the entries the journal does not have yet, in one transaction, keeping their times,
    /// dates and (for answers) slot, prompt and channel; ids are new. An entry is already there when
    /// one of the same type has the same instant (to the millisecond) and the same text. Entries given
    /// here get no delivery: they answer no prompt of this journal. `progress` is called now and then
    /// while a large batch is saved (see ``StillWorking``).
    public func importEntries(_ entries: [EntryRecord], at now: Date, progress: StillWorking? = nil) throws(StoreError)
        -> ImportCounts
    {
        try write { db in
            try db.reportingProgress(progress) {
                var counts = ImportCounts(added: 0, skipped: 0)
                let statements = try ImportStatements(db)
                for entry in entries {
                    if try statements.insertIfNew(entry) { counts.added += 1 } else { counts.skipped += 1 }
                }
                if counts.added > 0 {
                    _ = try Self.insertEvent(.imported, at: now, detail: "{\"added\":\"\(counts.added)\"}", db)
                }
                return counts
            }
        }
    }
}
