import Foundation
import KindlingStore
import KindlingSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Where the journal's key is kept between runs, and getting it back.
///
/// With a passphrase, a small record beside the journal (`journal.sqlite.key-params`: Argon2id's
/// salt and costs, and a check that tells a wrong passphrase at once) lets the daemon derive the
/// key again from the passphrase, which is never stored; once derived, the key waits in the
/// kernel's user keyring until the person's last session ends, so it is asked once per boot.
/// (The keyring side, the Secret Service, is ``SecretKeys``.)
final class JournalKeys {
    /// Why a passphrase could not give the key, worded for the person.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    let journalPath: String
    private let log: Logger

    init(journalPath: String, log: Logger) {
        self.journalPath = journalPath
        self.log = log
    }

    /// The passphrase record's path, beside the journal.
    var recordPath: String { journalPath + ".key-params" }

    /// The name the unlocked key is cached under in the kernel's user keyring.
    private var cacheName: String { journalPath }

    /// Whether the journal's key comes from a passphrase (its record is there).
    var hasPassphrase: Bool { access(recordPath, F_OK) == 0 }

    /// Kindling's mark that the journal's key is kept in the keyring: nothing secret, only what
    /// tells a journal Kindling encrypted (whose prompts wait for the keyring) from a file that
    /// merely looks encrypted (random bytes).
    var keyringMarkPath: String { journalPath + ".keyring" }

    var hasKeyringMark: Bool { access(keyringMarkPath, F_OK) == 0 }

    /// Writes the mark, naming the keyring item's id (``SecretKeys/attributes(keyID:)``).
    func writeKeyringMark(keyID: String) throws(Refusal) {
        try writeFile(
            keyringMarkPath,
            "kindling-key=\(keyID)\nThe key of \(URL(fileURLWithPath: journalPath).lastPathComponent) is kept in "
                + "your keyring (Secret Service item with application=kindling and this kindling-key).\n")
    }

    /// The keyring item's id the mark names; nil without a mark, or a mark that names none.
    var keyringMarkID: String? {
        guard let text = try? String(contentsOfFile: keyringMarkPath, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix("kindling-key=") }
        return line.map { String($0.dropFirst("kindling-key=".count)) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func forgetKeyringMark() {
        if unlink(keyringMarkPath) == 0 { AppDatabase.syncFolder(JournalFolder.folder(of: keyringMarkPath)) }
    }

    /// Derives a key from a new passphrase, with a fresh salt, and writes its record (first, so
    /// that a journal encrypted with it can always be opened again). Takes a fifth of a second
    /// or so: Argon2id's cost is the point.
    func newPassphraseKey(_ passphrase: String) throws(Refusal) -> JournalKey {
        do {
            let derived = try PassphraseKey.derive(
                passphrase: Array(passphrase.utf8), parameters: try PassphraseKey.newParameters())
            try writeFile(recordPath, derived.record.text)
            guard let key = JournalKey(bytes: derived.bytes) else {
                throw Refusal(description: "the derived key has the wrong length")
            }
            return key
        } catch let error as Refusal {
            throw error
        } catch {
            throw Refusal(description: "no key could be made from the passphrase: \(error)")
        }
    }

    /// The key `passphrase` gives with the recorded parameters; refused when its check differs.
    func key(fromPassphrase passphrase: String) throws(Refusal) -> JournalKey {
        let text: String
        do {
            text = try String(contentsOfFile: recordPath, encoding: .utf8)
        } catch {
            throw Refusal(
                description: "the journal has no passphrase record at \(recordPath) (\(JournalKeys.reason(error))); "
                    + "if it is kept in your keyring, unlock the keyring instead")
        }
        do {
            let record = try PassphraseKey.Record(parsing: text)
            let derived = try PassphraseKey.unlock(passphrase: Array(passphrase.utf8), record: record)
            guard let key = JournalKey(bytes: derived.bytes) else {
                throw Refusal(description: "the derived key has the wrong length")
            }
            return key
        } catch PassphraseKeyError.wrongPassphrase {
            throw Refusal(description: "that passphrase does not open the journal; nothing was changed")
        } catch let error as Refusal {
            throw error
        } catch {
            throw Refusal(description: "\(recordPath) cannot be read: \(error); restore it from a backup of that folder")
        }
    }

    /// Keeps `key` in the kernel's user keyring for this boot. Best effort: where the kernel
    /// refuses keys (some containers), the passphrase is asked at each start, and the log says so.
    func cache(_ key: JournalKey) {
        do {
            try SessionKeyCache.store(name: cacheName, key: key.bytes, lifetime: nil)
        } catch {
            log.notice(
                "the journal's key cannot be kept for this session (\(error.description)); `kindling unlock` is asked at each start"
            )
        }
    }

    /// The key kept for this boot, if any.
    func cachedKey() -> JournalKey? {
        (try? SessionKeyCache.load(name: cacheName)).flatMap { $0 }.flatMap { JournalKey(bytes: $0) }
    }

    /// Forgets the passphrase: its record and the cached key (after a decryption, or when the
    /// journal turned out to be plaintext after all).
    func forgetPassphrase() {
        if unlink(recordPath) == 0 {
            AppDatabase.syncFolder(JournalFolder.folder(of: recordPath))
            log.info("removed \(recordPath): the journal is not kept with a passphrase")
        }
        forgetCachedKey()
    }

    /// Drops the key kept for this boot (a stale one, or after a decryption).
    func forgetCachedKey() {
        _ = try? SessionKeyCache.remove(name: cacheName)
    }

    /// Writes `text` to `path` through a temporary file renamed into place, synced, mode 0600.
    private func writeFile(_ path: String, _ text: String) throws(Refusal) {
        let recordPath = path
        // Named as the start-up sweep knows temporary copies (RestoreHandler.removeLeftovers).
        let temporary =
            JournalFolder.folder(of: recordPath) + "/." + URL(fileURLWithPath: recordPath).lastPathComponent
            + ".tmp-\(getpid())-0"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Refusal(description: "\(temporary) cannot be written: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, recordPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Refusal(description: "\(recordPath) cannot be written: \(reason)")
        }
        AppDatabase.syncFolder(JournalFolder.folder(of: recordPath))
    }

    private static func reason(_ error: any Error) -> String {
        ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? "it cannot be read"
    }
}
