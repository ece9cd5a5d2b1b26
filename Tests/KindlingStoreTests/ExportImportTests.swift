import Foundation
import GRDB
import Testing

@testable import KindlingStore

@Suite("Export batches and import")
struct ExportImportTests {
    /// Every entry, a batch of `limit` at a time, as `kindling export` reads them.
    private func exportAll(_ db: AppDatabase, limit: Int) throws -> [EntryRecord] {
        var cursor = ExportCursor.start
        var all: [EntryRecord] = []
        while true {
            let batch = try db.exportBatch(after: cursor, limit: limit)
            all += batch
            guard let last = batch.last, batch.count == limit else { return all }
            cursor = AppDatabase.cursor(after: last)
        }
    }

    @Test func batchesWalkEveryEntryOnceInTheOrderWritten() throws {
        let db = AppDatabase.inMemory()
        // Written out of order, and two at the very same instant.
        _ = try db.saveNote(text: "third", at: at(300), localDate: "2025-11-21")
        _ = try db.saveAnswer(text: "first", mood: 4, channel: .cli, deliveryID: nil, at: at(100), localDate: "2025-11-21")
        _ = try db.saveNote(text: "second-a", kind: .given, at: at(200), localDate: "2025-11-21")
        _ = try db.saveAnswer(text: "second-b", channel: .desktop, deliveryID: nil, at: at(200), localDate: "2025-11-21")
        for limit in [1, 2, 3, 100] {
            #expect(try exportAll(db, limit: limit).map(\.text) == ["first", "second-a", "second-b", "third"])
        }
        #expect(try db.exportBatch(after: .start, limit: 10).count == 4)
        #expect(try AppDatabase.inMemory().exportBatch(after: .start, limit: 10).isEmpty)
    }

    @Test func importKeepsTimesAndSkipsWhatIsAlreadyThere() throws {
        let source = AppDatabase.inMemory()
        _ = try source.saveNote(text: "held the door", kind: .given, at: at(10), localDate: "2025-11-21")
        _ = try source.saveAnswer(
            text: "be patient", mood: 3, energy: 4, channel: .desktop, deliveryID: nil, at: at(20), localDate: "2025-11-21")
        let entries = try exportAll(source, limit: 10)

        let target = AppDatabase.inMemory()
        _ = try target.saveNote(text: "already mine", at: at(5), localDate: "2025-11-20")
        #expect(try target.importEntries(entries, at: at(100)) == ImportCounts(added: 2, skipped: 0))
        #expect(try target.importEntries(entries, at: at(200)) == ImportCounts(added: 0, skipped: 2))
        // Same text at another instant is another entry; the same entry twice in one batch counts once.
        var moved = entries[0]
        if case .note(var note) = moved {
            note.createdAt = at(11)
            moved = .note(note)
        }
        #expect(try target.importEntries([moved, moved], at: at(300)) == ImportCounts(added: 1, skipped: 1))

        let imported = try exportAll(target, limit: 10)
        #expect(imported.map(\.text) == ["already mine", "held the door", "held the door", "be patient"])
        guard case .answer(let answer) = imported[3] else {
            Issue.record("the answer came back as \(imported[3])")
            return
        }
        #expect(answer.answeredAt == at(20))
        #expect(answer.mood == 3 && answer.energy == 4)
        #expect(answer.channel == .desktop)
        #expect(answer.deliveryID == nil)
        #expect(try target.events().filter { $0.kind == .imported }.count == 2)
    }

    /// The import binds its columns itself rather than through the records' `encode(to:)`: every
    /// field must come back as the record had it, present or absent, with new ids and no delivery.
    @Test func importStoresEveryFieldOfEachRecord() throws {
        let given: [EntryRecord] = [
            .answer(
                AnswerRecord(
                    id: 77, deliveryID: 9, slot: "intention", promptText: "Who needs a kind word?", text: "my sister, é 🌱",
                    mood: 1, energy: 5, channel: .terminal, answeredAt: at(1.5), localDate: "2025-11-21",
                    editedAt: at(90.5))),
            .answer(
                AnswerRecord(
                    deliveryID: nil, slot: nil, promptText: nil, text: "bare", mood: nil, energy: nil, channel: .imported,
                    answeredAt: at(2), localDate: "2025-11-20")),
            .note(
                NoteRecord(
                    id: 78, text: "held the door", kind: .received, createdAt: at(3), localDate: "2025-11-22",
                    editedAt: at(4), mood: 2, energy: 3)),
            .note(NoteRecord(text: "just a note", kind: nil, createdAt: at(5), localDate: "2025-11-21")),
        ]
        let target = AppDatabase.inMemory()
        #expect(try target.importEntries(given, at: at(100)) == ImportCounts(added: 4, skipped: 0))
        let back = try exportAll(target, limit: 10)
        func plain(_ entry: EntryRecord) -> EntryRecord {
            switch entry {
            case .answer(var answer):
                answer.id = nil
                answer.deliveryID = nil
                return .answer(answer)
            case .note(var note):
                note.id = nil
                return .note(note)
            }
        }
        #expect(back.map(plain) == given.map(plain))
        #expect(Set(back.map(\.id)).count == 4 && !back.map(\.id).contains(77))
        // A failing statement leaves the batch's transaction whole or absent, as before.
        var bad = given[3]
        if case .note(var note) = bad {
            note.localDate = "not a date"
            note.createdAt = at(6)
            bad = .note(note)
        }
        #expect(throws: StoreError.self) { try target.importEntries([given[0], bad], at: at(200)) }
        #expect(try exportAll(target, limit: 10).count == 4)
    }

    /// The export reads columns by position: what it reads is what the record types decode by
    /// name, field for field, nulls included.
    @Test func exportReadsWhatTheRecordTypesDecode() throws {
        let db = AppDatabase.inMemory()
        let delivery = try db.recordDelivery(
            slot: "intention", scheduledAt: at(1), localDate: "2025-11-21", promptText: "Who needs a kind word?",
            promptKey: "intention.1", firedAt: at(1), expiresAt: at(5000)
        ).delivery.id
        _ = try db.saveAnswer(
            text: "my sister, é 🌱", mood: 2, energy: 4, channel: .desktop, deliveryID: delivery, at: at(10),
            localDate: "2025-11-21")
        _ = try db.saveAnswer(text: "bare", channel: .cli, deliveryID: nil, at: at(20), localDate: "2025-11-22")
        _ = try db.saveNote(text: "held the door", kind: .given, at: at(30), localDate: "2025-11-22")
        _ = try db.saveNote(text: "just a note", at: at(30), localDate: "2025-11-23")
        let id = try db.saveNote(text: "to be edited", kind: .received, at: at(40), localDate: "2025-11-23")
        _ = try db.editEntry(id: id, text: "edited", mood: 3, at: at(50))
        let decoded = try db.dbWriter.read { db in
            try AnswerRecord.fetchAll(db, sql: "SELECT * FROM answers").map(EntryRecord.answer)
                + NoteRecord.fetchAll(db, sql: "SELECT * FROM notes").map(EntryRecord.note)
        }
        func order(_ entry: EntryRecord) -> (Date, Int64) {
            switch entry {
            case .answer(let answer): (answer.answeredAt, entry.id)
            case .note(let note): (note.createdAt, entry.id)
            }
        }
        #expect(decoded.count == 5)
        #expect(try exportAll(db, limit: 2) == decoded.sorted { order($0) < order($1) })
    }

    /// A value of the wrong type (a damaged or hand-edited file) fails the export with the error
    /// GRDB's decoding gave, naming no words, and leaves no statement holding the journal.
    @Test func aDamagedRowFailsTheExportWithoutItsWords() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        _ = try db.saveNote(text: "a sound note", at: at(1), localDate: "2025-11-21")
        for damage in [
            "INSERT INTO notes (id, text, kind, created_at, local_date) VALUES (9001, 'private words', 'sideways', 2000, '2025-11-21')",
            "INSERT INTO answers (id, text, mood, channel, answered_at, local_date) VALUES (9002, 'private words', 'x', 'cli', 3000, '2025-11-21')",
            "INSERT INTO answers (id, text, channel, answered_at, local_date) VALUES (9003, 'private words', X'FFFE', 4000, '2025-11-21')",
        ] {
            try db.dbWriter.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF")
                try db.execute(sql: damage)
                try db.execute(sql: "PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON")
            }
            let byName = #expect(throws: (any Error).self) {
                try db.dbWriter.read { db in
                    _ = try NoteRecord.fetchAll(db, sql: "SELECT * FROM notes")
                    _ = try AnswerRecord.fetchAll(db, sql: "SELECT * FROM answers")
                }
            }
            #expect(throws: StoreError.unreadableRow) { try exportAll(db, limit: 10) }
            #expect(byName.map { StoreError.wrapping($0) } == StoreError.unreadableRow, "\(damage)")
            #expect(!StoreError.unreadableRow.description.contains("private"))
            let result = try db.dbWriter.writeWithoutTransaction { db in
                try db.execute(sql: "DELETE FROM notes WHERE id > 9000; DELETE FROM answers WHERE id > 9000")
                return try db.checkpoint(.truncate)
            }
            #expect(result.walFrameCount == 0, "\(damage)")
        }
        #expect(try exportAll(db, limit: 10).map(\.text) == ["a sound note"])
        // A time that is not a number is SQLite's to convert, for the export as for the records.
        try db.dbWriter.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "INSERT INTO notes (id, text, created_at, local_date) VALUES (9004, 'odd', 'noon', '2025-11-21')")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let records = try db.dbWriter.read { db in try NoteRecord.fetchAll(db, sql: "SELECT * FROM notes ORDER BY id") }
        #expect(try exportAll(db, limit: 10) == records.map(EntryRecord.note).sorted { $0.id > $1.id })
    }

    /// Statements stepped by hand are rewound when done: one left on a row would keep a read
    /// snapshot open on the writer after the commit, and no checkpoint could empty the WAL.
    @Test func anImportLeavesNoStatementHoldingTheJournal() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        let entries: [EntryRecord] = (0..<50).map { n in
            .note(NoteRecord(text: "note \(n)", kind: nil, createdAt: at(Double(n)), localDate: "2025-11-21"))
        }
        #expect(try db.importEntries(entries, at: at(100)).added == 50)
        #expect(try db.importEntries(Array(entries.prefix(3)), at: at(101)).skipped == 3)
        let result = try db.dbWriter.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        #expect(result.walFrameCount == 0 && result.checkpointedFrameCount == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: scratch.path("journal.sqlite-wal"))[.size] as? Int == 0)
    }
}
