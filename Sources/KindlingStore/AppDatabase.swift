// The journal: the one gateway to SQL. Follows GRDB's AppDatabase pattern: a Sendable class around a
// DatabaseWriter, a private migrator, writes named after intentions, reads on the writer
// connection too (see `read(_:)`).
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The person's private journal.
///
/// Open it with ``open(path:)`` (file-backed, WAL, synchronous=FULL, secure_delete) or ``inMemory()``
/// (tests). Opening refuses, without changing a byte of the file, a damaged file, another application's
/// database and a journal written by a newer Kindling; see ``StoreError``.
///
/// All methods are synchronous and may be called from any thread; GRDB serializes writes.
public final class AppDatabase: Sendable {
    /// The connection (a DatabasePool for files, a DatabaseQueue in memory). Internal: tests use it.
    let dbWriter: any DatabaseWriter

    /// The journal's absolute path; nil in memory.
    public let path: String?

    /// Things worth logging that happened while opening, e.g. permissions that were tightened.
    public let notices: [String]

    /// The key the journal is encrypted with; nil for a plaintext journal. Copies (backups,
    /// snapshots) are written with the same key.
    public let key: JournalKey?

    /// Whether the whole-file integrity check is still to run (``open(path:progress:deferringCheck:)``
    /// left it for ``checkIntegrity(progress:)``). Until it has passed, write nothing.
    public var integrityCheckPending: Bool { checkPending.load(ordering: .acquiring) }
    private let checkPending: Atomic<Bool>

    init(
        dbWriter: any DatabaseWriter, path: String?, notices: [String], key: JournalKey? = nil, checkPending: Bool = false
    ) throws {
        self.dbWriter = dbWriter
        self.path = path
        self.notices = notices
        self.key = key
        self.checkPending = Atomic(checkPending)
        instance = Self.instances.add(1, ordering: .relaxed).newValue
        try practised.install(on: dbWriter)
    }

    /// Which journal, and how many writes it has seen: what is computed from a journal's content
    /// (`status`, say) can be kept while this stays the same. Each opened journal has a number of
    /// its own for the life of the process, so a journal swapped for another (a restore) never
    /// looks unchanged, and writes to another journal in the same process (tests) change nothing.
    public struct Generation: Hashable, Sendable {
        public let instance: UInt64
        public let writes: UInt64
    }

    /// ``practisedDays(since:)``'s days, kept current by the writer connection itself: `stats`,
    /// `status` and prompt composition read them again and again, and few writes change them.
    let practised = PractisedDays()

    /// See ``Generation``.
    public var generation: Generation { Generation(instance: instance, writes: writes.load(ordering: .acquiring)) }
    private let instance: UInt64
    private let writes = Atomic<UInt64>(0)
    private static let instances = Atomic<UInt64>(0)

    // MARK: - Opening

    /// Opens (creating if needed) the journal at `path` and brings its schema up to date.
    ///
    /// The folder is created 0700 and the file 0600, whatever the umask; looser existing modes are
    /// tightened and reported in ``notices``. The file is inspected through a read-only connection before
    /// anything writes to it: a damaged file or one whose schema differs in any way from what the
    /// migrations create (`corrupt`), another application's database (`foreign`) or a newer schema
    /// (`newerSchema`) is refused and left exactly as it was.
    /// `progress` is called now and then while a large file is checked (see ``StillWorking``).
    ///
    /// `deferringCheck`: the whole-file check (`PRAGMA quick_check`, most of the time it takes to open
    /// a large journal) is left for ``checkIntegrity(progress:)`` when opening writes nothing: the
    /// schema is current and the file is already in WAL mode. The caller must run that check before
    /// any write; ``integrityCheckPending`` says whether it still has to. Every other inspection runs.
    ///
    /// `key`: the journal's encryption key, nil for a plaintext journal. An encrypted journal opened
    /// without its key fails with `keyNeeded`, with another key `wrongKey`, and a plaintext one
    /// opened with a key `notEncrypted`: never `corrupt`. A new journal is created with `key`.
    public static func open(
        path: String, key: JournalKey? = nil, progress: StillWorking? = nil, deferringCheck: Bool = false
    ) throws(StoreError) -> AppDatabase {
        let path = JournalFile.absolute(path)
        let folder = JournalFile.folder(of: path)

        try JournalFile.createFolder(folder, journal: path)
        // Before anything is created or opened there: SQLite would write the person's words into
        // another user's file, and make the -wal and -shm as readable as the journal it found.
        try JournalFile.checkOwnership(path, folder: folder)
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw .foreign(path: path, reason: "it is not a regular file")
            }
        } else if errno == ENOENT {
            try JournalFile.createFile(path)
        } else {
            throw .unwritable(path: path, reason: JournalFile.osReason())
        }
        try JournalFile.checkWritable(path, folder: folder)

        let inspection = try inspect(path: path, key: key, progress: progress, deferringCheck: deferringCheck)

        var notices: [String] = []
        if let notice = try JournalFile.tightenFolder(folder, journal: path) {
            notices.append(notice)
        }
        notices += try JournalFile.tightenFiles(path)

        do {
            let pool = try DatabasePool(path: path, configuration: configuration(key: key))
            // DatabasePool sets synchronous=NORMAL when it enables WAL: the journal wants FULL, so that
            // an answer acknowledged to the person survives a power cut.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            // Deferred only when nothing above wrote: a migration must never land in a damaged file.
            if !inspection.checkDeferred { try migrator.migrate(pool) }
            return try AppDatabase(
                dbWriter: pool, path: path, notices: notices, key: key, checkPending: inspection.checkDeferred)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// An empty, migrated journal in memory, for tests.
    public static func inMemory() -> AppDatabase {
        do {
            let queue = try DatabaseQueue(configuration: configuration(key: nil))
            try migrator.migrate(queue)
            return try AppDatabase(dbWriter: queue, path: nil, notices: [])
        } catch {
            preconditionFailure("cannot create an in-memory journal: \(error)")
        }
    }

    /// Closes the connections. Later calls fail with `storage`.
    public func close() throws(StoreError) {
        ConnectionParking.keep(dbWriter)
        // The parked connection keeps its callbacks, and with them what they know: the days
        // kept go now (an erased journal's dates must not stay in memory until the daemon ends).
        practised.drop()
        do {
            try dbWriter.close()
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// The configuration shared by every connection.
    private static func configuration(key: JournalKey?) -> Configuration {
        var config = Configuration()
        config.label = "Kindling.journal"
        config.foreignKeysEnabled = true
        // Another process (a backup, the sqlite3 shell) may hold the write lock for a moment.
        config.busyMode = .timeout(3)
        config.prepareDatabase { db in
            // The key first: nothing can be read before it.
            try JournalKey.apply(key, to: db)
            // Deleted and edited text is overwritten on disk, not merely unlinked from the b-tree.
            try db.execute(sql: "PRAGMA secure_delete = ON; PRAGMA synchronous = FULL")
        }
        return config
    }

    /// What ``inspect(path:allowEmpty:progress:deferringCheck:)`` left to do.
    struct Inspection {
        /// The quick_check was not run: the file needs no migration and is in WAL mode already.
        var checkDeferred = false
    }

    /// Runs the whole-file check that ``open(path:progress:deferringCheck:)`` deferred; a no-op
    /// when none is pending. Throws `corrupt` with SQLite's first finding.
    public func checkIntegrity(progress: StillWorking? = nil) throws(StoreError) {
        guard integrityCheckPending else { return }
        let path = self.path ?? ":memory:"
        do {
            try dbWriter.read { db in try Self.quickCheck(db, path: path, progress: progress) }
        } catch {
            // As when opening: SQLite may raise the damage as an error rather than list it.
            throw StoreError.wrapping(error, path: path)
        }
        checkPending.store(false, ordering: .releasing)
    }

    private static func quickCheck(_ db: Database, path: String, progress: StillWorking?) throws {
        let problems = try db.reportingProgress(progress) { try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard problems == ["ok"] else {
            let first = problems.first { !$0.hasPrefix("***") } ?? "quick_check failed"
            let line = first.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw StoreError.corrupt(path: path, reason: "quick_check: \(line)")
        }
    }

    /// Looks at the file through a read-only connection and refuses what is not ours or not sound.
    /// An empty file (no schema, application_id 0) passes when `allowEmpty`: it is about to be migrated.
    /// `deferringCheck`: see ``open(path:progress:deferringCheck:)``.
    @discardableResult
    static func inspect(
        path: String, key: JournalKey?, allowEmpty: Bool = true, progress: StillWorking? = nil, deferringCheck: Bool = false
    ) throws(StoreError) -> Inspection {
        var inspection = Inspection()
        var config = Configuration()
        config.readonly = true
        config.label = "Kindling.inspect"
        config.busyMode = .timeout(3)
        config.prepareDatabase { db in try JournalKey.apply(key, to: db) }
        // A read-only connection on a WAL file creates -wal and -shm beside it. If a refused file had
        // none, remove the empty ones this look created, so a refusal leaves the folder as it was.
        let sidecars = [path + "-wal", path + "-shm"]
        let hadSidecars = sidecars.map { FileManager.default.fileExists(atPath: $0) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer {
                try? queue.close()
                ConnectionParking.keep(queue)
            }
            try queue.read { db throws in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try String.fetchAll(
                    db,
                    sql: """
                        SELECT name FROM sqlite_master
                        WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                        ORDER BY name
                        """)
                let schemaCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0

                guard applicationID == Self.applicationID else {
                    if applicationID != 0 {
                        let hex = String(UInt32(bitPattern: applicationID), radix: 16)
                        throw StoreError.foreign(
                            path: path, reason: "it belongs to another application (application_id 0x\(hex))")
                    }
                    if schemaCount == 0 {
                        guard allowEmpty else {
                            throw StoreError.foreign(path: path, reason: "it is an empty database, not a journal")
                        }
                        return  // a new, empty database: migrated, so never deferred
                    }
                    let shown = tables.prefix(3).joined(separator: ", ")
                    let more = tables.count > 3 ? ", ..." : ""
                    throw StoreError.foreign(
                        path: path,
                        reason: tables.isEmpty
                            ? "it holds a schema Kindling did not create"
                            : "it holds tables Kindling did not create: \(shown)\(more)")
                }

                let migrator = Self.migrator
                let known = Set(migrator.migrations)
                let applied = try migrator.appliedIdentifiers(db)
                let inWAL = try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() == "wal"
                if deferringCheck, applied == known, inWAL {
                    inspection.checkDeferred = true
                } else {
                    try quickCheck(db, path: path, progress: progress)
                }
                let unknown = applied.subtracting(known).sorted()
                guard unknown.isEmpty else {
                    throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
                }
                guard let first = migrator.migrations.first, applied.contains(first) else {
                    throw StoreError.corrupt(path: path, reason: "it carries Kindling's mark but no schema record")
                }
                // Only the exact schema the recorded migrations create: an added trigger or a loosened
                // column would otherwise reach the daemon with the person's journal in it.
                try checkSchema(db, path: path)
            }
        } catch {
            if hadSidecars == [false, false], JournalFile.isEmptyFile(sidecars[0]) {
                sidecars.forEach { _ = unlink($0) }
            }
            throw StoreError.wrapping(error, path: path, key: key)
        }
        return inspection
    }

    // MARK: - Access, with errors mapped

    /// Runs `updates` in a write transaction; any error rolls it back and becomes a StoreError.
    func write<T>(_ updates: (Database) throws -> T) throws(StoreError) -> T {
        // After the transaction, committed or not: a reader that saw the count before it
        // recomputes.
        defer { writes.add(1, ordering: .releasing) }
        // Nothing lands in a file whose integrity is not yet known (a deferred check).
        guard !integrityCheckPending else { throw .storage("the journal's integrity check has not run yet") }
        do {
            // Reentrant: inside ``readingTogether(_:)`` this thread holds the writer already.
            return try dbWriter.unsafeReentrantWrite { db in
                var result: T?
                try db.inTransaction {
                    result = try updates(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// Runs `value` on the writer connection, outside a transaction: each statement reads the
    /// journal as last committed. Only the daemon writes, and the writer runs one closure at a
    /// time, so nothing lands between the statements of one read that it did not make itself.
    ///
    /// Why the writer and not a pool reader: SQLite empties a connection's whole page cache
    /// when it finds that another connection has written since its last read. A reader after
    /// each write read its pages again, which for an encrypted journal means decrypting and
    /// checking every one of them (68 pages for each `respond`, most of them reads; 16 once the
    /// reads moved here, the pages its write changes). The writer's cache survives its own writes.
    func read<T>(_ value: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try dbWriter.unsafeReentrantWrite(value)
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
