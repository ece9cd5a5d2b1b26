import Foundation

/// The busy periods of the person's calendar, prepared for the questions the schedule and the
/// planner ask: is this instant inside an event (a hold, a timed break left out), and where does
/// each run of events end (a break after it).
public struct BusyCalendar: Sendable, Equatable {
    /// Overlapping and touching events joined: a prompt held by one is held through the next.
    public let held: [BusyPeriod]
    /// Events joined also across gaps shorter than `[break] min_gap`: one break after each.
    public let blocks: [BusyPeriod]

    public init(_ periods: [BusyPeriod], minGap: TimeInterval) {
        held = BusyPeriod.merged(periods)
        blocks = BusyPeriod.merged(held, closerThan: minGap)
    }

    /// Whether `instant` falls inside a busy event.
    public func isBusy(_ instant: Date) -> Bool { heldEnd(at: instant) != nil }

    /// The end of the run of events `instant` falls in, or nil when it falls in none.
    public func heldEnd(at instant: Date) -> Date? {
        // The last period starting at or before the instant (binary search: a tick asks often).
        var low = 0
        var high = held.count
        while low < high {
            let middle = (low + high) / 2
            if held[middle].start <= instant { low = middle + 1 } else { high = middle }
        }
        guard low > 0, held[low - 1].contains(instant) else { return nil }
        return held[low - 1].end
    }

    /// The ends of the blocks that end in `[from, to)`, in order.
    public func blockEnds(from: Date, to: Date) -> [Date] {
        blocks.map(\.end).filter { $0 >= from && $0 < to }
    }
}

extension Schedule {
    /// When the hold on prompts that holds at `instant` ends: quiet hours, or (with
    /// `[calendar] hold`) the busy events the instant falls in, whichever lasts longer; nil
    /// when nothing holds.
    public func holdEnd(at instant: Date) -> Date? {
        let quiet = quietHoursEnd(at: instant)
        let events = configuration.calendar.hold ? busy.heldEnd(at: instant) : nil
        switch (quiet, events) {
        case (nil, nil): return nil
        case (let q?, nil): return q
        case (nil, let e?): return e
        case (let q?, let e?):
            // Quiet hours may begin as the events end, or events as quiet hours end: follow
            // the chain to the end of the whole hold.
            let later = max(q, e)
            return holdEnd(at: later).map { max($0, later) } ?? later
        }
    }

    /// Why a prompt held at `instant` waits: events when they hold it, else quiet hours.
    public func holdIsForEvents(at instant: Date) -> Bool {
        configuration.calendar.hold && busy.isBusy(instant)
    }
}
