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
    // MARK: - Watchers

    /// Sends `event` to every watcher; a watcher that cannot keep up is dropped, never
    /// waited for. Prompts' events come through ``PromptLifecycle``.
    func broadcast(_ event: Event) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !watchers.isEmpty, let line = try? ControlProtocol.makeEncoder().encode(event) else { return }
        broadcast(line: line)
    }

    /// Sends an event already encoded (a prepared instant's `fired` line) to every watcher.
    func broadcast(line: Data) {
        dispatchPrecondition(condition: .onQueue(queue))
        for connection in watchers.values where !connection.send(line, dropAbove: Self.watcherBacklogLimit) {
            connection.close()
        }
    }

    /// Unsent bytes a watcher may accumulate before it is dropped.
    static let watcherBacklogLimit = 1 << 20

    // MARK: - Composition

    /// The text of a prompt for `slot` due on `day`: the practice's own questions, the
    /// program's step, the rotation, a gentler turn on a low-energy day, and for the
    /// reflection this morning's intention (see ``PromptComposer``).
    func compose(slot: String, day: LocalDate, scheduledAt: Date) -> ComposedDelivery {
        let recentKeys = (try? journal.recentPromptKeys(slot: slot, limit: 400)) ?? []
        let position = programPosition(on: day)
        let intention =
            slot == "reflection" ? (try? journal.answerText(slot: "intention", localDate: day.description)) ?? nil : nil
        // A day the person said their energy is low turns the nudge and the reflection gentle.
        let lowEnergy =
            slot == "nudge" || slot == "reflection"
            ? PromptComposer.isLowEnergy((try? journal.latestEnergy(localDate: day.description)) ?? nil) : false
        // The affirmation goes with the day's first reflection only.
        let firstOfDay =
            slot == "reflection" ? ((try? journal.deliveryCount(slot: slot, localDate: day.description)) ?? 0) == 0 : true
        let composed = PromptComposer.compose(
            slot: slot, configuration: config, position: position, todaysIntention: intention,
            recentKeys: recentKeys, seed: Self.seed("\(day)/\(slot)/\(Int64(scheduledAt.timeIntervalSince1970))"),
            day: day, lowEnergy: lowEnergy, firstOfDay: firstOfDay, hiddenKeys: (try? journal.hiddenPromptKeys()) ?? [])
        var text = composed.text
        if isFirstPromptAfterPause(at: scheduledAt) { text = PromptComposer.welcomingBack(text) }
        // The weekly review's look back is not stored with the prompt: it quotes the person's
        // words, which must go when they edit or delete an entry. The notification adds it when
        // shown (see ``notificationContent(for:)``).
        return ComposedDelivery(
            text: text, key: composed.key,
            programName: composed.programDay == nil ? nil : position?.program.rawValue,
            programDay: composed.programDay)
    }

    /// The look back at the seven days ending on `day` for the weekly review (see ``WeekLookBack``), or nil
    /// when there is nothing to tell: the review never counts what did not happen.
    func weekSummary(endingOn day: LocalDate) -> String? {
        guard let lookBack = try? weekLookBack(of: day, endingOn: true) else { return nil }
        let summary = lookBack.summary
        return summary.isEmpty ? nil : summary
    }

    /// A stable 64-bit seed from text (FNV-1a): the same day and slot give the same choice.
    static func seed(_ text: String) -> UInt64 {
        StableHash.fnv1a64(text)
    }
}
