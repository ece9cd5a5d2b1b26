import Foundation

/// Keeps closed GRDB connections allocated for the life of the process.
///
/// GRDB tags each connection's dispatch queue with queue-specific values, and libdispatch
/// runs their destructors on the default global queue when such a queue is freed. That
/// first use of a global queue starts libdispatch's worker-pool monitor, a 1 Hz timer that
/// then wakes the daemon every second for good (measured: 9 context switches in 10 s idle,
/// against 0). So a connection is closed (its SQLite handle and file descriptors are
/// released) but the Swift object is kept here: a few hundred bytes for each journal open,
/// which happens at start-up and on a restore.
enum ConnectionParking {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var parked: [AnyObject] = []

    /// Keeps `connection` alive until the process exits.
    static func keep(_ connection: AnyObject) {
        lock.withLock { parked.append(connection) }
    }
}
