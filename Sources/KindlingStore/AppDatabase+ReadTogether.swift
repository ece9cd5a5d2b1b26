// Reads taken together: one pool reader for a burst of named reads.
//
// Each named read (``AppDatabase/recentPromptKeys(slot:limit:)`` and the like) takes a pool
// reader and wraps its query in BEGIN and COMMIT, each parsed anew. Composing one prompt asks
// about twenty such questions, and that ceremony cost more than the queries.
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The reader a thread holds for ``AppDatabase/readingTogether(_:)``.
final class SharedRead: @unchecked Sendable {
    /// Valid only while the group runs: the group removes this entry before the reader goes back
    /// to the pool, and only its own thread ever reads it.
    unowned(unsafe) let db: Database

    init(db: Database) {
        self.db = db
    }
}

extension AppDatabase {
    /// Runs `body` with its reads of this journal (on this thread) on one pool reader, taken
    /// once. The reads run outside any explicit transaction, each statement on the journal as
    /// last committed: a write inside `body` (a program's first day) is seen by the reads after
    /// it, as before. Only the daemon writes, from the same queue, so nothing lands between the
    /// statements of one read that it did not make itself. Nothing changes for other threads.
    ///
    /// An in-memory journal (tests) reads as usual: its one connection cannot write while read.
    /// Inside `body`, nothing may read the pool directly (``checkIntegrity(progress:)``, a
    /// backup): GRDB refuses a second reader on a thread that holds one.
    public func readingTogether<T>(_ body: () -> T) -> T {
        guard dbWriter is DatabasePool, currentSharedRead() == nil else { return body() }
        let thread = UInt(pthread_self())
        var result: T?
        do {
            try dbWriter.unsafeReentrantRead { db in
                sharedReads.withLock { $0[thread] = SharedRead(db: db) }
                defer { sharedReads.withLock { $0[thread] = nil } }
                result = body()
            }
        } catch {
            // No reader could be had: each read then tries for itself (and reports).
        }
        return result ?? body()
    }

    /// The reader this thread holds for ``readingTogether(_:)``, if any.
    func currentSharedRead() -> Database? {
        let thread = UInt(pthread_self())
        return sharedReads.withLock { $0[thread]?.db }
    }
}
