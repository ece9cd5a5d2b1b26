// Long work on a large journal (a restore reads and copies it whole) reports that it is moving, so
// that the daemon can keep its watchdog fed from the queue doing the work: a stuck SQLite call
// never calls back, so a hung daemon is still caught.
import GRDB
import GRDBSQLite

/// Called now and then, on the calling thread, while a long operation makes progress.
public typealias StillWorking = () -> Void

/// Holds the callback for SQLite's C progress handler.
private final class ProgressBox {
    let call: StillWorking
    init(_ call: @escaping StillWorking) { self.call = call }
}

extension Database {
    /// Runs `body` with SQLite calling `progress` every 20,000 steps: virtual-machine steps (well
    /// under a millisecond), or pages within a quick_check, which checks the whole file in one
    /// such step (a few hundred pages a millisecond): a quick_check of a gigabyte is one statement
    /// of many seconds.
    func reportingProgress<T>(_ progress: StillWorking?, _ body: () throws -> T) rethrows -> T {
        guard let progress, let connection = sqliteConnection else { return try body() }
        let box = Unmanaged.passRetained(ProgressBox(progress))
        sqlite3_progress_handler(
            connection, 20_000,
            { context in
                guard let context else { return 0 }
                Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue().call()
                return 0  // go on
            }, box.toOpaque())
        defer {
            sqlite3_progress_handler(connection, 0, nil, nil)
            box.release()
        }
        return try body()
    }
}
