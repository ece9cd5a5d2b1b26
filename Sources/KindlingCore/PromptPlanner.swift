import Foundation

/// A prompt that was delivered and still waits for an answer, as the planner sees it.
public struct WaitingPrompt: Sendable, Hashable {
    public var id: Int64
    public var slot: String
    /// When it stops waiting: past this instant it can only expire.
    public var expiresAt: Date
    /// Set while it is snoozed (or held back by quiet hours): when it comes back.
    public var snoozedUntil: Date?

    public init(id: Int64, slot: String, expiresAt: Date, snoozedUntil: Date? = nil) {
        self.id = id
        self.slot = slot
        self.expiresAt = expiresAt
        self.snoozedUntil = snoozedUntil
    }
}

/// One thing the daemon does to bring prompts up to date, in the order the planner lists them.
public enum PlannedAction: Sendable, Hashable {
    /// The pause ended: clear it and say so.
    case endPause
    /// A waiting prompt is past its validity: close it as expired.
    case expire(id: Int64)
    /// A snoozed prompt's time came: show it again, as fired now.
    case returnSnoozed(id: Int64)
    /// A snoozed prompt came back inside quiet hours: it waits until they end.
    case holdSnoozed(id: Int64, until: Date)
    /// An occurrence to deliver now.
    case fire(Occurrence, expiresAt: Date)
    /// An occurrence inside quiet hours that can wait for their end.
    case hold(Occurrence, expiresAt: Date, until: Date)
    /// An occurrence that can no longer be answered: its validity passed during downtime, or
    /// quiet hours outlast it.
    case miss(Occurrence, expiresAt: Date, reason: MissReason)
    /// An occurrence during a pause: recorded, never shown.
    case skipWhilePaused(Occurrence, expiresAt: Date)

    public enum MissReason: String, Sendable, Hashable {
        case expired
        case quietHours = "quiet hours"
        /// A busy calendar event outlasts it (`[calendar] hold`).
        case busy = "a calendar event"
    }
}

/// What the planner decided for one instant.
public struct Plan: Sendable, Hashable {
    /// In order: the pause, then what was waiting, then the new occurrences by time.
    public var actions: [PlannedAction]
    /// The high-water mark to keep: occurrences up to here have been planned.
    public var plannedThrough: Date
    /// When the planner should run next (nil: nothing is ahead).
    public var nextDeadline: Date?
}

/// Decides, from the schedule and what is waiting, what happens to prompts at an instant. Pure:
/// no clock, no queue, no journal; the caller applies the actions and keeps the high-water mark.
///
/// The rules, which the daemon has always followed:
/// - A pause whose end has come is ended first.
/// - A waiting prompt past its expiry is expired; a snoozed one whose time came returns, unless
///   paused (it waits for the pause's end) or inside quiet hours (held to their end, if it is still
///   valid then).
/// - Of the occurrences since the high-water mark (at most ``catchUpWindow`` back), only the latest
///   of each slot counts, so that a long downtime never brings a burst. One already recorded is
///   left alone (`isRecorded`): that, not the high-water mark, is what makes "never twice" hold
///   when the clock is set back. The first plan ever (no mark) has nothing to catch up.
/// - An occurrence past its validity is missed; during a pause it is skipped; inside quiet hours
///   or a busy calendar event (``Schedule/holdEnd(at:)``) it is held if it is still valid when
///   the hold ends, else missed; otherwise it fires. A snoozed prompt returning inside a hold
///   waits for its end the same way.
/// - While the desktop is in do-not-disturb (`doNotDisturb`), nothing reaches the person on any
///   channel: no snoozed prompt returns and no new occurrence is planned, and the high-water mark
///   stays where it was. Its end is not known in advance, so the daemon plans again when it ends,
///   and the ordinary catch-up then delivers what is still valid (and lets go of what is not).
public enum PromptPlanner {
    /// How far back a catch-up looks after downtime.
    public static let catchUpWindow: TimeInterval = 8 * 86_400

    /// - Parameters:
    ///   - plannedThrough: the high-water mark kept from the previous plan (nil: never planned).
    ///   - pausedUntil: the end of the pause (`.distantFuture` when open-ended), nil when not paused.
    ///   - doNotDisturb: whether the desktop's do-not-disturb is on (see the rules above).
    ///   - isRecorded: whether an occurrence already has its delivery row.
    public static func plan<Failure: Error>(
        now: Date, schedule: Schedule, waiting: [WaitingPrompt], plannedThrough: Date?, pausedUntil: Date?,
        doNotDisturb: Bool = false, isRecorded: (Occurrence) throws(Failure) -> Bool
    ) throws(Failure) -> Plan {
        var actions: [PlannedAction] = []
        var paused = pausedUntil
        if let end = paused, end <= now {
            actions.append(.endPause)
            paused = nil
        }
        // Quiet hours and busy calendar events hold prompts alike (the longer of the two).
        let quietEnd = schedule.holdEnd(at: now)
        let holdReason: PlannedAction.MissReason = schedule.holdIsForEvents(at: now) ? .busy : .quietHours

        // What is waiting, and what it waits for afterwards (for the next deadline).
        var stillWaiting: [WaitingPrompt] = []
        for prompt in waiting {
            if prompt.expiresAt <= now {
                actions.append(.expire(id: prompt.id))
                continue
            }
            var after = prompt
            if paused == nil, !doNotDisturb, let until = prompt.snoozedUntil, until <= now {
                if let quietEnd {
                    if quietEnd < prompt.expiresAt {
                        actions.append(.holdSnoozed(id: prompt.id, until: quietEnd))
                        after.snoozedUntil = quietEnd
                    }
                } else {
                    actions.append(.returnSnoozed(id: prompt.id))
                    after.snoozedUntil = nil
                }
            }
            stillWaiting.append(after)
        }

        // The occurrences since the mark: the latest of each slot.
        if let through = plannedThrough, through < now, !doNotDisturb {
            let due = schedule.occurrences(after: max(through, now.addingTimeInterval(-catchUpWindow)), through: now)
            var latest: [String: Occurrence] = [:]
            for occurrence in due { latest[occurrence.slot] = occurrence }
            for occurrence in latest.values.sorted(by: { ($0.at, $0.slot) < ($1.at, $1.slot) }) {
                guard try !isRecorded(occurrence) else { continue }
                let expiresAt = schedule.expiry(slot: occurrence.slot, scheduledAt: occurrence.at)
                if expiresAt <= now {
                    actions.append(.miss(occurrence, expiresAt: expiresAt, reason: .expired))
                } else if paused != nil {
                    actions.append(.skipWhilePaused(occurrence, expiresAt: expiresAt))
                } else if let quietEnd {
                    if quietEnd < expiresAt {
                        actions.append(.hold(occurrence, expiresAt: expiresAt, until: quietEnd))
                        stillWaiting.append(
                            WaitingPrompt(id: -1, slot: occurrence.slot, expiresAt: expiresAt, snoozedUntil: quietEnd))
                    } else {
                        actions.append(.miss(occurrence, expiresAt: expiresAt, reason: holdReason))
                    }
                } else {
                    actions.append(.fire(occurrence, expiresAt: expiresAt))
                    stillWaiting.append(WaitingPrompt(id: -1, slot: occurrence.slot, expiresAt: expiresAt))
                }
            }
        }

        // The earliest instant after now at which something changes.
        var deadlines: [Date] = []
        if let next = schedule.occurrences(after: now, count: 1).first { deadlines.append(next.at) }
        deadlines += stillWaiting.map(\.expiresAt)
        deadlines += stillWaiting.compactMap(\.snoozedUntil)
        if let paused, paused != .distantFuture { deadlines.append(paused) }
        let mark = doNotDisturb ? (plannedThrough ?? now) : now
        return Plan(actions: actions, plannedThrough: mark, nextDeadline: deadlines.filter { $0 > now }.min())
    }
}
