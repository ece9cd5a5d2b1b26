/// A calendar date without a time zone (`1979-05-27`).
public struct TOMLLocalDate: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the date exists in the proleptic Gregorian calendar (years 0 to 9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= TOMLLocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        "\(TOMLLocalDate.pad(year, 4))-\(TOMLLocalDate.pad(month, 2))-\(TOMLLocalDate.pad(day, 2))"
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A time of day without a time zone (`07:32:00.999`). Digits of a fraction past the ninth are
/// dropped, as TOML allows.
public struct TOMLLocalTime: Hashable, Sendable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int
    /// 0 to 60: RFC 3339 allows a leap second.
    public let second: Int
    public let nanosecond: Int

    public init?(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (0..<1_000_000_000).contains(nanosecond)
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    public var description: String {
        var text = "\(TOMLLocalDate.pad(hour, 2)):\(TOMLLocalDate.pad(minute, 2)):\(TOMLLocalDate.pad(second, 2))"
        if nanosecond > 0 {
            var fraction = TOMLLocalDate.pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }
}

/// A date and time without a time zone (`1979-05-27T07:32:00`).
public struct TOMLLocalDateTime: Hashable, Sendable, CustomStringConvertible {
    public let date: TOMLLocalDate
    public let time: TOMLLocalTime

    public init(date: TOMLLocalDate, time: TOMLLocalTime) {
        self.date = date
        self.time = time
    }

    public var description: String { "\(date)T\(time)" }
}

/// A date and time at an offset from UTC (`1979-05-27T00:32:00-07:00`). The offset is kept as
/// written, so nothing here needs a time-zone database.
public struct TOMLOffsetDateTime: Hashable, Sendable, CustomStringConvertible {
    public let date: TOMLLocalDate
    public let time: TOMLLocalTime
    /// Minutes east of UTC; `Z` and `-00:00` read as 0.
    public let offsetMinutes: Int

    public init?(date: TOMLLocalDate, time: TOMLLocalTime, offsetMinutes: Int) {
        guard abs(offsetMinutes) < 24 * 60 else { return nil }
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    public var description: String {
        guard offsetMinutes != 0 else { return "\(date)T\(time)Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let minutes = abs(offsetMinutes)
        return "\(date)T\(time)\(sign)\(TOMLLocalDate.pad(minutes / 60, 2)):\(TOMLLocalDate.pad(minutes % 60, 2))"
    }
}
