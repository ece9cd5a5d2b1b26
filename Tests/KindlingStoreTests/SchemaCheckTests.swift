import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// Journal files that carry Kindling's mark and pass quick_check but were changed by hand: the
/// restore check and the daemon's own opening must refuse them, and a bad row must be an error.
@Suite("The journal's exact schema")
struct SchemaCheckTests {
    /// A journal whose `deliveries.prompt_text` accepts NULL, holding one pending delivery without
    /// prompt text (made through writable_schema, as an attacker would).
    static func makeLoosenedJournal(_ path: String) throws {
        try AppDatabase.open(path: path).close()
        try editSchema(
            path,
            """
            UPDATE sqlite_master SET sql = replace(sql, 'prompt_text   TEXT    NOT NULL', 'prompt_text   TEXT')
            WHERE name = 'deliveries'
            """)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO deliveries (slot, scheduled_at, local_date, prompt_text, prompt_key, fired_at,
                                            expires_at, status_at)
                    VALUES ('intention', 0, '2025-11-21', NULL, 'k', 0, 4102444800000, 0)
                    """)
        }
        try queue.close()
    }

    /// A journal with one more trigger, which empties the journal at the next note.
    static func makeTrappedJournal(_ path: String) throws {
        let journal = try AppDatabase.open(path: path)
        _ = try journal.saveNote(text: "held the door", at: t0, localDate: "2025-11-21")
        try journal.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: "CREATE TRIGGER notes_wipe AFTER INSERT ON notes BEGIN DELETE FROM entries WHERE id <> NEW.id; END")
        }
        try queue.close()
    }

    static func editSchema(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: sql)
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try queue.close()
    }

    private func quickCheck(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
    }

    private func refusal(_ body: () throws(StoreError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            guard case .corrupt(_, let reason) = error else { return "unexpected: \(error)" }
            return reason
        }
    }

    @Test func aLoosenedColumnIsRefusedByRestoreAndByOpening() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("loosened.sqlite")
        try Self.makeLoosenedJournal(path)
        #expect(try quickCheck(path) == ["ok"], "the attack file must pass quick_check")
        let before = try contents(path)

        let restore = refusal { () throws(StoreError) in try AppDatabase.checkRestorable(path: path) }
        #expect(restore?.contains("the table \"deliveries\" is defined differently") == true, "\(restore ?? "accepted")")
        let open = refusal { () throws(StoreError) in try AppDatabase.open(path: path).close() }
        #expect(open?.contains("the table \"deliveries\" is defined differently") == true, "\(open ?? "opened")")
        #expect(try contents(path) == before, "a refused file is left as it was")
    }

    @Test func anExtraTriggerIsRefusedByRestoreAndByOpening() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("trapped.sqlite")
        try Self.makeTrappedJournal(path)
        #expect(try quickCheck(path) == ["ok"])

        let restore = refusal { () throws(StoreError) in try AppDatabase.checkRestorable(path: path) }
        #expect(restore?.contains("the trigger \"notes_wipe\" was added") == true, "\(restore ?? "accepted")")
        let open = refusal { () throws(StoreError) in try AppDatabase.open(path: path).close() }
        #expect(open?.contains("the trigger \"notes_wipe\" was added") == true, "\(open ?? "opened")")
    }

    @Test func aViewAMissingIndexAndAnotherNameAreEachRefused() throws {
        let scratch = try ScratchFolder()
        for (index, (sql, expected)) in [
            ("CREATE VIEW everything AS SELECT * FROM notes", "the view \"everything\" was added"),
            ("DROP INDEX notes_created_at", "the index \"notes_created_at\" is missing"),
            ("CREATE INDEX notes_text ON notes (text)", "the index \"notes_text\" was added"),
        ].enumerated() {
            let path = scratch.path("changed-\(index).sqlite")
            try AppDatabase.open(path: path).close()
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: sql) }
            try queue.close()
            let reason = refusal { () throws(StoreError) in try AppDatabase.checkRestorable(path: path) }
            #expect(reason?.contains(expected) == true, "\(sql): \(reason ?? "accepted")")
        }
    }

    @Test func aJournalKindlingMadeIsAcceptedWhateverItHolds() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let journal = try AppDatabase.open(path: path)
        _ = try journal.saveNote(text: "a warm  drink\n  at noon", at: t0, localDate: "2025-11-21")
        try journal.backup(to: scratch.path("copy.sqlite"))
        try journal.close()
        try AppDatabase.checkRestorable(path: path)
        try AppDatabase.checkRestorable(path: scratch.path("copy.sqlite"))
    }

    @Test func layoutIsIgnoredButQuotedTextIsNot() {
        #expect(AppDatabase.normalisedSQL("CREATE  TABLE\n  t (a   TEXT )") == "CREATE TABLE t (a TEXT )")
        #expect(AppDatabase.normalisedSQL("CHECK (a = 'x  y')") != AppDatabase.normalisedSQL("CHECK (a = 'x y')"))
        #expect(AppDatabase.normalisedSQL("CHECK (a = 'it''s  so')").hasSuffix("'it''s  so')"))
    }

    @Test func aRowWithANullOrAWrongTypeIsAnErrorNotACrash() throws {
        // What a loosened column (or a damaged file) hands the record types. GRDB's subscript would
        // trap on each; the daemon would then die on every start.
        var columns: [String: (any DatabaseValueConvertible)?] = [
            "id": 1, "slot": "intention", "scheduled_at": 0, "local_date": "2025-11-21", "prompt_text": nil,
            "prompt_key": "k", "program_name": nil, "program_day": nil, "fired_at": 0, "expires_at": 0,
            "status": "pending", "status_at": 0, "snoozed_until": nil,
        ]
        #expect(throws: (any Error).self) { try DeliveryRecord(row: Row(columns)) }
        columns["prompt_text"] = "a prompt"
        columns["status"] = "lost"
        #expect(throws: (any Error).self) { try DeliveryRecord(row: Row(columns)) }
        columns["status"] = "pending"
        #expect(try DeliveryRecord(row: Row(columns)).promptText == "a prompt")

        let note: [String: (any DatabaseValueConvertible)?] = [
            "id": 2, "text": nil, "kind": nil, "created_at": 0, "local_date": "2025-11-21", "edited_at": nil,
        ]
        #expect(throws: (any Error).self) { try NoteRecord(row: Row(note)) }
        let answer: [String: (any DatabaseValueConvertible)?] = [
            "id": 3, "delivery_id": nil, "slot": nil, "prompt_text": nil, "text": "x", "mood": nil, "energy": nil,
            "channel": nil, "answered_at": 0, "local_date": "2025-11-21", "edited_at": nil,
        ]
        #expect(throws: (any Error).self) { try AnswerRecord(row: Row(answer)) }
        let event: [String: (any DatabaseValueConvertible)?] = [
            "id": 4, "kind": nil, "at": 0, "delivery_id": nil, "entry_id": nil, "detail": nil,
        ]
        #expect(throws: (any Error).self) { try EventRecord(row: Row(event)) }
    }

    @Test func aBadRowInAJournalIsAStoreError() throws {
        let journal = AppDatabase.inMemory()
        try journal.dbWriter.write { db in
            try db.execute(sql: "INSERT INTO entries (id, kind) VALUES (1, 'note')")
            try db.execute(
                sql: "INSERT INTO notes (id, text, created_at, local_date) VALUES (1, x'00ff', 0, '2025-11-21')")
        }
        #expect(throws: StoreError.self) { try journal.note(id: 1) }
    }
}
