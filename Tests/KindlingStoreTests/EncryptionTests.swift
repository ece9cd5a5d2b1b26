import Foundation
import GRDB
import Testing

@testable import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The journal encrypted at rest")
struct EncryptionTests {
    /// A word nobody else writes, to look for in the files' bytes.
    static let word = "marigold-lantern-\(UInt32.random(in: 0...UInt32.max))"

    private func noteTexts(_ path: String, key: JournalKey?) throws -> [String] {
        let db = try AppDatabase.open(path: path, key: key)
        defer { try? db.close() }
        return try db.dbWriter.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes ORDER BY id") }
    }

    /// How many times `word` appears in the bytes of every file in `folder` (sidecars included).
    private func hits(of word: String, in folder: String) throws -> Int {
        let needle = Data(word.utf8)
        var count = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            var data = try contents(folder + "/" + name)[...]
            while let found = data.range(of: needle) {
                count += 1
                data = data[found.upperBound...]
            }
        }
        return count
    }

    private func plaintextJournal(in scratch: ScratchFolder) throws -> String {
        let path = scratch.path("journal.sqlite")
        let db = try AppDatabase.open(path: path)
        _ = try db.saveNote(text: "held the door, \(Self.word)", kind: .given, at: t0, localDate: "2025-11-21")
        try db.close()
        return path
    }

    @Test func theLinkedLibraryIsSQLCipher() {
        let version = AppDatabase.cipherVersion()
        #expect(version?.hasPrefix("4.") == true, "PRAGMA cipher_version answered \(String(describing: version))")
    }

    @Test func anEncryptedJournalKeepsNoWordInTheClearAndOpensWithItsKeyOnly() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let key = JournalKey.random()
        let db = try AppDatabase.open(path: path, key: key)
        _ = try db.saveNote(text: "held the door, \(Self.word)", kind: .given, at: t0, localDate: "2025-11-21")
        // While open, the WAL holds the write: it is encrypted too.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(try hits(of: Self.word, in: scratch.url.path) == 0)
        try db.close()
        #expect(try hits(of: Self.word, in: scratch.url.path) == 0)
        #expect(AppDatabase.looksEncrypted(path))

        #expect(throws: StoreError.keyNeeded(path: path)) { try AppDatabase.open(path: path) }
        #expect(throws: StoreError.wrongKey(path: path)) { try AppDatabase.open(path: path, key: .random()) }
        #expect(try noteTexts(path, key: key) == ["held the door, \(Self.word)"])
    }

    @Test func aPlaintextJournalGivenAKeyIsRefusedAsNotEncryptedAndLeftAsItWas() throws {
        let scratch = try ScratchFolder()
        let path = try plaintextJournal(in: scratch)
        let before = try contents(path)
        #expect(throws: StoreError.notEncrypted(path: path)) { try AppDatabase.open(path: path, key: .random()) }
        #expect(try contents(path) == before)
        #expect(!AppDatabase.looksEncrypted(path))
    }

    @Test func backupsOfAnEncryptedJournalAreEncryptedWithItsKey() throws {
        let scratch = try ScratchFolder()
        let key = JournalKey.random()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"), key: key)
        defer { try? db.close() }
        _ = try db.saveNote(text: Self.word, at: t0, localDate: "2025-11-21")
        let target = scratch.path("backup.sqlite")
        try db.backup(to: target)
        #expect(try hits(of: Self.word, in: scratch.url.path) == 0)
        try AppDatabase.checkRestorable(path: target, key: key)
        #expect(throws: StoreError.keyNeeded(path: target)) { try AppDatabase.checkRestorable(path: target) }
    }

    @Test func aPlaintextBackupCanBeBroughtIntoAnEncryptedJournal() throws {
        let scratch = try ScratchFolder()
        let plain = try plaintextJournal(in: scratch)
        let key = JournalKey.random()
        let copy = scratch.path("encrypted-copy.sqlite")
        try AppDatabase.copyJournal(from: plain, to: copy, key: key)
        #expect(AppDatabase.looksEncrypted(copy))
        #expect(try noteTexts(copy, key: key) == ["held the door, \(Self.word)"])
    }

    @Test func encryptingInPlaceLeavesNothingPlainAndDecryptingBringsItBack() throws {
        let scratch = try ScratchFolder()
        let path = try plaintextJournal(in: scratch)
        #expect(try hits(of: Self.word, in: scratch.url.path) > 0)
        let key = JournalKey.random()

        try AppDatabase.convertJournal(at: path, from: nil, to: key)
        #expect(try hits(of: Self.word, in: scratch.url.path) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["journal.sqlite"])
        #expect(mode(path) == 0o600)
        #expect(throws: StoreError.keyNeeded(path: path)) { try AppDatabase.open(path: path) }
        #expect(try noteTexts(path, key: key) == ["held the door, \(Self.word)"])

        // A wrong key changes nothing.
        let encrypted = try contents(path)
        #expect(throws: StoreError.wrongKey(path: path)) { try AppDatabase.convertJournal(at: path, from: .random(), to: nil) }
        #expect(try contents(path) == encrypted)

        try AppDatabase.convertJournal(at: path, from: key, to: nil)
        #expect(!AppDatabase.looksEncrypted(path))
        #expect(try noteTexts(path, key: nil) == ["held the door, \(Self.word)"])
    }

    @Test func aKeyCanBeChangedInPlace() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let first = JournalKey.random()
        let db = try AppDatabase.open(path: path, key: first)
        _ = try db.saveNote(text: Self.word, at: t0, localDate: "2025-11-21")
        try db.close()
        let second = JournalKey.random()
        try AppDatabase.convertJournal(at: path, from: first, to: second)
        #expect(throws: StoreError.wrongKey(path: path)) { try AppDatabase.open(path: path, key: first) }
        #expect(try noteTexts(path, key: second) == [Self.word])
    }

    @Test func theKeyIsOnlyEverBoundNeverInStatementText() {
        let key = JournalKey(bytes: Array(repeating: 0xAB, count: 32))!
        #expect(String(decoding: key.rawKeyText, as: UTF8.self) == "x'" + String(repeating: "ab", count: 32) + "'")
        #expect(JournalKey(bytes: [1, 2, 3]) == nil)
    }
}
