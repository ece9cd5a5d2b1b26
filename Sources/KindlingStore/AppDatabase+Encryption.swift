// Encrypting and decrypting a journal file in place, through SQLCipher's export: a new file is
// written beside the old one and renamed over it, so that a crash at any moment leaves either
// the old journal or the new one, whole.
import CSQLCipher
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension AppDatabase {
    /// Rewrites the closed journal (or snapshot) at `path`, encrypted with `newKey` (nil:
    /// plaintext), from its present encryption `oldKey`. Checks the file first, as opening does,
    /// and refuses a wrong key (`wrongKey`, `keyNeeded`, `notEncrypted`) without changing a byte.
    ///
    /// After the new file is in place, an old plaintext file's bytes are overwritten with zeros
    /// before its space is let go, and its empty -wal and -shm are removed. (A file system that
    /// writes elsewhere, copy-on-write or an SSD's own remapping, may still hold old blocks: that
    /// is for full-disk encryption to cover.)
    public static func convertJournal(
        at path: String, from oldKey: JournalKey?, to newKey: JournalKey?, progress: StillWorking? = nil
    ) throws(StoreError) {
        let path = JournalFile.absolute(path)
        try inspect(path: path, key: oldKey, allowEmpty: false, progress: progress)
        // Everything in the WAL goes into the file first: the export reads the file as a whole,
        // and the WAL left beside the new file must be empty (its frames would belong to the old).
        try checkpoint(path: path, key: oldKey)
        let old = oldKey == nil ? Glibc.open(path, O_RDWR | O_CLOEXEC) : -1
        defer { if old >= 0 { _ = Glibc.close(old) } }
        try copyJournal(from: path, sourceKey: oldKey, to: path, key: newKey, progress: progress)
        for sidecar in [path + "-wal", path + "-shm"] { _ = unlink(sidecar) }
        if old >= 0 { overwriteUnlinked(old) }
    }

    /// Copies every table of the database at `source` (encrypted with `key`, or plaintext) into
    /// `db`'s main database, with the marks SQLCipher's export leaves out.
    static func export(from source: String, key: JournalKey?, into db: Database) throws {
        // The attached file's pages go through the same provider as a keyed connection's.
        _ = kindling_sqlcipher_use_cached_provider()
        // The key is bound, never written into the statement's text (an error message or a trace
        // could show that). An empty key attaches the file as plaintext.
        if var keyText = key?.rawKeyText {
            var bound = Data(keyText)
            defer {
                for index in keyText.indices { keyText[index] = 0 }
                bound.resetBytes(in: 0..<bound.count)
            }
            try db.execute(sql: "ATTACH DATABASE ? AS source KEY ?", arguments: [source, bound])
        } else {
            // An empty key, written out: attached as plaintext (a NULL would take main's key).
            try db.execute(sql: "ATTACH DATABASE ? AS source KEY ''", arguments: [source])
        }
        defer { try? db.execute(sql: "DETACH DATABASE source") }
        _ = try Row.fetchOne(db, sql: "SELECT sqlcipher_export('main', 'source')")
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA source.application_id") ?? 0
        let userVersion = try Int32.fetchOne(db, sql: "PRAGMA source.user_version") ?? 0
        try db.execute(sql: "PRAGMA main.application_id = \(applicationID)")
        try db.execute(sql: "PRAGMA main.user_version = \(userVersion)")
    }

    private static func checkpoint(path: String, key: JournalKey?) throws(StoreError) {
        var config = Configuration()
        config.label = "Kindling.convert"
        config.busyMode = .timeout(3)
        config.prepareDatabase { db in try JournalKey.apply(key, to: db) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer {
                try? queue.close()
                ConnectionParking.keep(queue)
            }
            try queue.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError.wrapping(error, path: path, key: key)
        }
    }

    /// Writes zeros over the whole of the file open at `fd`, and syncs them, once no name is
    /// left for it (a file that another name still reaches, a hard link someone made, is theirs
    /// and left alone). Used for a plaintext journal's old file and old WAL after an encryption.
    public static func overwriteUnlinked(_ fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_nlink == 0 else { return }
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while offset < info.st_size {
            let count = min(zeros.count, Int(info.st_size - offset))
            let written = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, count, offset) }
            guard written > 0 else { return }
            offset += off_t(written)
        }
        _ = fsync(fd)
    }
}
