import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import KindlingSystemd

#if canImport(Glibc)
    import Glibc
#endif

/// Delivers prompts at their times: one wall-clock timer armed for the earliest deadline
/// (next occurrence, an expiry, a snooze, the end of a pause), re-armed after each tick.
///
/// Every tick runs the same steps, whether the timer fired, the daemon started, the clock
/// jumped or the configuration changed: expire what is past its validity, bring back what
/// was snoozed, then handle the occurrences since the last tick. For each slot only the most
/// recent of those counts (after downtime or suspend there is never a burst): it is
/// delivered if still valid, else recorded as missed. The first tick of each local day also
/// takes the journal's daily snapshot. Queue-confined.
final class Scheduler: @unchecked Sendable {
    private unowned let daemon: Daemon
    private var timer: DispatchSourceTimer?
    private var clockJumps: ClockJumpWatch?
    /// The deadline the timer is armed for (for status and tests).
    private(set) var armedFor: Date?

    /// `state` keys in the journal.
    static let throughKey = "scheduler.through"
    static let pausedKey = "scheduler.paused_until"
    /// The stored value of an open-ended pause.
    static let pausedIndefinitely = "indefinite"

    init(daemon: Daemon) {
        self.daemon = daemon
    }

    deinit {
        timer?.cancel()
        clockJumps?.cancel()
    }

    private var journal: AppDatabase { daemon.journal }
    private var clock: any WallClock { daemon.clock }
    private var schedule: Schedule { Schedule(configuration: daemon.config, timeZone: daemon.timeZone) }

    // MARK: - Lifecycle

    /// Starts watching for clock jumps and runs the first tick (the catch-up).
    func start() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        watchClockJumps()
        tick()
    }

    /// libdispatch's own wall timers never report a clock jump; ClockJumpWatch does.
    private func watchClockJumps() {
        do {
            clockJumps = try ClockJumpWatch(queue: daemon.queue) { [weak self] in
                guard let self else { return }
                daemon.log.info("the wall clock changed; recomputing the schedule")
                tick()
            }
        } catch {
            daemon.log.warning("cannot watch for clock changes: \(error.description)")
        }
    }

    /// Cancels the timer and the clock watch (the daemon is stopping).
    func stop() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        timer?.cancel()
        timer = nil
        clockJumps?.cancel()
        clockJumps = nil
        armedFor = nil
    }

    // MARK: - The tick

    /// Brings every prompt up to date with `clock.now`, then re-arms the timer.
    func tick() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        let now = clock.now
        do {
            let pause = try pausedUntil(now: now)
            // One read of what is waiting: the expired are closed, the rest may come back.
            let waiting = try expire(try journal.pendingDeliveries(), now: now)
            try returnSnoozed(waiting, now: now, paused: pause != nil)
            try deliverDue(now: now, paused: pause != nil)
            arm(now: now)
            // Once a day, on whichever tick comes first: a stat when today's snapshot exists.
            daemon.snapshotIfDue(now: now)
        } catch {
            daemon.recordProblem("the schedule could not be updated: \(error.description)")
            // Try again in a minute rather than never.
            arm(at: now.addingTimeInterval(60))
        }
    }

    /// Pending prompts past their validity become expired; returns the ones still open.
    private func expire(_ waiting: [DeliveryRecord], now: Date) throws(StoreError) -> [DeliveryRecord] {
        for delivery in waiting where delivery.expiresAt <= now {
            guard let id = delivery.id else { continue }
            let expired = try journal.markDelivery(id: id, status: .expired, at: now)
            try journal.recordEvent(.init(rawValue: "expired"), at: now, deliveryID: id)
            daemon.broadcast(event("expired", expired))
        }
        return waiting.filter { $0.expiresAt > now }
    }

    /// Snoozed (or quiet-deferred) prompts whose time has come are delivered again.
    private func returnSnoozed(_ waiting: [DeliveryRecord], now: Date, paused: Bool) throws(StoreError) {
        guard !paused else { return }
        for delivery in waiting {
            guard delivery.status == .snoozed, let until = delivery.snoozedUntil, until <= now, let id = delivery.id else {
                continue
            }
            if let quietEnd = schedule.quietHoursEnd(at: now) {
                if quietEnd < delivery.expiresAt {
                    try journal.markDelivery(id: id, status: .snoozed, at: now, snoozedUntil: quietEnd)
                }
                continue
            }
            daemon.deliver(try journal.markFired(id: id, at: now), at: now)
        }
    }

    /// The occurrences since the last tick: the latest of each slot is delivered, deferred,
    /// or recorded as missed; older ones from the same gap are let go.
    private func deliverDue(now: Date, paused: Bool) throws(StoreError) {
        let through = try journal.state(forKey: Self.throughKey).flatMap(Int64.init).map {
            Date(timeIntervalSince1970: Double($0) / 1000)
        }
        defer {
            try? journal.setState(String(Int64((now.timeIntervalSince1970 * 1000).rounded())), forKey: Self.throughKey, at: now)
        }
        // The first run ever starts from now: there is nothing to catch up.
        guard let through, through < now else { return }
        // A clock set backwards makes `through` lie in the future; the guard above leaves
        // it until real time catches up, so nothing is delivered twice.
        // After a long downtime only the last week matters: each slot's latest occurrence.
        let due = schedule.occurrences(after: max(through, now.addingTimeInterval(-8 * 86_400)), through: now)
        var latest: [String: Occurrence] = [:]
        for occurrence in due { latest[occurrence.slot] = occurrence }
        for occurrence in latest.values.sorted(by: { $0.at < $1.at }) {
            try handle(occurrence, now: now, paused: paused)
        }
    }

    private func handle(_ occurrence: Occurrence, now: Date, paused: Bool) throws(StoreError) {
        guard try journal.delivery(slot: occurrence.slot, scheduledAt: occurrence.at) == nil else { return }
        let expiresAt = schedule.expiry(slot: occurrence.slot, scheduledAt: occurrence.at)
        let composed = daemon.compose(slot: occurrence.slot, day: occurrence.day, scheduledAt: occurrence.at)
        let insertion = try journal.recordDelivery(
            slot: occurrence.slot, scheduledAt: occurrence.at, localDate: occurrence.day.description,
            promptText: composed.text, promptKey: composed.key, programName: composed.programName,
            programDay: composed.programDay, firedAt: now, expiresAt: expiresAt)
        guard case .recorded(let delivery) = insertion, let id = delivery.id else { return }

        if expiresAt <= now {
            let missed = try journal.markDelivery(id: id, status: .missed, at: now)
            try journal.recordEvent(.init(rawValue: "missed"), at: now, deliveryID: id)
            daemon.broadcast(event("missed", missed))
        } else if paused {
            // Not delivered while paused; recorded so the journal tells what happened.
            try journal.markDelivery(id: id, status: .skipped, at: now)
            try journal.recordEvent(.init(rawValue: "skipped"), at: now, deliveryID: id, detail: ["reason": "paused"])
        } else if let quietEnd = schedule.quietHoursEnd(at: now) {
            if quietEnd < expiresAt {
                try journal.markDelivery(id: id, status: .snoozed, at: now, snoozedUntil: quietEnd)
                try journal.recordEvent(.init(rawValue: "deferred"), at: now, deliveryID: id, detail: ["reason": "quiet hours"])
            } else {
                let missed = try journal.markDelivery(id: id, status: .missed, at: now)
                try journal.recordEvent(.init(rawValue: "missed"), at: now, deliveryID: id, detail: ["reason": "quiet hours"])
                daemon.broadcast(event("missed", missed))
            }
        } else {
            // The delivery row is durable: reach the person first, then log the event (each
            // durable write is an fsync, and the person should not wait for the log).
            daemon.deliver(delivery, at: now)
            try journal.recordEvent(.init(rawValue: "fired"), at: now, deliveryID: id)
        }
    }

    // MARK: - Pause

    /// The end of the current pause (`.distantFuture` when open-ended), or nil when not
    /// paused. A pause whose end has passed is cleared here.
    func pausedUntil(now: Date) throws(StoreError) -> Date? {
        guard let value = try journal.state(forKey: Self.pausedKey) else { return nil }
        if value == Self.pausedIndefinitely { return .distantFuture }
        guard let ms = Int64(value) else { return nil }
        let until = Date(timeIntervalSince1970: Double(ms) / 1000)
        guard until > now else {
            try journal.setState(nil, forKey: Self.pausedKey, at: now)
            try journal.recordEvent(.init(rawValue: "resumed"), at: now)
            daemon.broadcast(Event(event: "resumed"))
            return nil
        }
        return until
    }

    // MARK: - Timer

    /// Arms the one timer for the earliest deadline after `now`.
    private func arm(now: Date) {
        var deadlines: [Date] = []
        if let next = schedule.occurrences(after: now, count: 1).first { deadlines.append(next.at) }
        if let pending = try? journal.pendingDeliveries() {
            deadlines += pending.map(\.expiresAt)
            deadlines += pending.compactMap(\.snoozedUntil)
        }
        if let paused = try? pausedUntil(now: now), paused != .distantFuture { deadlines.append(paused) }
        guard let earliest = deadlines.filter({ $0 > now }).min() else {
            timer?.cancel()
            timer = nil
            armedFor = nil
            return
        }
        arm(at: earliest)
    }

    private func arm(at deadline: Date) {
        armedFor = deadline
        // A test's manual clock is not the wall clock: the test ticks by itself.
        guard daemon.clock is SystemClock else { return }
        if timer == nil {
            let source = DispatchSource.makeTimerSource(flags: [], queue: daemon.queue)
            source.setEventHandler { [weak self] in self?.tick() }
            source.resume()
            timer = source
        }
        let seconds = deadline.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let spec = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000))
        // A wall-clock deadline with no leeway: on Linux a CLOCK_REALTIME timerfd, so it
        // holds through suspend and fires within a millisecond of its time.
        timer?.schedule(wallDeadline: DispatchWallTime(timespec: spec), repeating: .never, leeway: .nanoseconds(0))
    }

    // MARK: - Events

    /// An event about `delivery` for watchers.
    func event(_ kind: String, _ delivery: DeliveryRecord) -> Event {
        let zone = daemon.timeZone
        return Event(
            event: kind, id: delivery.id, slot: delivery.slot, text: delivery.promptText,
            scheduledAt: Timestamp.string(delivery.scheduledAt, in: zone),
            firedAt: Timestamp.string(delivery.firedAt, in: zone),
            expiresAt: Timestamp.string(delivery.expiresAt, in: zone),
            until: delivery.snoozedUntil.map { Timestamp.string($0, in: zone) })
    }
}
