// Erasure that keeps its word: when the person edits or deletes an entry, the old words leave every
// place the journal keeps them. Inside the journal that is the row itself (secure_delete zeroes the
// freed bytes), a reflection that quoted a changed intention, and the WAL, which still holds the old
// pages until a checkpoint. Snapshot files are scrubbed the same way, entry by entry.
import Foundation
import GRDB
import KindlingCore

#if canImport(Glibc)
    import Glibc
#endif

/// What changed about one entry, enough to find the same entry in a snapshot of the journal and
/// change it there too. An entry is recognised by its id together with the instant it was written,
/// so a snapshot of another journal (one taken before a restore) never loses an unrelated entry
/// that happens to share the id.
public struct EntryChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case answer, note }

    public let id: Int64
    public let kind: Kind
    /// `answered_at` or `created_at`, in milliseconds: never changed by an edit.
    public let writtenAt: Int64
    /// The new text; nil when the entry was deleted.
    public let replacement: String?

    /// The change for `entry`, now edited to `replacement` (nil: deleted).
    public init(entry: EntryRecord, replacement: String?) {
        switch entry {
        case .answer(let answer):
            self.init(id: answer.id ?? 0, kind: .answer, writtenAt: milliseconds(answer.answeredAt), replacement: replacement)
        case .note(let note):
            self.init(id: note.id ?? 0, kind: .note, writtenAt: milliseconds(note.createdAt), replacement: replacement)
        }
    }

    public init(id: Int64, kind: Kind, writtenAt: Int64, replacement: String?) {
        self.id = id
        self.kind = kind
        self.writtenAt = writtenAt
        self.replacement = replacement
    }
}

extension AppDatabase {
    /// Moves everything the WAL holds into the journal file and truncates the WAL to nothing, so
    /// text that was just edited or deleted survives in no page image. Returns false when a reader
    /// kept the checkpoint from finishing (the caller may try again later).
    @discardableResult
    public func checkpointAndTruncate() -> Bool {
        do {
            return try dbWriter.unsafeReentrantWrite { db in
                // busy is 1 when a reader kept the checkpoint from reaching the end of the WAL.
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (row?[0] as Int64?) == 0
            }
        } catch {
            return false
        }
    }

    /// Applies `change` to the snapshot file at `path`: the matching entry's text is replaced, or
    /// the entry removed, and a reflection that quoted a changed intention is rewritten, with
    /// secure_delete on and a rollback journal that is deleted at commit. Returns whether the
    /// snapshot held the entry. A file that is not a Kindling journal is left alone (returns false).
    @discardableResult
    /// `key`: what the snapshot is encrypted with (nil: plaintext).
    public static func scrubSnapshot(at path: String, key: JournalKey? = nil, applying change: EntryChange)
        throws(StoreError) -> Bool
    {
        var config = Configuration()
        config.label = "Kindling.scrub"
        config.busyMode = .timeout(3)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try JournalKey.apply(key, to: db)
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer {
                try? queue.close()
                ConnectionParking.keep(queue)
            }
            return try queue.writeWithoutTransaction { db -> Bool in
                guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == applicationID else { return false }
                // Snapshots are single files; keep them so (no -wal left beside them).
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                var found = false
                try db.inTransaction {
                    found = try apply(change, db)
                    return found ? .commit : .rollback
                }
                return found
            }
        } catch {
            throw StoreError.wrapping(error, path: path, key: key)
        }
    }

    /// Applies `change` in `db` if the entry is there; true when it was.
    private static func apply(_ change: EntryChange, _ db: Database) throws -> Bool {
        switch change.kind {
        case .note:
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM notes WHERE id = ? AND created_at = ?",
                    arguments: [change.id, change.writtenAt]) != nil
            else { return false }
            if let replacement = change.replacement {
                try db.execute(sql: "UPDATE notes SET text = ? WHERE id = ?", arguments: [replacement, change.id])
            } else {
                try db.execute(sql: "DELETE FROM entries WHERE id = ?", arguments: [change.id])
            }
            return true
        case .answer:
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT slot, text, local_date FROM answers WHERE id = ? AND answered_at = ?",
                    arguments: [change.id, change.writtenAt])
            else { return false }
            if let replacement = change.replacement {
                try db.execute(sql: "UPDATE answers SET text = ? WHERE id = ?", arguments: [replacement, change.id])
            } else {
                try db.execute(sql: "DELETE FROM entries WHERE id = ?", arguments: [change.id])
            }
            if (row["slot"] as String?) == "intention", let old = row["text"] as String?, let day = row["local_date"] as String? {
                try requoteReflections(db, localDate: day, intention: old, replacement: change.replacement)
            }
            return true
        }
    }

    /// Rewrites the reflections of `localDate` that quoted `intention`: their deliveries, and the
    /// answers that copied the delivery's text. The quote follows `replacement`, or goes (nil).
    static func requoteReflections(_ db: Database, localDate: String, intention: String, replacement: String?) throws {
        // A day may have more than one intention (several `at` times): a reflection quoting
        // another of them is left as it is.
        let others = try String.fetchAll(
            db, sql: "SELECT text FROM answers WHERE slot = 'intention' AND local_date = ?", arguments: [localDate]
        ).filter { $0 != intention }
        func rewritten(_ text: String) -> String? {
            if !PromptComposer.quotes(text, intention: intention),
                others.contains(where: { PromptComposer.quotes(text, intention: $0) })
            {
                return nil
            }
            return PromptComposer.requoting(text, intention: intention, replacement: replacement)
        }
        let deliveries = try Row.fetchAll(
            db, sql: "SELECT id, prompt_text FROM deliveries WHERE slot = 'reflection' AND local_date = ?",
            arguments: [localDate])
        for row in deliveries {
            let id: Int64 = row["id"]
            guard let text = rewritten(row["prompt_text"]) else { continue }
            try db.execute(sql: "UPDATE deliveries SET prompt_text = ? WHERE id = ?", arguments: [text, id])
        }
        // An answer copies its delivery's text; an imported one may have no delivery at all. A
        // reflection answered after midnight carries the next day's date, so its delivery decides.
        let answers = try Row.fetchAll(
            db,
            sql: """
                SELECT id, prompt_text FROM answers
                WHERE slot = 'reflection' AND prompt_text IS NOT NULL
                  AND (delivery_id IN (SELECT id FROM deliveries WHERE slot = 'reflection' AND local_date = ?)
                       OR (delivery_id IS NULL AND local_date = ?))
                """,
            arguments: [localDate, localDate])
        for row in answers {
            let id: Int64 = row["id"]
            guard let text = rewritten(row["prompt_text"]) else { continue }
            try db.execute(sql: "UPDATE answers SET prompt_text = ? WHERE id = ?", arguments: [text, id])
        }
    }
}
