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
/// documented there) and ``PromptLifecycle`` applies it: composes the new prompts, writes every
/// change with its event in one transaction, then announces. At an instant prepared ahead (see
/// ``PromptLifecycle/prepare(for:)``) the lifecycle announces first and commits right after. The first tick of each local day
/// also takes the journal's daily snapshot. Data flows one way: timer, planner, lifecycle,
/// journal, announcements.
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
    private var schedule: Schedule { daemon.schedule }

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
    /// decided by ``PromptPlanner``; ``PromptLifecycle`` writes and announces it.
    func tick() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        // A locked journal whose key is on its way holds every prompt back until it opens
        // (Daemon+Encryption): the first tick after that catches up, as after time away.
        guard !daemon.journalLockHoldsPrompts else { return }
        let now = clock.now
        // The calendar's horizon moves on with the days.
        daemon.refreshCalendarIfDue(now: now)
        do throws(StoreError) {
            let plan: Plan
            // At the instant prepared for (the usual timer tick): announce, then commit.
            if let prepared = try daemon.lifecycle.deliverPrepared(at: now) {
                plan = prepared
            } else {
                let (planned, through) = try self.plan(at: now)
                // The lifecycle writes the whole tick in one commit, then announces it.
                try daemon.lifecycle.apply(planned, at: now, recordedThrough: through, throughKey: Self.throughKey)
                plan = planned
            }
            arm([plan.nextDeadline, daemon.calendarRefreshDeadline].compactMap { $0 }.min())
            // The next instant (its prompts' text, plan, rows and watch lines), prepared as soon as
            // this turn of the queue is done (a request's reply goes out first), so the instant
            // only announces and commits.
            daemon.queue.async { [weak self] in self?.daemon.lifecycle.prepare(for: plan.nextDeadline) }
            // Once a day, on whichever tick comes first: a stat when today's snapshot exists.
            daemon.snapshotIfDue(now: now)
        } catch {
            daemon.recordProblem("the schedule could not be updated: \(error.description)")
            // Try again in a minute rather than never.
            arm(now.addingTimeInterval(60))
        }
    }

    /// What ``PromptPlanner`` decides at `now` from the journal as it stands (the prompts waiting,
    /// the high-water mark, the pause), and the mark it read. Reads only: the tick plans at its
    /// instant, ``PromptLifecycle/prepare(for:)`` ahead of one.
    func plan(at now: Date) throws(StoreError) -> (plan: Plan, through: Date?) {
        let waiting = try journal.waitingPrompts()
        let through = try journal.state(forKey: Self.throughKey).flatMap(Int64.init).map {
            Date(timeIntervalSince1970: Double($0) / 1000)
        }
        let plan = try PromptPlanner.plan(
            now: now, schedule: schedule, waiting: waiting, plannedThrough: through, pausedUntil: try storedPause(),
            doNotDisturb: daemon.promptsHeldBack,
            isRecorded: { occurrence throws(StoreError) in
                try journal.delivery(slot: occurrence.slot, scheduledAt: occurrence.at) != nil
            })
        return (plan, through)
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
}
