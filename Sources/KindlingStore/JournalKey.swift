import CSQLCipher
import Foundation
import GRDB

/// The 256-bit key the journal is encrypted with (SQLCipher's raw key: used as it is, so opening
/// a connection costs no key derivation). It comes from the person's keyring or passphrase; the
/// store only applies it. Its bytes are never written into SQL text, where an error message or a
/// trace could carry them.
public struct JournalKey: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Never the bytes, should a key ever be interpolated into a message or dumped.
    public var description: String { "JournalKey(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// The key's length in bytes.
    public static let length = 32

    /// The key itself.
    public let bytes: [UInt8]

    /// A key from exactly ``length`` bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = bytes
    }

    /// A new random key, from the kernel's generator.
    public static func random() -> JournalKey {
        var generator = SystemRandomNumberGenerator()
        return JournalKey(bytes: (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) })!
    }

    /// SQLCipher's raw-key form, `x'<64 hex digits>'`, as bytes for `sqlite3_key`.
    var rawKeyText: [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("x'".utf8)
        text.reserveCapacity(3 + 2 * Self.length)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        text.append(UInt8(ascii: "'"))
        return text
    }

    /// Keys `db` before its first read; a no-op for a plaintext journal (`key` nil).
    static func apply(_ key: JournalKey?, to db: Database) throws {
        guard let key else { return }
        // SQLCipher writes its own lines to stderr (a wrong key logs "hmac check failed"): the
        // daemon says what happened in its own words, once.
        try db.execute(sql: "PRAGMA cipher_log_level = NONE")
        var text = key.rawKeyText
        defer { for index in text.indices { text[index] = 0 } }
        let connection = UnsafeMutableRawPointer(db.sqliteConnection)
        let code = text.withUnsafeBytes { kindling_sqlcipher_key(connection, $0.baseAddress, Int32($0.count)) }
        guard code == 0 /* SQLITE_OK */ else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not apply the journal's key")
        }
    }

    /// Gives the open connection `db` a new key (or, with nil, takes the encryption off),
    /// rewriting every page in place.
    static func rekey(_ db: Database, to key: JournalKey?) throws {
        var text = key?.rawKeyText ?? []
        defer { for index in text.indices { text[index] = 0 } }
        let connection = UnsafeMutableRawPointer(db.sqliteConnection)
        let code = text.withUnsafeBytes { kindling_sqlcipher_rekey(connection, $0.baseAddress, Int32($0.count)) }
        guard code == 0 /* SQLITE_OK */ else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not change the journal's key")
        }
    }
}

extension AppDatabase {
    /// Whether the file at `path` looks like an encrypted journal (or random bytes) rather than
    /// a plaintext SQLite database; false for an empty or missing file.
    public static func looksEncrypted(_ path: String) -> Bool {
        JournalFile.looksEncrypted(path)
    }

    /// SQLCipher's version as the linked library reports it (`PRAGMA cipher_version`), or nil when
    /// the library in this program is plain SQLite: then the journal cannot be encrypted, and the
    /// daemon refuses to start rather than write the person's words in the clear by mistake.
    public static func cipherVersion() -> String? {
        do {
            let queue = try DatabaseQueue()
            // Freeing a queue wakes libdispatch's pool: parked, as every connection is.
            defer {
                try? queue.close()
                ConnectionParking.keep(queue)
            }
            return try queue.read { db in try String.fetchOne(db, sql: "PRAGMA cipher_version") }
        } catch {
            return nil
        }
    }
}

extension JournalFile {
    /// Whether the file at `path` holds something but does not begin as a plaintext SQLite
    /// database does: SQLCipher's first 16 bytes are a random salt. (A plaintext file whose
    /// first page was destroyed looks the same; it could not be opened either way.)
    static func looksEncrypted(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 16)
        let count = fread(&header, 1, 16, file)
        guard count > 0 else { return false }
        return count < 16 || header != Array("SQLite format 3\0".utf8)
    }
}
