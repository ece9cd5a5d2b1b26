import Foundation
import GRDB
import Testing

@testable import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Backups and restore checks")
struct BackupTests {
    private func noteTexts(_ path: String) throws -> [String] {
        let db = try AppDatabase.open(path: path)
        defer { try? db.close() }
        return try db.dbWriter.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes ORDER BY id") }
    }

    @Test func aBackupIsOnePrivateSelfContainedFileThatOpensAsAJournal() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        defer { try? db.close() }
        _ = try db.saveNote(text: "held the door", kind: .given, at: t0, localDate: "2025-11-21")

        let target = scratch.path("copies", "backup.sqlite")
        try FileManager.default.createDirectory(atPath: scratch.path("copies"), withIntermediateDirectories: true)
        let written = try db.backup(to: target)
        #expect(written == target)
        #expect(mode(target) == 0o600)
        // No sidecar and no temporary file left: one file a person can copy anywhere.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("copies")) == ["backup.sqlite"])
        let header = try contents(target).prefix(20)
        #expect(header[18] == 1 && header[19] == 1, "a rollback-journal file, not WAL")
        try AppDatabase.checkRestorable(path: target)
        #expect(try noteTexts(target) == ["held the door"])
    }

    @Test func aBackupReplacesAnOlderCopyWhole() throws {
        let scratch = try ScratchFolder()
        let db = AppDatabase.inMemory()
        let target = scratch.path("backup.sqlite")
        try Data("an older copy".utf8).write(to: URL(fileURLWithPath: target))
        _ = try db.saveNote(text: "first", at: t0, localDate: "2025-11-21")
        try db.backup(to: target)
        _ = try db.saveNote(text: "second", at: at(60), localDate: "2025-11-21")
        try db.backup(to: target)
        #expect(try noteTexts(target) == ["first", "second"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { !$0.hasPrefix("backup.sqlite") } == [])
    }

    @Test func aBackupIntoAMissingFolderFailsAndLeavesNothing() throws {
        let scratch = try ScratchFolder()
        let db = AppDatabase.inMemory()
        #expect(throws: StoreError.self) { try db.backup(to: scratch.path("nowhere", "backup.sqlite")) }
        #expect(throws: StoreError.self) { try db.backup(to: scratch.url.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == [])
    }

    @Test func copyJournalReadsAFileAndWritesASoundCopy() throws {
        let scratch = try ScratchFolder()
        let source = scratch.path("source.sqlite")
        let db = try AppDatabase.open(path: source)
        _ = try db.saveNote(text: "a warm drink", at: t0, localDate: "2025-11-21")
        try db.backup(to: scratch.path("snapshot.sqlite"))
        try db.close()

        try AppDatabase.copyJournal(from: scratch.path("snapshot.sqlite"), to: scratch.path("restored.sqlite"))
        #expect(mode(scratch.path("restored.sqlite")) == 0o600)
        #expect(try noteTexts(scratch.path("restored.sqlite")) == ["a warm drink"])
    }

    @Test func onlyASoundKindlingJournalIsRestorable() throws {
        let scratch = try ScratchFolder()
        func refusal(_ path: String) -> StoreError? {
            do {
                try AppDatabase.checkRestorable(path: path)
                return nil
            } catch {
                return error
            }
        }

        #expect(refusal(scratch.path("missing.sqlite")) != nil)

        let empty = scratch.path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        guard case .foreign = refusal(empty) else {
            Issue.record("an empty file was accepted")
            return
        }

        let garbage = scratch.path("garbage.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
        switch refusal(garbage) {
        case .corrupt, .keyNeeded: break
        default:
            Issue.record("random bytes were accepted")
            return
        }

        let emptyDatabase = scratch.path("empty-db.sqlite")
        let blank = try DatabaseQueue(path: emptyDatabase)
        try blank.write { db in try db.execute(sql: "PRAGMA user_version = 1") }
        try blank.close()
        guard case .foreign = refusal(emptyDatabase) else {
            Issue.record("an empty SQLite database was accepted")
            return
        }

        let other = scratch.path("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE recipes (name TEXT)") }
        try queue.close()
        guard case .foreign = refusal(other) else {
            Issue.record("another application's database was accepted")
            return
        }

        let newer = scratch.path("newer.sqlite")
        let journal = try AppDatabase.open(path: newer)
        try journal.dbWriter.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try journal.close()
        #expect(refusal(newer) == .newerSchema(path: newer, unknownMigrations: ["v99"]))

        let folder = scratch.path("a-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard case .foreign = refusal(folder) else {
            Issue.record("a folder was accepted")
            return
        }

        let good = scratch.path("good.sqlite")
        try AppDatabase.inMemory().backup(to: good)
        #expect(refusal(good) == nil)
        // Checking changes nothing beside the file.
        #expect(!FileManager.default.fileExists(atPath: good + "-wal"))
    }
}
