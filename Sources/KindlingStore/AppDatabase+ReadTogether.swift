// Reads taken together: the writer connection held once for a burst of named reads.
//
// Each named read (``AppDatabase/recentPromptKeys(slot:limit:)`` and the like) takes the
// connection on its own. Composing one prompt asks about twenty such questions, and taking it
// (once a pool reader, with BEGIN and COMMIT each parsed anew) cost more than the queries.
import GRDB
import GRDBSQLite

extension AppDatabase {
    /// Runs `body` with its reads of this journal (on this thread) on the writer connection,
    /// taken once. The reads run outside any explicit transaction, each statement on the journal
    /// as last committed: a write inside `body` (a program's first day) runs on the same
    /// connection and is seen by the reads after it. Only the daemon writes, from the same
    /// queue, so nothing lands between the statements of one read that it did not make itself.
    /// Other threads wait for the connection until `body` returns.
    ///
    /// Inside `body`, nothing may take the writer other than reentrantly (``read(_:)`` and
    /// ``write(_:)`` do).
    public func readingTogether<T>(_ body: () -> T) -> T {
        // GRDB's reentrant write hands the connection this thread already holds to every
        // ``read(_:)`` and ``write(_:)`` inside `body`, and to a nested group.
        dbWriter.unsafeReentrantWrite { _ in body() }
    }
}

extension Database {
    /// How many pages this connection has had to read from the file (SQLite's cache misses),
    /// for tests of what stays in its page cache.
    var cacheMissesForTesting: Int32 {
        var current: Int32 = 0
        var highest: Int32 = 0
        sqlite3_db_status(sqliteConnection, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, 0)
        return current
    }
}
