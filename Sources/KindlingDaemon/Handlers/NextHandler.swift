import Foundation
import KindlingControl
import KindlingCore

/// `next`: the coming occurrences, computed by the same code that arms the timer, and the
/// sessions of the person's calendar that hold prompts today and tomorrow.
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
        let schedule = daemon.schedule
        let config = schedule.configuration
        // A break at the end of a block of sessions is the one after_events brings.
        let sessionEnds = config.breaks.afterEvents ? Set(schedule.busy.blocks.map(\.end)) : []
        let items = schedule.occurrences(after: start, count: count).map { occurrence in
            let afterSession = occurrence.slot == "break" && sessionEnds.contains(occurrence.at)
            let heldUntil = schedule.holdIsForEvents(at: occurrence.at) ? schedule.holdEnd(at: occurrence.at) : nil
            return NextResult.Item(
                slot: occurrence.slot, name: Schedule.displayName(of: occurrence.slot),
                at: Timestamp.string(occurrence.at, in: zone), afterSession: afterSession ? true : nil,
                heldUntil: heldUntil.map { Timestamp.string($0, in: zone) })
        }
        return .success(NextResult(occurrences: items, held: held(daemon, schedule: schedule, from: start)))
    }

    /// The held periods from `from` to the end of the next local day; nil without a calendar,
    /// and nil when those days reach past what was read of it (``CalendarReader/horizonAhead``):
    /// there "no session" would be a guess.
    private static func held(_ daemon: Daemon, schedule: Schedule, from: Date) -> [NextResult.Held]? {
        guard let snapshot = daemon.calendar.snapshot else { return nil }
        guard schedule.configuration.calendar.hold else { return [] }
        let until = schedule.instant(schedule.localDate(of: from).adding(days: 2), .midnight)
        guard until <= snapshot.horizon.end else { return nil }
        return schedule.busy.held.filter { $0.end > from && $0.start < until }.map {
            NextResult.Held(
                start: Timestamp.string($0.start, in: daemon.timeZone), end: Timestamp.string($0.end, in: daemon.timeZone))
        }
    }
}
