import Foundation
import KindlingControl
import KindlingCore

/// `next`: the coming occurrences, computed by the same code that arms the timer.
enum NextHandler {
    static func handle(_ daemon: Daemon, count: Int, from: String?) -> Result<NextResult, ControlError> {
        var start = daemon.clock.now
        if let from {
            guard let parsed = Timestamp.parse(from) else {
                return .failure(
                    ControlError(.badRequest, "\"from\" must be an ISO 8601 instant such as 2026-03-29T00:00:00+01:00"))
            }
            start = parsed
        }
        let zone = daemon.timeZone
        let items = daemon.schedule.occurrences(after: start, count: count).map {
            NextResult.Item(slot: $0.slot, name: Schedule.displayName(of: $0.slot), at: Timestamp.string($0.at, in: zone))
        }
        return .success(NextResult(occurrences: items))
    }
}
