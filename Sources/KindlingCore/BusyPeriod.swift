import Foundation

/// A stretch of time the person's calendar marks as busy (a session, a meeting): prompts wait
/// through it (`[calendar] hold`) and a break may follow it (`[break] after_events`). The end
/// is exclusive: a prompt due at the very instant an event ends is not held by it.
public struct BusyPeriod: Sendable, Hashable, Comparable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Whether `instant` falls inside: `start <= instant < end`.
    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }

    public static func < (a: BusyPeriod, b: BusyPeriod) -> Bool { (a.start, a.end) < (b.start, b.end) }

    /// `periods` sorted, with every two that overlap, or whose gap is shorter than `gap`,
    /// joined into one. Empty periods (end not after start) are dropped.
    public static func merged(_ periods: [BusyPeriod], closerThan gap: TimeInterval = 0) -> [BusyPeriod] {
        var out: [BusyPeriod] = []
        for period in periods.filter({ $0.end > $0.start }).sorted() {
            if let last = out.last, period.start.timeIntervalSince(last.end) < gap || period.start <= last.end {
                out[out.count - 1].end = max(last.end, period.end)
            } else {
                out.append(period)
            }
        }
        return out
    }
}
