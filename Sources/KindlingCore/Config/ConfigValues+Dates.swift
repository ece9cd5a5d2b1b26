// Config values with a date or a length: weekly times, durations and dates. Each one parses
// the text a person writes in config.toml and, when it cannot, says what is wrong in a single
// kind sentence (ConfigValueError, in ConfigValues.swift).
import Foundation

// MARK: - WeeklyTime

/// A day of the week and a time, e.g. `"sun 19:00"`.
public struct WeeklyTime: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The day of the week.
    public let weekday: Weekday
    /// The time on that day.
    public let time: TimeOfDay

    /// Creates a weekly time.
    public init(weekday: Weekday, time: TimeOfDay) {
        self.weekday = weekday
        self.time = time
    }

    /// Parses `"<day> HH:MM"`, e.g. `"sun 19:00"` or `"Sunday 19:00:30"`.
    public init(parsing text: String) throws(ConfigValueError) {
        let howTo = "write a day and a time, e.g. \"sun 19:00\""
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if parts.isEmpty {
            throw ConfigValueError("is empty; \(howTo)")
        }
        guard parts.count == 2 else {
            if parts.count == 1, TimeOfDay(String(parts[0])) != nil {
                throw ConfigValueError("\(quoted(text)) has no day; \(howTo)")
            }
            if parts.count == 1, Weekday(name: String(parts[0])) != nil {
                throw ConfigValueError("\(quoted(text)) has no time; \(howTo)")
            }
            throw ConfigValueError("\(quoted(text)) is not a day and a time; \(howTo)")
        }
        guard let day = Weekday(name: String(parts[0])) else {
            throw ConfigValueError(
                "\(quoted(text)) does not start with a day of the week (mon, tue, wed, thu, fri, sat or sun); \(howTo)"
            )
        }
        guard let time = TimeOfDay(String(parts[1])) else {
            throw ConfigValueError("\(quoted(text)): \(quoted(String(parts[1]))) is not a time of day; \(howTo)")
        }
        self.init(weekday: day, time: time)
    }

    /// Parses `"<day> HH:MM"`; nil when the text is not a weekly time.
    public init?(_ description: String) {
        guard let value = try? WeeklyTime(parsing: description) else { return nil }
        self = value
    }

    /// `"sun 19:00"`.
    public var description: String { "\(weekday.shortName) \(time)" }
}

// MARK: - ConfigDuration

/// A positive length of time written with units: `"90s"`, `"10m"`, `"2h"`, `"1h30m"`, `"3d"`.
///
/// Units are `d`, `h`, `m` and `s`, largest first, each at most once. The longest allowed
/// duration is ``ConfigDuration/maximum`` (7 days).
public struct ConfigDuration: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The length in whole seconds, always > 0.
    public let seconds: Int

    /// The longest duration a config may hold: 7 days.
    public static let maximum = 7 * 86_400

    /// Creates a duration, or nil unless `1 <= seconds <= maximum`.
    public init?(seconds: Int) {
        guard seconds > 0, seconds <= ConfigDuration.maximum else { return nil }
        self.seconds = seconds
    }

    init(validSeconds seconds: Int) {
        self.seconds = seconds
    }

    /// A duration of whole minutes (1...10080).
    public static func minutes(_ minutes: Int) -> ConfigDuration {
        ConfigDuration(validSeconds: minutes * 60)
    }

    /// A duration of whole hours (1...168).
    public static func hours(_ hours: Int) -> ConfigDuration {
        ConfigDuration(validSeconds: hours * 3600)
    }

    /// Parses `"90s"`, `"10m"`, `"2h"`, `"1h30m"`, `"1h 30m"`, `"3d"`.
    public init(parsing text: String) throws(ConfigValueError) {
        let shown = quoted(text)
        let howTo = "write it like \"10m\", \"2h\", \"90s\" or \"1h30m\""
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            throw ConfigValueError("is empty; \(howTo)")
        }
        if trimmed.hasPrefix("-") {
            throw ConfigValueError("\(shown) is negative; a duration must be longer than zero, e.g. \"10m\"")
        }
        if trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ConfigValueError(
                "\(shown) has no unit; write \"\(trimmed)m\" for minutes, \"\(trimmed)s\" for seconds or \"\(trimmed)h\" for hours"
            )
        }
        if trimmed.contains(".") || trimmed.contains(",") {
            throw ConfigValueError("\(shown) has a fraction; use whole numbers, e.g. \"1h30m\" instead of \"1.5h\"")
        }
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0
        var nextUnit = 0  // index into `units`: units must come largest first, each once
        var digits = ""
        var sawPart = false
        for ch in trimmed {
            if ch == " " || ch == "\t" {
                guard digits.isEmpty else {
                    throw ConfigValueError("\(shown) is not a duration; put the unit right after the number; \(howTo)")
                }
                continue
            }
            if ch.isASCII && ch.isNumber {
                digits.append(ch)
                continue
            }
            let lower = Character(ch.lowercased())
            guard let unitIndex = units.firstIndex(where: { $0.0 == lower }) else {
                throw ConfigValueError(
                    "\(shown) is not a duration: units are d (days), h (hours), m (minutes) and s (seconds); \(howTo)"
                )
            }
            guard !digits.isEmpty else {
                throw ConfigValueError("\(shown) is not a duration: a unit needs a number before it; \(howTo)")
            }
            guard unitIndex >= nextUnit else {
                throw ConfigValueError("\(shown) is not a duration: write days, hours, minutes, then seconds, e.g. \"1h30m\"")
            }
            // More than 7 digits is always too long; this also keeps the arithmetic from overflowing.
            guard digits.count <= 7, let number = Int(digits) else {
                throw ConfigValueError("\(shown) is too long; the longest allowed is \"168h\" (7 days)")
            }
            total += number * units[unitIndex].1
            nextUnit = unitIndex + 1
            digits = ""
            sawPart = true
        }
        guard digits.isEmpty, sawPart else {
            throw ConfigValueError("\(shown) is not a duration: the last number has no unit; \(howTo)")
        }
        if total == 0 {
            throw ConfigValueError("\(shown) is zero; a duration must be longer than zero, e.g. \"10m\"")
        }
        if total > ConfigDuration.maximum {
            throw ConfigValueError("\(shown) is too long; the longest allowed is \"168h\" (7 days)")
        }
        self.init(validSeconds: total)
    }

    /// Parses a duration; nil when the text is not one.
    public init?(_ description: String) {
        guard let value = try? ConfigDuration(parsing: description) else { return nil }
        self = value
    }

    /// The duration as a `TimeInterval`.
    public var timeInterval: TimeInterval { TimeInterval(seconds) }

    /// The canonical spelling, e.g. `"1h30m"`, `"10m"`, `"90s"` → `"1m30s"`.
    public var description: String {
        let h = seconds / 3600
        let m = seconds / 60 % 60
        let s = seconds % 60
        var text = ""
        if h > 0 { text += "\(h)h" }
        if m > 0 { text += "\(m)m" }
        if s > 0 { text += "\(s)s" }
        return text
    }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool { lhs.seconds < rhs.seconds }
}

// MARK: - ConfigDate

/// A calendar date without a time or zone, written `"YYYY-MM-DD"`.
public struct ConfigDate: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The year, 1970...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...31 (valid for the month).
    public let day: Int

    /// Creates a date, or nil when it is not on the (proleptic Gregorian) calendar or
    /// outside the years 1970...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= ConfigDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `"YYYY-MM-DD"`.
    public init(parsing text: String) throws(ConfigValueError) {
        let howTo = "write it as YYYY-MM-DD, e.g. \"2025-03-01\""
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let year = asciiNumber(parts[0], digits: 4...4),
            let month = asciiNumber(parts[1], digits: 2...2),
            let day = asciiNumber(parts[2], digits: 2...2)
        else {
            throw ConfigValueError("\(quoted(text)) is not a date; \(howTo)")
        }
        guard let date = ConfigDate(year: year, month: month, day: day) else {
            if !(1970...9999).contains(year) {
                throw ConfigValueError("\(quoted(text)) is too far in the past; \(howTo)")
            }
            throw ConfigValueError("\(quoted(text)) is not a day on the calendar; \(howTo)")
        }
        self = date
    }

    /// Parses `"YYYY-MM-DD"`; nil when the text is not a date.
    public init?(_ description: String) {
        guard let value = try? ConfigDate(parsing: description) else { return nil }
        self = value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `"YYYY-MM-DD"`.
    public var description: String {
        String(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    public static func < (lhs: ConfigDate, rhs: ConfigDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
