// Copies of the journal: backups and snapshots through SQLite's online backup API (consistent while the
// daemon writes), and the checks a file must pass before it may replace the journal.
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension AppDatabase {
    /// Writes a consistent copy of the journal to `path` (mode 0600, a single self-contained file with no
    /// -wal beside it), through a temporary file in the same folder renamed into place: a reader of `path`
    /// sees the old file or the whole new one, never half of it. Returns the absolute path written.
    @discardableResult
    /// The copy is encrypted with the journal's own key, if it has one.
    public func backup(to path: String, progress: StillWorking? = nil) throws(StoreError) -> String {
        try Self.copy(from: dbWriter, to: path, key: key, progress: progress)
    }

    /// Copies the journal file at `source` to `destination` the same way as ``backup(to:)``, reading
    /// `source` through a read-only connection (a restore brings a snapshot in with this).
    ///
    /// `key`: what the copy is encrypted with (nil: plaintext). `sourceKey`: what `source` is
    /// encrypted with; when the two differ the copy goes through SQLCipher's export, which is also
    /// how a journal is encrypted or decrypted (see ``convertJournal(at:from:to:progress:)``).
    @discardableResult
    public static func copyJournal(
        from source: String, sourceKey: JournalKey? = nil, to destination: String, key: JournalKey? = nil,
        progress: StillWorking? = nil
    ) throws(StoreError) -> String {
        let source = JournalFile.absolute(source)
        guard sourceKey == key else {
            return try write(to: destination, key: key) { queue throws in
                try queue.writeWithoutTransaction { db in
                    try export(from: source, key: sourceKey, into: db)
                }
            }
        }
        var config = Configuration()
        config.readonly = true
        config.label = "Kindling.copy-source"
        config.busyMode = .timeout(3)
        config.prepareDatabase { db in try JournalKey.apply(sourceKey, to: db) }
        let reader: DatabaseQueue
        do {
            reader = try DatabaseQueue(path: source, configuration: config)
        } catch {
            throw StoreError.wrapping(error, path: source, key: sourceKey)
        }
        defer {
            try? reader.close()
            ConnectionParking.keep(reader)
        }
        return try copy(from: reader, to: destination, key: key, progress: progress)
    }

    /// Checks, through a read-only connection and without changing a byte, that `path` is a sound
    /// Kindling journal this binary can open: a regular, non-empty file with Kindling's application_id,
    /// a clean quick_check and only known migrations. Throws the reason otherwise.
    /// `key`: what the file is encrypted with (nil: plaintext).
    public static func checkRestorable(path: String, key: JournalKey? = nil, progress: StillWorking? = nil)
        throws(StoreError)
    {
        let path = JournalFile.absolute(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unwritable(path: path, reason: "it cannot be read (\(JournalFile.osReason()))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .foreign(path: path, reason: "it is not a regular file")
        }
        guard info.st_size > 0, access(path, R_OK) == 0 else {
            throw info.st_size == 0
                ? .foreign(path: path, reason: "it is empty")
                : .unwritable(path: path, reason: "it cannot be read (\(JournalFile.osReason()))")
        }
        try inspect(path: path, key: key, allowEmpty: false, progress: progress)
    }

    // MARK: - The copy

    private static func copy(
        from source: any DatabaseReader, to destination: String, key: JournalKey?, progress: StillWorking?
    ) throws(StoreError) -> String {
        try write(to: destination, key: key) { queue throws in
            // In steps of 16 MiB (4 KiB pages) when someone is waiting to hear of progress. SQLite's
            // backup copies pages as they are, so source and copy share one key.
            guard let progress else { return try source.backup(to: queue) }
            // SQLite syncs the copy once, at its end: a gigabyte written to the page cache can
            // take seconds to reach the disk in one call that reports nothing. Flushing after
            // each step keeps every wait to one step's pages. (A failed flush is left to SQLite's
            // own final sync: Linux reports a failed writeback to every descriptor open on the
            // file when it happened.)
            let flushed = Glibc.open(queue.path, O_RDONLY | O_CLOEXEC)
            defer { if flushed >= 0 { _ = Glibc.close(flushed) } }
            try source.backup(to: queue, pagesPerStep: 4096) { _ in
                if flushed >= 0 { _ = fdatasync(flushed) }
                progress()
            }
        }
    }

    /// Writes a new file at `destination` through a temporary one beside it: `fill` gets the
    /// temporary file's connection (keyed with `key`); then the copy is made one self-contained
    /// file, synced, and renamed into place. Returns the absolute path written.
    static func write(
        to destination: String, key: JournalKey?, fill: (DatabaseQueue) throws -> Void
    ) throws(StoreError) -> String {
        let destination = JournalFile.absolute(destination)
        let folder = JournalFile.folder(of: destination)
        let temporary =
            folder + "/." + URL(fileURLWithPath: destination).lastPathComponent
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var info = stat()
        if stat(destination, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw .unwritable(path: destination, reason: "it is a folder")
        }
        try JournalFile.createFile(temporary)
        var renamed = false
        defer {
            if !renamed {
                for file in [temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm"] { _ = unlink(file) }
            }
        }
        do {
            var config = Configuration()
            config.label = "Kindling.backup"
            config.prepareDatabase { db in try JournalKey.apply(key, to: db) }
            let queue = try DatabaseQueue(path: temporary, configuration: config)
            defer {
                try? queue.close()
                ConnectionParking.keep(queue)
            }
            try fill(queue)
            // A copy of a WAL journal says "WAL" in its header: make it one self-contained file.
            try queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            try queue.close()
        } catch {
            throw StoreError.wrapping(error, path: destination)
        }
        try syncFile(temporary, reporting: destination)
        guard rename(temporary, destination) == 0 else {
            throw .unwritable(path: destination, reason: "cannot move the copy into place: \(JournalFile.osReason())")
        }
        renamed = true
        syncFolder(folder)
        return destination
    }

    private static func syncFile(_ path: String, reporting destination: String) throws(StoreError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unwritable(path: destination, reason: JournalFile.osReason()) }
        defer { _ = Glibc.close(fd) }
        _ = fchmod(fd, 0o600)
        guard fsync(fd) == 0 else { throw .storage("the copy could not be written to disk: \(JournalFile.osReason())") }
    }

    /// Makes a rename durable.
    public static func syncFolder(_ folder: String) {
        let fd = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }
}
