import Foundation

/// Day arithmetic on local dates, for the journal and its statistics (no time zone involved).
extension LocalDate {
    /// Parses `YYYY-MM-DD` (a real calendar date); nil otherwise.
    public init?(_ text: String) {
        // Byte by byte: `stats` reads a date for every practised day of the journal's history.
        var text = text
        guard
            let (year, month, day) = text.withUTF8({ bytes -> (Int, Int, Int)? in
                guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
                func number(_ range: Range<Int>) -> Int? {
                    var value = 0
                    for index in range {
                        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
                        value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                    }
                    return value
                }
                guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
                return (year, month, day)
            }), (1...12).contains(month), (1...31).contains(day)
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
