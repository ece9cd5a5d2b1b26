import Foundation
import KindlingControl

/// `watch`: the connection becomes an event stream. It first gets one `pending` event for
/// each prompt already waiting, then live events.
enum WatchHandler {
    static func handle(_ daemon: Daemon, connection: Connection) -> Result<WatchResult, ControlError> {
        daemon.server.admitWatcher(connection)
        // After this response line has gone out, not before it.
        daemon.queue.async {
            guard connection.isOpen, let waiting = try? daemon.journal.pendingDeliveries() else { return }
            let encoder = ControlProtocol.makeEncoder()
            for delivery in waiting {
                if let line = try? encoder.encode(daemon.lifecycle.event(.pending, delivery)) { connection.send(line) }
            }
        }
        return .success(WatchResult())
    }
}
