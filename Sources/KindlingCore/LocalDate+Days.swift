import Foundation

/// Day arithmetic on local dates, for the journal and its statistics (no time zone involved).
extension LocalDate {
    /// Parses `YYYY-MM-DD` (a real calendar date); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let candidate = LocalDate(year: year, month: month, day: day)
        // 2026-02-30 comes back as 2026-03-02: not a real date.
        guard LocalDate(daysSinceEpoch: candidate.daysSinceEpoch) == candidate else { return nil }
        self = candidate
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    public init(daysSinceEpoch days: Int) {
        self = Schedule.date(fromDaysSinceEpoch: days)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int { Schedule.daysSinceEpoch(self) }

    /// The date `count` days later (earlier when negative).
    public func adding(days count: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + count)
    }

    /// Its day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday(rawValue: ((daysSinceEpoch % 7) + 7 + 3) % 7 + 1) ?? .monday
    }

    /// The Monday that starts its ISO week (Monday to Sunday).
    public var startOfWeek: LocalDate {
        adding(days: 1 - weekday.rawValue)
    }
}
