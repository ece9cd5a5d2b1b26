import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// What the composer made of an occurrence, ready to be recorded.
struct ComposedDelivery {
    var text: String
    var key: String
    var programName: String?
    var programDay: Int?
}

extension Daemon {
    // MARK: - Channels

    /// A prompt reaches the person through every channel: terminals (`watch`ers), the
    /// desktop, and the person's own hook.
    func deliver(_ delivery: DeliveryRecord, at now: Date) {
        dispatchPrecondition(condition: .onQueue(queue))
        broadcast(scheduler.event("fired", delivery))
        if config.delivery.desktop, let desktop { desktop.show(notificationContent(for: delivery)) }
        runHook(for: delivery)
        log.info(
            "prompt \(delivery.id ?? 0) (\(delivery.slot)) delivered",
            metadata: ["event": "fired", "slot": "\(delivery.slot)", "prompt_id": "\(delivery.id ?? 0)"])
        notifier.status(statusLine())
    }

    /// Events after which a prompt no longer waits, so its notification is closed.
    static let settlingEvents: Set<String> = ["answered", "skipped", "snoozed", "expired", "missed"]

    /// Sends `event` to every watcher; a watcher that cannot keep up is dropped, never
    /// waited for. A prompt that stopped waiting also leaves the desktop.
    func broadcast(_ event: Event) {
        dispatchPrecondition(condition: .onQueue(queue))
        if let desktop, let id = event.id, Self.settlingEvents.contains(event.event) { desktop.withdraw(id) }
        guard !watchers.isEmpty, let line = try? ControlProtocol.makeEncoder().encode(event) else { return }
        for connection in watchers.values where !connection.send(line, dropAbove: Self.watcherBacklogLimit) {
            connection.close()
        }
    }

    /// Unsent bytes a watcher may accumulate before it is dropped.
    static let watcherBacklogLimit = 1 << 20

    // MARK: - Composition

    /// The text of a prompt for `slot` due on `day`: the program's step, the rotation, and
    /// for the reflection this morning's intention.
    func compose(slot: String, day: LocalDate, scheduledAt: Date) -> ComposedDelivery {
        let recentKeys = (try? journal.recentPromptKeys(slot: slot, limit: 400)) ?? []
        let position = programPosition(on: day)
        let intention =
            slot == "reflection" ? (try? journal.answerText(slot: "intention", localDate: day.description)) ?? nil : nil
        let composed = PromptComposer.compose(
            slot: slot, configuration: config, position: position, todaysIntention: intention,
            recentKeys: recentKeys, seed: Self.seed("\(day)/\(slot)/\(Int64(scheduledAt.timeIntervalSince1970))"),
            hiddenKeys: (try? journal.hiddenPromptKeys()) ?? [])
        // The weekly review's look back is not stored with the prompt: it quotes the person's
        // words, which must go when they edit or delete an entry. The notification adds it when
        // shown (see ``notificationContent(for:)``).
        return ComposedDelivery(
            text: composed.text, key: composed.key,
            programName: composed.programDay == nil ? nil : config.program.name.rawValue,
            programDay: composed.programDay)
    }

    /// The look back at the seven days ending on `day` for the weekly review (see ``WeekLookBack``), or nil
    /// when there is nothing to tell: the review never counts what did not happen.
    func weekSummary(endingOn day: LocalDate) -> String? {
        guard let lookBack = try? weekLookBack(of: day, endingOn: true) else { return nil }
        let summary = lookBack.summary
        return summary.isEmpty ? nil : summary
    }

    /// Where the program stands on `day`: it advances by practised days since it started.
    func programPosition(on day: LocalDate) -> ProgramPosition? {
        guard config.program.name != .none else { return nil }
        let start = programStart(firstDay: day)
        let practised = ((try? journal.practisedDays(since: start)) ?? []).filter { $0 < day.description }
        return ProgramEngine.position(settings: config.program, practisedDaysBefore: practised.count)
    }

    /// `[program] start`, or the first day the daemon ran (remembered in the journal).
    private func programStart(firstDay day: LocalDate) -> String {
        if let start = config.program.start { return start.description }
        let key = "program.started_on"
        if let stored = try? journal.state(forKey: key) { return stored }
        try? journal.setState(day.description, forKey: key, at: clock.now)
        return day.description
    }

    /// A stable 64-bit seed from text (FNV-1a): the same day and slot give the same choice.
    static func seed(_ text: String) -> UInt64 {
        StableHash.fnv1a64(text)
    }
}
