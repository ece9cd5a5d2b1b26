// A scheduled instant readied ahead: at the instant the daemon announces, then commits.
//
// A durable commit (synchronous=FULL, one fdatasync) takes longer than the half millisecond a
// prompt may be late, so the instant's prompts are announced first and committed right after,
// in the same turn of the queue. Everything the instant needs is made before it: the planner's
// plan for the deadline, the new rows with their ids fixed, the `fired` lines for watchers. At
// the instant it is used only when nothing it was made from has changed; otherwise the tick
// plans, commits and announces as for any other change.
import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// Everything a scheduled instant needs, made before it (``PromptLifecycle/prepareInstant(for:)``).
struct PreparedInstant {
    var deadline: Date
    /// The planner's plan for `deadline`: only new prompts to fire.
    var plan: Plan
    /// The rows to insert, their ids fixed ahead, in the plan's order.
    var writes: [NewDelivery]
    /// The rows as announced (their `fired_at` set to the instant's own `now`).
    var deliveries: [DeliveryRecord]
    /// Each prompt's `fired` line, split around the value of `fired_at`.
    var lines: [(head: Data, tail: Data)]
    /// Each prompt's hook, worked out (nil: no hook, or one that goes through systemd-run,
    /// which is worked out as it starts).
    var hooks: [Daemon.HookPlan?]
    /// What it was made from.
    var generation: AppDatabase.Generation
    var config: Configuration
    var timeZone: TimeZone
    var busy: [BusyPeriod]
    var doNotDisturb: Bool
    var schedule: Schedule
}

extension PromptLifecycle {
    /// How late the timer may run and the prepared instant still be used. A backstop: that the
    /// plan at `now` is the deadline's rests on the checks in ``deliverPrepared(at:)`` (no next
    /// deadline passed, no hold begun), and a clock jump runs a tick that drops what was prepared.
    /// Wide enough that a loaded machine's late timer still takes the quick road.
    static let preparedWindow: TimeInterval = 1

    /// The test-only fault point: `KINDLING_TEST_FAULT=kill-after-announce` makes the daemon
    /// SIGKILL itself between a prepared instant's announcements and its commit.
    static let faultVariable = "KINDLING_TEST_FAULT"

    /// Readies the instant at `deadline`: the plan, the new rows with the ids SQLite would give
    /// them, and the `fired` lines. Only an instant whose every action is a new prompt to fire
    /// is prepared (the scheduled case); any other (an expiry, a hold, a catch-up) takes the
    /// ordinary road. The first instant prepared for a journal also has its commit rehearsed
    /// and rolled back, so that no first-time work lands at the instant. Called after
    /// ``prepare(for:)`` composed the texts.
    func prepareInstant(for deadline: Date) {
        let generation = journal.generation
        if let prepared, prepared.deadline == deadline, prepared.generation == generation, prepared.config == config,
            prepared.doNotDisturb == daemon.promptsHeldBack, prepared.busy == daemon.calendar.busy
        {
            return
        }
        prepared = nil
        guard let (plan, _) = try? daemon.scheduler.plan(at: deadline), !plan.actions.isEmpty,
            var nextID = try? journal.nextDeliveryID()
        else { return }
        let encoder = ControlProtocol.makeEncoder()
        var writes: [NewDelivery] = []
        var deliveries: [DeliveryRecord] = []
        var lines: [(head: Data, tail: Data)] = []
        var hooks: [Daemon.HookPlan?] = []
        for action in plan.actions {
            guard case .fire(let occurrence, let expiresAt) = action,
                let composed = ahead.first(where: { $0.occurrence == occurrence && $0.generation == generation })?.composed
            else { return }
            let new = NewDelivery(
                slot: occurrence.slot, scheduledAt: occurrence.at, localDate: occurrence.day.description,
                promptText: composed.text, promptKey: composed.key, programName: composed.programName,
                programDay: composed.programDay, expiresAt: expiresAt, id: nextID)
            let delivery = DeliveryRecord(
                id: nextID, slot: new.slot, scheduledAt: new.scheduledAt, localDate: new.localDate, promptText: new.promptText,
                promptKey: new.promptKey, programName: new.programName, programDay: new.programDay, firedAt: deadline,
                expiresAt: expiresAt)
            guard let line = try? encoder.encode(event(.fired, delivery)), let split = Self.split(line) else { return }
            nextID += 1
            writes.append(new)
            deliveries.append(delivery)
            lines.append(split)
            hooks.append(daemon.hookPlan(for: delivery).flatMap { $0.launch.viaSystemd ? nil : $0 })
        }
        if rehearsedJournal != generation.instance {
            journal.rehearseTick(writes.map { .fire($0) }, at: deadline, throughKey: Scheduler.throughKey)
            rehearsedJournal = generation.instance
        }
        prepared = PreparedInstant(
            deadline: deadline, plan: plan, writes: writes, deliveries: deliveries, lines: lines, hooks: hooks,
            generation: generation,
            config: config, timeZone: timeZone, busy: daemon.calendar.busy, doNotDisturb: daemon.promptsHeldBack,
            schedule: schedule)
    }

    /// A `fired` line cut around the value of `fired_at` (keys are sorted, so it comes before
    /// the prompt's text, and the first match is the key itself).
    static func split(_ line: Data) -> (head: Data, tail: Data)? {
        guard let key = line.range(of: Data(#""fired_at":""#.utf8)),
            let close = line[key.upperBound...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        return (Data(line[..<key.upperBound]), Data(line[close...]))
    }

    /// At `now`, delivers the prepared instant when it still holds: announces its prompts to
    /// watchers, the desktop and the hook, then commits their rows, their events and the
    /// high-water mark in one transaction. Returns the plan applied, or nil when nothing was
    /// prepared for this instant or something changed since (the caller then plans afresh).
    ///
    /// Holds when: the journal has seen no write (no answer, snooze, pause, delivery) and the
    /// configuration, zone, calendar and do-not-disturb are as they were; the timer fired at or
    /// after the deadline, by less than ``preparedWindow`` and before the plan's next deadline
    /// (so a clock set back or forward finds nothing to use); no quiet hours began meanwhile.
    func deliverPrepared(at now: Date) throws(StoreError) -> Plan? {
        guard let instant = prepared else { return nil }
        prepared = nil
        guard now >= instant.deadline, now.timeIntervalSince(instant.deadline) < Self.preparedWindow,
            instant.plan.nextDeadline.map({ now < $0 }) ?? true,
            instant.generation == journal.generation, instant.config == config, instant.timeZone == timeZone,
            instant.doNotDisturb == daemon.promptsHeldBack, instant.busy == daemon.calendar.busy,
            instant.schedule.holdEnd(at: now) == nil
        else { return nil }

        // Announced: watchers first (the prepared lines, with the instant's own time), then the
        // desktop and the hook, as for any delivery.
        let firedAt = Data(Timestamp.string(now, in: instant.timeZone).utf8)
        var deliveries = instant.deliveries
        for index in deliveries.indices {
            deliveries[index].firedAt = now
            deliveries[index].statusAt = now
            let line = instant.lines[index]
            if !daemon.watchers.isEmpty { daemon.broadcast(line: line.head + firedAt + line.tail) }
            deliverBeyondWatchers(deliveries[index], hook: instant.hooks[index])
        }
        if daemon.environment[Self.faultVariable] == "kill-after-announce" { kill(getpid(), SIGKILL) }
        // A hook just started is still in exec, queued on this CPU behind the daemon (its
        // vfork-style spawn ran it here). Linux leaves a task that ran this recently where it is
        // rather than move it to an idle CPU (sched_migration_cost, half a millisecond), and the
        // commit below is about that much CPU work: without a yield the hook waited for the
        // commit (Benchmarks/fire_lateness.py, 50 prompts a run: hook start p50 1.30 -> 0.85 ms).
        if config.delivery.command != nil { sched_yield() }

        // Then recorded, exactly as the ordinary road would have: the plan at `now` is the plan
        // at the deadline, its mark `now`.
        let outcomes = try journal.commitTick(
            instant.writes.map { .fire($0) }, at: now, plannedThrough: now, throughKey: Scheduler.throughKey)
        for (outcome, delivery) in zip(outcomes, deliveries) {
            guard case .fired(let recorded) = outcome, recorded.id == delivery.id else {
                // Cannot happen while this daemon is the journal's only writer.
                daemon.recordProblem("prompt \(delivery.id ?? 0) was announced but the journal recorded \(outcome)")
                continue
            }
            delivered(recorded)
        }
        let used = instant.plan.actions.compactMap { action -> Occurrence? in
            if case .fire(let occurrence, _) = action { return occurrence }
            return nil
        }
        ahead.removeAll { used.contains($0.occurrence) }
        composedAheadUsed += instant.writes.count
        preparedInstantsUsed += 1
        var plan = instant.plan
        plan.plannedThrough = now
        return plan
    }
}
