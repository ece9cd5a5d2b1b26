import Foundation
import KindlingControl
import KindlingStore
import Testing

@testable import KindlingDaemon

/// `encrypt`, `decrypt` and `unlock` on a real daemon and journal, with a passphrase (the
/// keyring's side runs against a real gnome-keyring in the end-to-end tests).
@Suite(.serialized) struct EncryptionDaemonTests {
    typealias Harness = DaemonTests.Harness
    static let config = JournalHandlerTests.config
    static let word = "quietmarigold\(UInt32.random(in: 0...UInt32.max))"
    static let passphrase = "a kind and patient phrase"

    /// How many times `word` is in the bytes of every file under `folder`.
    private func hits(_ word: String, under folder: String) -> Int {
        let needle = Data(word.utf8)
        var count = 0
        let walker = FileManager.default.enumerator(atPath: folder)
        while let name = walker?.nextObject() as? String {
            guard var data = FileManager.default.contents(atPath: folder + "/" + name)?[...] else { continue }
            while let found = data.range(of: needle) {
                count += 1
                data = data[found.upperBound...]
            }
        }
        return count
    }

    /// The notes' texts (their entry ids are small in these tests).
    private func noteTexts(_ harness: Harness) throws -> [String] {
        try harness.daemon.queue.sync {
            var texts: [String] = []
            for id in Int64(1)...20 {
                if let note = try harness.daemon.journal.note(id: id) { texts.append(note.text) }
            }
            return texts
        }
    }

    @Test func aPassphraseEncryptsTheJournalAndItsSnapshotsAndIsAskedOncePerBoot() throws {
        var harness: Harness! = try Harness(config: Self.config)
        _ = try harness.call(Request.Note(text: "held the door, \(Self.word)", kind: "given")).get()
        let snapshot = try harness.call(Request.Backup(output: nil)).get().path
        #expect(hits(Self.word, under: harness.root + "/data") >= 2)

        let encrypted = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        #expect(encrypted.journal == "encrypted" && encrypted.key == "passphrase" && encrypted.snapshots == 1)
        #expect(hits(Self.word, under: harness.root + "/data") == 0, "a written word is still readable somewhere")
        #expect(AppDatabase.looksEncrypted(snapshot))
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "encrypted")
        // Still usable: a save goes into the encrypted journal, and reads back.
        _ = try harness.call(Request.Note(text: "a second note", kind: nil)).get()
        #expect(try noteTexts(harness).count == 2)
        #expect(try harness.failure(Request.Encrypt(passphrase: "other"))?.message.contains("encrypted already") == true)

        // A reboot: the key kept for the session is gone; the daemon starts locked.
        harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() }
        let root = harness.stop()
        harness = nil
        harness = try Harness(config: Self.config, root: root)
        defer { harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() } }
        let locked = try harness.call(Request.Status()).get()
        #expect(locked.encryption?.journal == "locked")
        #expect(locked.encryption?.key == "passphrase")
        #expect(locked.statusLine.contains("the journal is locked"), "\(locked.statusLine)")
        let refused = try harness.failure(Request.Note(text: "while locked", kind: nil))
        #expect(refused?.code == .storage)
        #expect(refused?.message.contains("kindling unlock") == true, "\(refused?.message ?? "saved")")
        // Prompts wait for the key too.
        harness.clock.advance(by: 10 * 3600)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(try harness.call(Request.Pending()).get().pending.isEmpty)

        let wrong = try harness.failure(Request.Unlock(passphrase: "not it"))
        #expect(wrong?.message.contains("does not open the journal") == true, "\(wrong?.message ?? "unlocked")")
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "locked")

        let unlocked = try harness.call(Request.Unlock(passphrase: Self.passphrase)).get()
        #expect(unlocked.journal == "encrypted")
        #expect(try harness.call(Request.Status()).get().journal == "ok")
        #expect(try noteTexts(harness).sorted() == ["a second note", "held the door, \(Self.word)"])
        _ = try harness.call(Request.Note(text: "after unlocking", kind: nil)).get()

        // The same boot: the kept key opens the journal at the next start, with nothing asked.
        let again = harness.stop()
        harness = nil
        harness = try Harness(config: Self.config, root: again)
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "encrypted")
        #expect(try noteTexts(harness).count == 3)
        // Open already: a wrong passphrase is still told apart from the right one.
        #expect(try harness.failure(Request.Unlock(passphrase: "not it"))?.message.contains("does not open") == true)
        #expect(try harness.call(Request.Unlock(passphrase: Self.passphrase)).get().journal == "encrypted")

        let decrypted = try harness.call(Request.Decrypt()).get()
        #expect(decrypted.journal == "plaintext" && decrypted.key == nil && decrypted.snapshots == 1)
        #expect(!AppDatabase.looksEncrypted(harness.root + "/data/kindling/journal.sqlite"))
        #expect(!AppDatabase.looksEncrypted(snapshot))
        #expect(!FileManager.default.fileExists(atPath: harness.root + "/data/kindling/journal.sqlite.key-params"))
        #expect(try noteTexts(harness).count == 3)
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "plaintext")
    }

    @Test func aPlaintextBackupIsEncryptedOnTheWayIn() throws {
        let harness = try Harness(config: Self.config)
        defer { harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() } }
        _ = try harness.call(Request.Note(text: "from before, \(Self.word)", kind: nil)).get()
        let backup = harness.root + "/plain-backup.sqlite"
        _ = try harness.call(Request.Backup(output: backup)).get()
        _ = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        // The backup stays where the person put it, in plaintext; the journal it becomes does not.
        _ = try harness.call(Request.Restore(path: backup)).get()
        #expect(hits(Self.word, under: harness.root + "/data") == 0)
        #expect(try noteTexts(harness) == ["from before, \(Self.word)"])
    }

    /// A person who lost the passphrase can still start afresh: erase works on a locked journal,
    /// and forgets the key's record with it; a restore must wait for the key.
    @Test func aLockedJournalCanBeErasedButNotRestoredInto() throws {
        var harness: Harness! = try Harness(config: Self.config)
        let backup = harness.root + "/backup.sqlite"
        _ = try harness.call(Request.Backup(output: backup)).get()
        _ = try harness.call(Request.Note(text: Self.word, kind: nil)).get()
        _ = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() }
        let root = harness.stop()
        harness = nil
        harness = try Harness(config: Self.config, root: root)
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "locked")

        let restore = try harness.failure(Request.Restore(path: backup))
        #expect(restore?.message.contains("the journal is locked") == true, "\(restore?.message ?? "restored")")

        _ = try harness.call(Request.Erase()).get()
        let status = try harness.call(Request.Status()).get()
        #expect(status.journal == "ok")
        #expect(status.encryption?.journal == "plaintext")
        #expect(!FileManager.default.fileExists(atPath: root + "/data/kindling/journal.sqlite.key-params"))
        _ = try harness.call(Request.Note(text: "a fresh start", kind: nil)).get()
        #expect(try noteTexts(harness) == ["a fresh start"])
    }

    /// Erasing an open, encrypted journal starts a fresh one encrypted the same way.
    @Test func erasingAnEncryptedJournalKeepsTheFreshOneEncrypted() throws {
        let harness = try Harness(config: Self.config)
        defer { harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() } }
        _ = try harness.call(Request.Note(text: Self.word, kind: nil)).get()
        _ = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        _ = try harness.call(Request.Erase()).get()
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "encrypted")
        _ = try harness.call(Request.Note(text: "after the erase, \(Self.word)", kind: nil)).get()
        #expect(AppDatabase.looksEncrypted(harness.root + "/data/kindling/journal.sqlite"))
        #expect(hits(Self.word, under: harness.root + "/data") == 0)
        #expect(FileManager.default.fileExists(atPath: harness.root + "/data/kindling/journal.sqlite.key-params"))
    }

    /// The right passphrase on a journal whose first page is damaged: said as damage, not as a
    /// wrong key, and the daemon runs degraded, so that a snapshot can be restored.
    @Test func aDamagedEncryptedJournalCanBeRestoredOnceItsPassphraseIsGiven() throws {
        var harness: Harness! = try Harness(config: Self.config)
        _ = try harness.call(Request.Note(text: "kept in the snapshot", kind: nil)).get()
        _ = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        let snapshot = try harness.call(Request.Backup(output: nil)).get().path
        harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() }
        let root = harness.stop()
        harness = nil
        let journal = root + "/data/kindling/journal.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        for index in 100..<2000 { bytes[index] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: journal))
        for sidecar in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: journal + sidecar) }

        harness = try Harness(config: Self.config, root: root)
        defer { harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() } }
        let unlock = try harness.failure(Request.Unlock(passphrase: Self.passphrase))
        #expect(unlock?.message.contains("the passphrase is right") == true, "\(unlock?.message ?? "unlocked")")
        #expect(unlock?.message.contains("damaged") == true, "\(unlock?.message ?? "unlocked")")
        let status = try harness.call(Request.Status()).get()
        #expect(status.encryption?.journal == "encrypted", "the key is at hand: \(status.journal)")
        #expect(status.journal.contains("damaged"), "\(status.journal)")

        _ = try harness.call(Request.Restore(path: snapshot)).get()
        #expect(try harness.call(Request.Status()).get().journal == "ok")
        #expect(try noteTexts(harness) == ["kept in the snapshot"])
        #expect(AppDatabase.looksEncrypted(journal))
    }

    /// Nothing is decrypted while a snapshot could not follow (its key would be forgotten), and
    /// a journal gone missing leaves its key's record in place.
    @Test func decryptionStopsForASnapshotItCannotReadAndARecordOutlivesAMissingJournal() throws {
        var harness: Harness! = try Harness(config: Self.config)
        _ = try harness.call(Request.Note(text: Self.word, kind: nil)).get()
        _ = try harness.call(Request.Encrypt(passphrase: Self.passphrase)).get()
        _ = try harness.call(Request.Backup(output: nil)).get()
        let unreadable = harness.root + "/data/kindling/snapshots/journal-2020-01-01.sqlite"
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }).write(to: URL(fileURLWithPath: unreadable))

        let refused = try harness.failure(Request.Decrypt())
        #expect(refused?.message.contains("nothing was decrypted") == true, "\(refused?.message ?? "decrypted")")
        #expect(refused?.message.contains("journal-2020-01-01.sqlite") == true)
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "encrypted")
        let record = harness.root + "/data/kindling/journal.sqlite.key-params"
        #expect(FileManager.default.fileExists(atPath: record))
        #expect(hits(Self.word, under: harness.root + "/data") == 0, "a snapshot was left decrypted")

        harness.daemon.queue.sync { harness.daemon.keys.forgetCachedKey() }
        let root = harness.stop()
        harness = nil
        try FileManager.default.removeItem(atPath: root + "/data/kindling/journal.sqlite")
        harness = try Harness(config: Self.config, root: root)
        #expect(try harness.call(Request.Status()).get().encryption?.journal == "plaintext")
        #expect(FileManager.default.fileExists(atPath: record), "the record went while encrypted copies remain")
    }

    @Test func decryptingAPlaintextJournalAndUnlockingAnOpenOneAreRefusedPlainly() throws {
        let harness = try Harness(config: Self.config)
        #expect(try harness.failure(Request.Decrypt())?.message == "the journal is not encrypted; nothing was changed")
        #expect(
            try harness.failure(Request.Unlock(passphrase: "x"))?.message
                == "the journal is not encrypted; there is nothing to unlock")
        let status = try harness.call(Request.Status()).get()
        #expect(status.encryption?.journal == "plaintext")
        #expect(status.encryption?.cipher.hasPrefix("4.") == true)
    }
}
