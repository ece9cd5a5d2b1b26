import Foundation
import GRDB
import Testing

@testable import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Opening the journal")
struct OpeningTests {
    @Test func inMemoryJournalIsMigrated() throws {
        let db = AppDatabase.inMemory()
        try db.dbWriter.read { db throws in
            #expect(try AppDatabase.migrator.appliedMigrations(db) == AppDatabase.migrator.migrations)
            #expect(try Int32.fetchOne(db, sql: "PRAGMA application_id") == AppDatabase.applicationID)
            for table in ["deliveries", "entries", "answers", "notes", "events", "program_state", "state"] {
                #expect(try db.tableExists(table), "missing table \(table)")
            }
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
        }
        #expect(db.notices.isEmpty)
        #expect(db.path == nil)
    }

    @Test func newFileIsMigratedPrivateAndDurable() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("data", "kindling", "journal.sqlite")
        let db = try AppDatabase.open(path: path)
        defer { try? db.close() }

        #expect(db.path == path)
        #expect(db.notices.isEmpty)
        #expect(mode(scratch.path("data")) == 0o700)
        #expect(mode(scratch.path("data", "kindling")) == 0o700)
        #expect(mode(path) == 0o600)

        try db.dbWriter.writeWithoutTransaction { db throws in
            #expect(try AppDatabase.migrator.appliedMigrations(db) == AppDatabase.migrator.migrations)
            #expect(try Int32.fetchOne(db, sql: "PRAGMA application_id") == AppDatabase.applicationID)
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2)  // FULL
            #expect(try Int.fetchOne(db, sql: "PRAGMA secure_delete") == 1)
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
        }
        // SQLite's sidecar files take the journal's mode.
        _ = try db.saveNote(text: "held the door", at: t0, localDate: "2025-11-21")
        #expect(mode(path + "-wal") == 0o600)
        #expect(mode(path + "-shm") == 0o600)
    }

    @Test func existingEmptyFileIsMigrated() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        chmod(path, 0o600)
        let db = try AppDatabase.open(path: path)
        defer { try? db.close() }
        #expect(try db.entryCount() == 0)
    }

    @Test func reopeningIsIdempotent() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")

        let first = try AppDatabase.open(path: path)
        let noteID = try first.saveNote(text: "a warm drink", kind: .given, at: t0, localDate: "2025-11-21")
        let schema = try first.dbWriter.read { db throws in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        }
        try first.close()

        let second = try AppDatabase.open(path: path)
        defer { try? second.close() }
        #expect(second.notices.isEmpty)
        try second.dbWriter.read { db throws in
            #expect(try AppDatabase.migrator.appliedMigrations(db) == AppDatabase.migrator.migrations)
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == AppDatabase.migrator.migrations)
            #expect(
                try String.fetchAll(
                    db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name") == schema)
        }
        #expect(try second.entryCount() == 1)
        #expect(try second.note(id: noteID)?.text == "a warm drink")
    }

    @Test func looseModesAreTightenedAndReported() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path("kindling")
        let path = scratch.path("kindling", "journal.sqlite")
        try AppDatabase.open(path: path).close()
        chmod(path, 0o644)
        chmod(folder, 0o755)

        let db = try AppDatabase.open(path: path)
        defer { try? db.close() }
        #expect(mode(path) == 0o600)
        #expect(mode(folder) == 0o700)
        #expect(db.notices.contains { $0.contains("journal was readable by others") && $0.contains("tightened to 0600") })
        #expect(db.notices.contains { $0.contains(folder) && $0.contains("tightened to 0700") })
        #expect(db.notices.allSatisfy { !$0.contains("\n") })
    }

    /// Without a key, random bytes cannot be told from an encrypted journal: the refusal says both.
    @Test func randomBytesAreRefusedAndLeftUntouched() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)

        #expect {
            _ = try AppDatabase.open(path: path)
        } throws: { error in
            guard case let .keyNeeded(errorPath) = error as? StoreError else { return false }
            return errorPath == path && "\(error)".contains("damaged") && "\(error)".contains("encrypted")
        }
        #expect(try contents(path) == bytes)
        #expect(mode(path) == 0o644)  // a refusal changes nothing, not even the mode
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func damagedJournalIsRefusedAsCorrupt() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let db = try AppDatabase.open(path: path)
        for day in 1...200 {
            _ = try db.saveNote(
                text: String(repeating: "kindness \(day) ", count: 20), at: at(Double(day) * 86_400),
                localDate: "2025-11-21")
        }
        try db.close()

        // Keep page 1 (header and the start of the schema), scribble over everything after it.
        var damaged = try contents(path)
        #expect(damaged.count > 8192)
        for index in 4096..<damaged.count {
            damaged[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7)
        }
        try damaged.write(to: URL(fileURLWithPath: path))

        #expect {
            _ = try AppDatabase.open(path: path)
        } throws: { error in
            guard case .corrupt = error as? StoreError else { return false }
            return true
        }
        #expect(try contents(path) == damaged)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    }

    @Test func anotherApplicationsDatabaseIsRefusedAsForeign() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        do {
            let other = try DatabaseQueue(path: path)
            try other.write { db in
                try db.execute(sql: "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
                try db.execute(sql: "INSERT INTO contacts (name) VALUES ('Sam')")
            }
            try other.close()
        }
        chmod(path, 0o644)
        let before = try contents(path)

        #expect {
            _ = try AppDatabase.open(path: path)
        } throws: { error in
            guard case let .foreign(errorPath, reason) = error as? StoreError else { return false }
            return errorPath == path && reason.contains("contacts")
        }
        #expect(try contents(path) == before)
        #expect(mode(path) == 0o644)
    }

    @Test func anotherApplicationIDIsRefusedAsForeign() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        do {
            let other = try DatabaseQueue(path: path)
            try other.writeWithoutTransaction { db throws in
                try db.execute(sql: "PRAGMA application_id = 42")
            }
            try other.close()
        }
        let before = try contents(path)
        #expect {
            _ = try AppDatabase.open(path: path)
        } throws: { error in
            guard case let .foreign(_, reason) = error as? StoreError else { return false }
            return reason.contains("0x2a")
        }
        #expect(try contents(path) == before)
    }

    @Test func newerSchemaIsRefusedBeforeMigrating() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        try AppDatabase.open(path: path).close()
        do {
            let newer = try DatabaseQueue(path: path)
            try newer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')")
            }
            try newer.close()
        }
        let before = try contents(path)

        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v2"])) {
            _ = try AppDatabase.open(path: path)
        }
        #expect(try contents(path) == before)
    }

    @Test func aFolderInPlaceOfTheFileIsRefused() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect {
            _ = try AppDatabase.open(path: path)
        } throws: { error in
            guard case .foreign = error as? StoreError else { return false }
            return true
        }
    }

    @Test func writesAfterCloseFailAsStorage() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        try db.close()
        #expect {
            _ = try db.saveNote(text: "after close", at: t0, localDate: "2025-11-21")
        } throws: { error in
            guard case .storage = error as? StoreError else { return false }
            return true
        }
    }
}

@Suite struct HiddenPromptStoreTests {
    @Test func hidingIsKeptByKeyAndShowingRemovesIt() throws {
        let journal = AppDatabase.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try journal.hiddenPromptKeys().isEmpty)
        #expect(try journal.setPromptHidden("nudge.hold-a-door", hidden: true, at: now))
        #expect(try !journal.setPromptHidden("nudge.hold-a-door", hidden: true, at: now), "already hidden")
        #expect(try journal.hiddenPromptKeys() == ["nudge.hold-a-door"])
        #expect(try journal.setPromptHidden("nudge.hold-a-door", hidden: false, at: now))
        #expect(try !journal.setPromptHidden("nudge.hold-a-door", hidden: false, at: now), "not hidden")
        #expect(try journal.hiddenPromptKeys().isEmpty)
    }
}

/// A closed journal lets go of no dispatch queue (see ConnectionParking): freeing one starts
/// libdispatch's 1 Hz worker-pool monitor, and the daemon then wakes every second for good.
/// Found when a new journal was encrypted at first start: the daemon closed the plaintext one.
@Suite("Closing the journal")
struct ClosingTests {
    @Test func aClosedFileJournalKeepsItsReaderConnections() throws {
        let scratch = try ScratchFolder()
        let journal = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        // A read makes a reader connection.
        _ = try journal.entryCount()
        weak let readers = ConnectionParking.readerPool(of: journal.dbWriter)
        #expect(readers != nil, "GRDB's DatabasePool no longer keeps its readers in `readerPool`")
        try journal.close()
        #expect(readers != nil, "the reader connections were freed with the closed journal")
    }
}
