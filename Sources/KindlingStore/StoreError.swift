// Why the journal could not be opened or written, in one line a person can act on.
import Foundation
import GRDB

/// A journal failure. Its `description` is one line that says what happened and how to fix it; it never
/// contains what the person wrote. No GRDB type leaks through it.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file is not a readable SQLite database, or `PRAGMA quick_check` found damage. Left untouched.
    case corrupt(path: String, reason: String)
    /// A valid SQLite file that belongs to something else. Left untouched.
    case foreign(path: String, reason: String)
    /// The file records migrations this binary does not know. Left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file or its folder cannot be created, read or written (read-only mount, permissions...).
    case unwritable(path: String, reason: String)
    /// The journal, a file beside it or its folder belongs to another user or is shared with others:
    /// using it could hand the person's words to someone else. Left untouched.
    case notPrivate(path: String, reason: String)
    /// A write failed on the way to the disk (disk full, I/O error, read-only, locked, closed).
    case storage(String)
    /// The journal refused the values (a CHECK, NOT NULL or foreign key constraint).
    case rejected(String)
    /// The row a write refers to does not exist.
    case notFound(String)
    /// The journal is encrypted and was opened without its key (or it is random bytes: without
    /// a key the two cannot be told apart). Left untouched.
    case keyNeeded(path: String)
    /// The journal is encrypted with another key than the one given. Left untouched.
    case wrongKey(path: String)
    /// A key was given for a journal that is not encrypted. Left untouched.
    case notEncrypted(path: String)

    public var description: String {
        Self.printable(sentence)
    }

    /// A file's own bytes reach these messages (SQLite quotes a malformed schema, a quick_check
    /// names what it found): controls are replaced, so that the line shown by `status`, STATUS=
    /// and the CLI can never drive a terminal or break into several lines.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .lineSeparator
                        || scalar.properties.generalCategory == .paragraphSeparator ? "\u{FFFD}" : scalar
                }))
    }

    private var sentence: String {
        switch self {
        case let .corrupt(path, reason):
            "the journal at \(path) is damaged (\(reason)); it was left untouched. "
                + "Restore a snapshot with `kindling restore FILE`."
        case let .foreign(path, reason):
            "\(path) is not a Kindling journal (\(reason)); it was left untouched. "
                + "Move it away, or point KINDLING_DATA_DIR at another folder."
        case let .newerSchema(path, unknown):
            "the journal at \(path) was written by a newer Kindling (unknown migrations: "
                + "\(unknown.joined(separator: ", "))); upgrade Kindling (nothing was changed)."
        case let .unwritable(path, reason):
            "the journal at \(path) cannot be written: \(reason). "
                + "Make the file and its folder writable by you (and the file system read-write), then run `kindling reload`."
        case let .notPrivate(path, reason):
            "the journal at \(path) is not private: \(reason); it was left untouched. "
                + "Keep the journal in a folder only you own (mode 0700, KINDLING_DATA_DIR), then run `kindling reload`."
        case let .storage(message):
            "the journal could not be written: \(message)"
        case let .rejected(message):
            "the journal refused the entry: \(message)"
        case let .notFound(message):
            message
        case let .keyNeeded(path):
            // Without a key, an encrypted journal and a file of random bytes look the same.
            "the journal at \(path) cannot be read: it is encrypted and its key is not at hand, or it is "
                + "damaged; it was left untouched. If it is encrypted, unlock your keyring or run `kindling unlock`; "
                + "if not, restore a snapshot with `kindling restore FILE`."
        case let .wrongKey(path):
            "the journal at \(path) is encrypted with another key than the one found; it was left untouched. "
                + "If you changed your passphrase or keyring, give the one it was encrypted with (`kindling unlock`)."
        case let .notEncrypted(path):
            "the journal at \(path) is not encrypted, yet a key was given for it; it was left untouched. "
                + "Encrypt it with `kindling encrypt`."
        }
    }
}

extension StoreError {
    /// Maps any error thrown by GRDB, SQLite or the store itself to a StoreError.
    /// `path` names the file in messages about opening; writes pass nil.
    /// `key`, when opening: the key the file was opened with, so that a file SQLite cannot read is
    /// told apart as encrypted (no key, or another key) or plaintext opened with a key.
    static func wrapping(_ error: any Error, path: String? = nil, key: JournalKey?) -> StoreError {
        let wrapped = wrapping(error, path: path)
        guard case .corrupt = wrapped, let path, let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB
        else { return wrapped }
        switch (JournalFile.looksEncrypted(path), key) {
        case (true, nil): return .keyNeeded(path: path)
        case (true, .some): return .wrongKey(path: path)
        case (false, .some): return .notEncrypted(path: path)
        case (false, nil): return wrapped
        }
    }

    /// A row with a value of the wrong type, or NULL where a value belongs (a damaged or
    /// hand-edited file). Its contents are never named: they are the person's words.
    static let unreadableRow = StoreError.storage(
        "a row of the journal holds a value Kindling cannot read; `kindling restore` a snapshot")

    static func wrapping(_ error: any Error, path: String? = nil) -> StoreError {
        if let error = error as? StoreError { return error }
        // GRDB describes a row it could not decode by printing the whole row, the person's words
        // included: that must never reach a log, `status` or a reply. Name the column only.
        if error is RowDecodingError { return .unreadableRow }
        guard let error = error as? DatabaseError else {
            // Only our own errors and GRDB's are expected here; anything else is named by type,
            // never printed, since its description may carry row contents.
            return .storage("the journal failed unexpectedly (\(type(of: error)))")
        }
        // SQLite's own message (e.g. "CHECK constraint failed: mood BETWEEN 1 AND 5") never contains
        // bound values, so it is safe to show. GRDB's `description` could contain SQL: not used.
        let detail = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_FULL:
            return .storage("the disk is full (free some space, then try again)")
        case .SQLITE_IOERR:
            return .storage("a disk I/O error occurred (\(detail)); check the disk and the system log")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            if let path {
                return .unwritable(path: path, reason: detail)
            }
            return .storage("the journal is read-only or cannot be opened (\(detail))")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            if let path {
                return .corrupt(path: path, reason: detail)
            }
            return .storage("the journal is damaged (\(detail)); restore a snapshot with `kindling restore FILE`")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .storage("the journal is locked by another program (\(detail)); try again in a moment")
        case .SQLITE_CONSTRAINT:
            return .rejected(detail)
        case .SQLITE_NOMEM:
            return .storage("out of memory")
        case .SQLITE_MISUSE:
            return .storage("the journal is closed (\(detail))")
        default:
            return .storage(detail)
        }
    }
}
