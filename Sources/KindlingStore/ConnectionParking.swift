import Foundation

/// Keeps closed GRDB connections allocated for the life of the process.
///
/// GRDB tags each connection's dispatch queue with queue-specific values, and libdispatch
/// runs their destructors on the default global queue when such a queue is freed. That
/// first use of a global queue starts libdispatch's worker-pool monitor, a 1 Hz timer that
/// then wakes the daemon every second for good (measured: 9 context switches in 10 s idle,
/// against 0). So a connection is closed (its SQLite handle and file descriptors are
/// released) but the Swift object is kept here: a few hundred bytes for each journal open,
/// which happens at start-up, on a restore, an erasure and each change of key.
enum ConnectionParking {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var parked: [Any] = []

    /// Keeps `connection` alive until the process exits. Call it before closing a
    /// DatabasePool: its close lets go of the reader connections (each with a queue of its
    /// own), so their pool is kept from here too.
    static func keep(_ connection: AnyObject) {
        let readers = readerPool(of: connection)
        lock.withLock {
            parked.append(connection)
            if let readers { parked.append(readers) }
        }
    }

    /// The pool of reader connections a DatabasePool holds (GRDB keeps it in a private
    /// `readerPool`, which its `close()` sets to nil), or nil for any other connection.
    /// Internal: a test checks that it is found, so that a GRDB that moves it fails there.
    static func readerPool(of connection: AnyObject) -> AnyObject? {
        guard let optional = Mirror(reflecting: connection).descendant("readerPool"),
            let pool = Mirror(reflecting: optional).children.first?.value
        else { return nil }
        return pool as AnyObject
    }
}
