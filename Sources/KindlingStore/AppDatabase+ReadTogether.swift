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
    let thread: pthread_t
    /// Valid only while the group runs: it clears itself before the reader goes back.
    unowned(unsafe) let db: Database

    init(db: Database) {
        thread = pthread_self()
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
    public func readingTogether<T>(_ body: () -> T) -> T {
        guard dbWriter is DatabasePool, currentSharedRead() == nil else { return body() }
        var result: T?
        do {
            try dbWriter.unsafeReentrantRead { db in
                sharedRead.withLock { $0 = SharedRead(db: db) }
                defer { sharedRead.withLock { $0 = nil } }
                result = body()
            }
        } catch {
            // No reader could be had: each read then tries for itself (and reports).
        }
        return result ?? body()
    }

    /// The reader this thread holds for ``readingTogether(_:)``, if any.
    func currentSharedRead() -> Database? {
        sharedRead.withLock { shared in
            guard let shared, pthread_equal(shared.thread, pthread_self()) != 0 else { return nil }
            return shared.db
        }
    }
}
