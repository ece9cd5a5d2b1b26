import Foundation

/// A run of practised days, counted with grace.
public struct StreakRun: Equatable, Sendable {
    /// The practised days in the run (quiet days it forgave are not counted).
    public var days: Int
    /// Its first and last practised day.
    public var from: LocalDate
    public var to: LocalDate

    public init(days: Int, from: LocalDate, to: LocalDate) {
        self.days = days
        self.from = from
        self.to = to
    }
}

/// The current and the best streak.
public struct Streaks: Equatable, Sendable {
    /// The streak still alive today; nil when the next practised day starts a new one.
    public var current: StreakRun?
    /// The longest streak so far (the most recent one when two are as long).
    public var best: StreakRun?

    public init(current: StreakRun?, best: StreakRun?) {
        self.current = current
        self.best = best
    }
}

/// Streak maths (DESIGN.md): a streak counts consecutive practised days, forgiving up to two
/// unpractised days in each ISO week (Monday to Sunday); paused days are simply stepped over.
///
/// A streak is a span of days that starts and ends on a practised day and holds at most
/// ``graceDaysPerWeek`` unpractised days of any one ISO week; its length is the number of practised
/// days in it. Today, while it is not yet practised, is neither: it neither counts nor uses grace.
/// A paused day (Kindling was paused for some of it) that was not practised is the same: rest
/// never ends a streak and never uses up a grace day.
public enum Streak {
    /// Quiet days forgiven in each ISO week.
    public static let graceDaysPerWeek = 2

    /// The current and best streaks, given every practised local date, the paused ones and
    /// today's. Dates after `today` are ignored.
    public static func compute(practised dates: Set<LocalDate>, paused: Set<LocalDate> = [], today: LocalDate) -> Streaks {
        let end = today.daysSinceEpoch
        let practised = Set(dates.map(\.daysSinceEpoch).filter { $0 <= end })
        let rest = Set(paused.map(\.daysSinceEpoch)).subtracting(practised)
        guard let first = practised.min() else { return Streaks(current: nil, best: nil) }

        // A sliding window [left, day] that is always a valid streak span, as long as it can be:
        // when a quiet day is one too many for its week, the window gives up its oldest days
        // until that week is within its grace again.
        var left = first
        var quiet: [Int: Int] = [:]
        var practisedInWindow = 0
        var lastPractised = first
        var best: StreakRun?
        for day in first...end {
            if practised.contains(day) {
                practisedInWindow += 1
                lastPractised = day
            } else if day != end, !rest.contains(day) {
                let week = isoWeek(day)
                quiet[week, default: 0] += 1
                while quiet[week, default: 0] > graceDaysPerWeek {
                    drop(left, practised: practised, rest: rest, count: &practisedInWindow, quiet: &quiet)
                    left += 1
                }
            }
            // A span starts on a practised day: leading quiet days are not part of it.
            while left < day, !practised.contains(left) {
                drop(left, practised: practised, rest: rest, count: &practisedInWindow, quiet: &quiet)
                left += 1
            }
            if practised.contains(day), practisedInWindow >= (best?.days ?? 0) {
                best = StreakRun(
                    days: practisedInWindow, from: LocalDate(daysSinceEpoch: left), to: LocalDate(daysSinceEpoch: day))
            }
        }
        let current =
            practisedInWindow > 0
            ? StreakRun(
                days: practisedInWindow, from: LocalDate(daysSinceEpoch: left), to: LocalDate(daysSinceEpoch: lastPractised))
            : nil
        return Streaks(current: current, best: best)
    }

    /// Removes `day` from the window's tallies.
    private static func drop(_ day: Int, practised: Set<Int>, rest: Set<Int>, count: inout Int, quiet: inout [Int: Int]) {
        if practised.contains(day) {
            count -= 1
        } else if !rest.contains(day) {
            quiet[isoWeek(day), default: 0] -= 1
        }
    }

    /// The index of the ISO week (Monday to Sunday) holding the day `days` after 1970-01-01.
    static func isoWeek(_ days: Int) -> Int {
        // 1969-12-29, three days before the epoch, was a Monday.
        let shifted = days + 3
        return shifted >= 0 ? shifted / 7 : (shifted - 6) / 7
    }
}
