import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// The one place a prompt's life changes: what the planner decided at an instant (through the
/// ``Scheduler``) and what the person asked for (fire, snooze, skip, answer, pause, resume, from
/// the CLI or a notification's buttons).
///
/// Every change goes the same way: one journal transaction holding the new state and its event
/// (``AppDatabase``'s intention-named writes), then the announcements, in this order: watchers,
/// the desktop, the hook. A crash between the two leaves a change recorded but unannounced; a
/// watcher that connects to the next daemon hears of a prompt still waiting as `pending`.
///
/// One exception, for time: a scheduled instant that ``prepare(for:)`` readied ahead (its plan,
/// its rows with their ids fixed, its `fired` lines) is announced first and committed right
/// after, in the same turn of the queue, so nothing else (a request, an answer) comes between
/// (see PromptLifecycle+Instant.swift). A crash between the two leaves a prompt announced but not
/// recorded; the next daemon's catch-up then delivers it once more, while it is still valid.
///
/// Queue-confined, like everything the daemon owns.
final class PromptLifecycle {
    unowned let daemon: Daemon

    init(daemon: Daemon) {
        self.daemon = daemon
    }

    // MARK: - What handlers may read

    var clock: any WallClock { daemon.clock }
    var config: Configuration { daemon.config }
    var timeZone: TimeZone { daemon.timeZone }
    var schedule: Schedule { daemon.schedule }
    var journal: AppDatabase { daemon.journal }

    /// Prompt `id`, or the most recently delivered one still waiting.
    func waitingPrompt(_ id: Int64?) throws(ControlError) -> DeliveryRecord {
        do {
            if let id {
                guard let delivery = try journal.delivery(id: id) else {
                    throw ControlError(.notFound, "there is no prompt \(id); `kindling pending` lists the waiting ones")
                }
                return delivery
            }
            guard
                let latest = try journal.pendingDeliveries().filter({ $0.status == .pending }).max(by: { $0.firedAt < $1.firedAt }
                )
            else {
                throw ControlError(.notFound, "no prompt is waiting for an answer right now")
            }
            return latest
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.storage, "the journal could not be read: \(error)")
        }
    }

    /// Prompt `id` (or the most recent waiting one) when it still waits for an answer;
    /// `conflict` otherwise, naming what `verb` could not do.
    func openPrompt(_ id: Int64?, toBe verb: String) throws(ControlError) -> (delivery: DeliveryRecord, id: Int64) {
        let delivery = try waitingPrompt(id)
        guard delivery.status == .pending || delivery.status == .snoozed, let deliveryID = delivery.id else {
            throw ControlError(
                .conflict, "prompt \(delivery.id ?? 0) is \(delivery.status.rawValue); only a waiting prompt can be \(verb)")
        }
        return (delivery, deliveryID)
    }

    /// Remembers a problem for `status` (a failed save the person was told about).
    func recordProblem(_ message: String) { daemon.recordProblem(message) }

    // MARK: - The planner's actions

    /// Applies what ``PromptPlanner`` decided at `now`: composes the new prompts, commits every
    /// change with its event and the new high-water mark in one transaction, then announces.
    /// Writes nothing when nothing changed (`plannedThrough` as stored, no action).
    func apply(_ plan: Plan, at now: Date, recordedThrough: Date?, throughKey: String) throws(StoreError) {
        // The journal keeps milliseconds: compared in its unit, or a tick would write the same mark again.
        let milliseconds = { (date: Date) in Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        guard !plan.actions.isEmpty || recordedThrough.map(milliseconds) != milliseconds(plan.plannedThrough) else { return }
        // Composed first (composing reads the journal), then one commit, then the announcements.
        let schedule = self.schedule
        let writes = plan.actions.map { write(for: $0, schedule: schedule) }
        let outcomes = try journal.commitTick(writes, at: now, plannedThrough: plan.plannedThrough, throughKey: throughKey)
        for outcome in outcomes { announce(outcome, now: now) }
    }

    /// The journal write for one of the planner's actions, composing a new occurrence's text.
    private func write(for action: PlannedAction, schedule: Schedule) -> TickWrite {
        switch action {
        case .endPause: return .endPause(stateKey: Scheduler.pausedKey)
        case .expire(let id): return .expire(id: id)
        case .returnSnoozed(let id): return .returnSnoozed(id: id)
        case .holdSnoozed(let id, let until): return .holdSnoozed(id: id, until: until)
        case .fire(let occurrence, let expiresAt): return .fire(compose(occurrence, expiresAt: expiresAt))
        case .hold(let occurrence, let expiresAt, let until):
            return .hold(compose(occurrence, expiresAt: expiresAt), until: until)
        case .miss(let occurrence, let expiresAt, let reason):
            return .miss(compose(occurrence, expiresAt: expiresAt), reason: reason == .expired ? nil : reason.rawValue)
        case .skipWhilePaused(let occurrence, let expiresAt): return .skipWhilePaused(compose(occurrence, expiresAt: expiresAt))
        }
    }

    /// A new occurrence's row, its text composed (ahead of time when ``prepare(for:)`` could).
    private func compose(_ occurrence: Occurrence, expiresAt: Date) -> NewDelivery {
        let composed =
            takeComposedAhead(occurrence)
            ?? daemon.compose(slot: occurrence.slot, day: occurrence.day, scheduledAt: occurrence.at)
        return NewDelivery(
            slot: occurrence.slot, scheduledAt: occurrence.at, localDate: occurrence.day.description,
            promptText: composed.text, promptKey: composed.key, programName: composed.programName,
            programDay: composed.programDay, expiresAt: expiresAt)
    }

    // MARK: - Composed ahead

    /// A prompt composed before its instant, and what it was composed from.
    struct Ahead {
        var occurrence: Occurrence
        var composed: ComposedDelivery
        var generation: AppDatabase.Generation
        var config: Configuration
    }

    /// What ``prepare(for:)`` composed for the next deadline.
    var ahead: [Ahead] = []
    /// The next instant, ready to announce then commit (PromptLifecycle+Instant.swift).
    var prepared: PreparedInstant?
    /// The journal whose commit of a prepared instant was rehearsed (``AppDatabase/rehearseTick(_:at:throughKey:)``):
    /// once per journal opened, since a reopened journal has a new writer connection.
    var rehearsedJournal: UInt64?
    /// How many instants were announced from what was prepared (for tests).
    var preparedInstantsUsed = 0
    /// How many prompts were recorded with their text composed ahead (for tests).
    var composedAheadUsed = 0
    /// The occurrences composed ahead, waiting for their instant (for tests).
    var composedAhead: [Occurrence] { ahead.map(\.occurrence) }

    /// Composes, before it comes, every occurrence due at `deadline`, then prepares the instant
    /// itself (``prepareInstant(for:)``), so that at the instant the tick only announces and
    /// commits. A composition depends on the journal (recent prompts, practised days, this
    /// morning's intention) and the configuration: any write or reload in between makes it
    /// stale, and the instant composes afresh.
    func prepare(for deadline: Date?) {
        // About twenty questions to the journal: asked in one read transaction.
        journal.readingTogether { prepareNow(for: deadline) }
    }

    private func prepareNow(for deadline: Date?) {
        guard let deadline else {
            ahead = []
            prepared = nil
            return
        }
        let due = schedule.occurrences(after: deadline.addingTimeInterval(-1), through: deadline).filter {
            abs($0.at.timeIntervalSince(deadline)) < 0.0005
        }
        // Already composed from the same journal and configuration: compose nothing again.
        let generation = journal.generation
        if ahead.map(\.occurrence) != due || !ahead.allSatisfy({ $0.generation == generation && $0.config == config }) {
            let composed = due.map { ($0, daemon.compose(slot: $0.slot, day: $0.day, scheduledAt: $0.at)) }
            // Read after composing: composing may itself write (the program's first day).
            let composedFrom = journal.generation
            ahead = composed.map { Ahead(occurrence: $0.0, composed: $0.1, generation: composedFrom, config: config) }
        }
        prepareInstant(for: deadline)
    }

    /// Drops what was readied for the next instant (its texts may quote words just erased) and
    /// readies it again, once this turn of the queue is done, from the journal as it now is.
    func forgetPrepared() {
        let deadline = prepared?.deadline ?? ahead.first?.occurrence.at
        ahead = []
        prepared = nil
        if let deadline { daemon.queue.async { [weak daemon] in daemon?.lifecycle?.prepare(for: deadline) } }
    }

    /// The text composed ahead for `occurrence`, when it is still what composing now would give.
    private func takeComposedAhead(_ occurrence: Occurrence) -> ComposedDelivery? {
        guard let index = ahead.firstIndex(where: { $0.occurrence == occurrence }) else { return nil }
        let found = ahead.remove(at: index)
        guard found.generation == journal.generation, found.config == config else { return nil }
        composedAheadUsed += 1
        return found.composed
    }

    // MARK: - The person's commands

    /// `fire SLOT`: a prompt of that slot now, recorded and announced as the timer's are.
    /// Returns the prompt (the existing one when that slot has one at this very instant).
    func fire(slot: String) throws(StoreError) -> DeliveryRecord {
        let now = clock.now
        let schedule = self.schedule
        let occurrence = Occurrence(slot: slot, at: now, day: schedule.localDate(of: now))
        let new = compose(occurrence, expiresAt: schedule.expiry(slot: slot, scheduledAt: now))
        let outcome = try journal.fireOnRequest(new, at: now)
        announce(outcome, now: now)
        replan()
        if case .fired(let delivery) = outcome { return delivery }
        guard let existing = try journal.delivery(slot: slot, scheduledAt: now) else {
            throw .notFound("the prompt fired at this instant is gone")
        }
        return existing
    }

    /// A waiting prompt comes back at `until`. `length` is recorded as the person gave it.
    func snooze(_ id: Int64, until: Date, length: ConfigDuration) throws(StoreError) -> DeliveryRecord {
        let snoozed = try journal.snoozePrompt(id: id, until: until, length: length.description, at: clock.now)
        announce(.snoozed, snoozed)
        replan()
        return snoozed
    }

    /// A waiting prompt is let go.
    func skip(_ id: Int64) throws(StoreError) -> DeliveryRecord {
        let skipped = try journal.skipPrompt(id: id, at: clock.now)
        announce(.skipped, skipped)
        replan()
        return skipped
    }

    /// Saves an answer to `delivery` with its event. Returns the entry id.
    func answer(
        _ delivery: DeliveryRecord, text: String, mood: Int?, energy: Int?, channel: EntryChannel
    ) throws(StoreError) -> Int64 {
        // A reflection belongs to the day it looks back on: written after midnight, it still sits
        // beside that day's intention. Every other answer is of the day it is given (DESIGN.md's
        // practised day), so an old prompt answered late does not rewrite an earlier day.
        let now = clock.now
        let day = delivery.slot == "reflection" ? delivery.localDate : schedule.localDate(of: now).description
        let entry = try journal.answerPrompt(
            text: text, mood: mood, energy: energy, channel: channel, deliveryID: delivery.id, at: now,
            localDate: day)
        announce(Event(event: .answered, id: delivery.id, slot: delivery.slot), settling: delivery.id)
        replan()
        return entry
    }

    /// No prompts until `end` (nil: until resumed). Returns the end as shown to the person.
    func pause(until end: Date?) throws(StoreError) -> String? {
        let stored = end.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? Scheduler.pausedIndefinitely
        let shown = end.map { Timestamp.string($0, in: timeZone) }
        try journal.pausePrompts(value: stored, stateKey: Scheduler.pausedKey, until: shown, endsAt: end, at: clock.now)
        announce(Event(event: .paused, until: shown), settling: nil)
        replan()
        daemon.notifier.status(daemon.statusLine())
        return shown
    }

    /// Ends a pause, if there is one.
    func resume() throws(StoreError) {
        if try journal.resumePrompts(stateKey: Scheduler.pausedKey, at: clock.now) {
            announce(Event(event: .resumed), settling: nil)
        }
        replan()
        daemon.notifier.status(daemon.statusLine())
    }

    /// After a command: the planner runs again (a snooze's return, the next occurrence after a
    /// pause) and the timer is armed for what comes next.
    private func replan() {
        daemon.scheduler.tick()
    }

    // MARK: - Announcements (after the commit, but for a prepared instant)

    /// Tells watchers, the desktop and the hook what a committed write changed.
    private func announce(_ outcome: TickOutcome, now: Date) {
        switch outcome {
        case .resumed: announce(Event(event: .resumed), settling: nil)
        case .expired(let delivery): announce(.expired, delivery)
        case .missed(let delivery): announce(.missed, delivery)
        case .fired(let delivery), .returned(let delivery): deliver(delivery)
        case .held, .skipped, .alreadyRecorded, .gone: break
        }
    }

    private func announce(_ kind: Event.Kind, _ delivery: DeliveryRecord) {
        announce(event(kind, delivery), settling: kind.settlesPrompt ? delivery.id : nil)
    }

    /// Watchers first, then the desktop: a prompt that stopped waiting leaves the screen.
    private func announce(_ event: Event, settling id: Int64?) {
        daemon.broadcast(event)
        if let id, event.event.settlesPrompt { daemon.desktop?.withdraw(id) }
    }

    /// A prompt reaches the person through every channel: terminals (`watch`ers), the
    /// desktop, and the person's own hook.
    private func deliver(_ delivery: DeliveryRecord) {
        daemon.broadcast(event(.fired, delivery))
        deliverBeyondWatchers(delivery)
        delivered(delivery)
    }

    /// The desktop and the hook, which come after the watchers.
    /// `hook`: the prompt's hook as worked out ahead (PromptLifecycle+Instant.swift), used when
    /// the screen lock still says what it said then; otherwise it is worked out now.
    func deliverBeyondWatchers(_ delivery: DeliveryRecord, hook: Daemon.HookPlan? = nil) {
        if config.delivery.desktop, let desktop = daemon.desktop { desktop.show(daemon.notificationContent(for: delivery)) }
        if let hook, hook.showsText == daemon.showsText(on: .hook) {
            daemon.runHook(hook)
        } else {
            daemon.runHook(for: delivery)
        }
    }

    /// Logs a delivered prompt and puts it in the STATUS= line (both read the journal: after the commit).
    func delivered(_ delivery: DeliveryRecord) {
        daemon.log.info(
            "prompt \(delivery.id ?? 0) (\(delivery.slot)) delivered",
            metadata: ["event": "fired", "slot": "\(delivery.slot)", "prompt_id": "\(delivery.id ?? 0)"])
        daemon.notifier.status(daemon.statusLine())
    }

    /// An event about `delivery` for watchers.
    func event(_ kind: Event.Kind, _ delivery: DeliveryRecord) -> Event {
        let zone = timeZone
        return Event(
            event: kind, id: delivery.id, slot: delivery.slot, text: delivery.promptText,
            scheduledAt: Timestamp.string(delivery.scheduledAt, in: zone),
            firedAt: Timestamp.string(delivery.firedAt, in: zone),
            expiresAt: Timestamp.string(delivery.expiresAt, in: zone),
            until: delivery.snoozedUntil.map { Timestamp.string($0, in: zone) })
    }
}
