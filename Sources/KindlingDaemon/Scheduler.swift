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
/// jumped or the configuration changed: ``PromptPlanner`` decides what happens (its rules are
/// documented there), the tick composes the new prompts, writes every change with its event in
/// one transaction (``AppDatabase/commitTick(_:at:plannedThrough:throughKey:)``), then
/// announces. The first tick of each local day also takes the journal's daily snapshot.
/// Queue-confined.
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

    /// Brings every prompt up to date with `clock.now`, then re-arms the timer. What happens is
    /// decided by ``PromptPlanner``; this applies its actions to the journal and announces them.
    func tick() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        let now = clock.now
        do throws(StoreError) {
            let schedule = self.schedule
            let waiting = try journal.pendingDeliveries().compactMap { delivery in
                delivery.id.map {
                    WaitingPrompt(id: $0, slot: delivery.slot, expiresAt: delivery.expiresAt, snoozedUntil: delivery.snoozedUntil)
                }
            }
            let through = try journal.state(forKey: Self.throughKey).flatMap(Int64.init).map {
                Date(timeIntervalSince1970: Double($0) / 1000)
            }
            let plan = try PromptPlanner.plan(
                now: now, schedule: schedule, waiting: waiting, plannedThrough: through, pausedUntil: try storedPause(),
                doNotDisturb: daemon.doNotDisturb,
                isRecorded: { occurrence throws(StoreError) in
                    try journal.delivery(slot: occurrence.slot, scheduledAt: occurrence.at) != nil
                })
            // Composed first (composing reads the journal), then one commit for the whole tick,
            // then the announcements: nobody hears of a prompt the journal does not hold.
            let writes = plan.actions.map { write(for: $0, schedule: schedule) }
            let outcomes = try journal.commitTick(
                writes, at: now, plannedThrough: plan.plannedThrough, throughKey: Self.throughKey)
            for outcome in outcomes { announce(outcome, now: now) }
            arm(plan.nextDeadline)
            // Once a day, on whichever tick comes first: a stat when today's snapshot exists.
            daemon.snapshotIfDue(now: now)
        } catch {
            daemon.recordProblem("the schedule could not be updated: \(error.description)")
            // Try again in a minute rather than never.
            arm(now.addingTimeInterval(60))
        }
    }

    /// The journal write for one of the planner's actions, composing a new occurrence's text.
    private func write(for action: PlannedAction, schedule: Schedule) -> TickWrite {
        func new(_ occurrence: Occurrence, _ expiresAt: Date) -> NewDelivery {
            let composed = daemon.compose(slot: occurrence.slot, day: occurrence.day, scheduledAt: occurrence.at)
            return NewDelivery(
                slot: occurrence.slot, scheduledAt: occurrence.at, localDate: occurrence.day.description,
                promptText: composed.text, promptKey: composed.key, programName: composed.programName,
                programDay: composed.programDay, expiresAt: expiresAt)
        }
        switch action {
        case .endPause: return .endPause(stateKey: Self.pausedKey)
        case .expire(let id): return .expire(id: id)
        case .returnSnoozed(let id): return .returnSnoozed(id: id)
        case .holdSnoozed(let id, let until): return .holdSnoozed(id: id, until: until)
        case .fire(let occurrence, let expiresAt): return .fire(new(occurrence, expiresAt))
        case .hold(let occurrence, let expiresAt, let until): return .hold(new(occurrence, expiresAt), until: until)
        case .miss(let occurrence, let expiresAt, let reason):
            return .miss(new(occurrence, expiresAt), reason: reason == .quietHours ? reason.rawValue : nil)
        case .skipWhilePaused(let occurrence, let expiresAt): return .skipWhilePaused(new(occurrence, expiresAt))
        }
    }

    /// Tells watchers, the desktop and the hook what a committed write changed.
    private func announce(_ outcome: TickOutcome, now: Date) {
        switch outcome {
        case .resumed: daemon.broadcast(Event(event: "resumed"))
        case .expired(let delivery): daemon.broadcast(event("expired", delivery))
        case .missed(let delivery): daemon.broadcast(event("missed", delivery))
        case .fired(let delivery), .returned(let delivery): daemon.deliver(delivery, at: now)
        case .held, .skipped, .alreadyRecorded, .gone: break
        }
    }

    // MARK: - Pause

    /// The end of the stored pause (`.distantFuture` when open-ended), or nil when not paused,
    /// whether or not that end has passed.
    private func storedPause() throws(StoreError) -> Date? {
        guard let value = try journal.state(forKey: Self.pausedKey) else { return nil }
        if value == Self.pausedIndefinitely { return .distantFuture }
        return Int64(value).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// The end of the current pause (`.distantFuture` when open-ended), or nil when not
    /// paused. A pause whose end has passed is cleared by the next tick.
    func pausedUntil(now: Date) throws(StoreError) -> Date? {
        guard let until = try storedPause(), until > now else { return nil }
        return until
    }

    // MARK: - Timer

    /// Arms the one timer for `deadline`, or disarms it when nothing is ahead.
    private func arm(_ deadline: Date?) {
        guard let deadline else {
            timer?.cancel()
            timer = nil
            armedFor = nil
            return
        }
        arm(at: deadline)
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
