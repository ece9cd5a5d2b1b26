// Small value types used by the configuration: times of day, windows and sets of days (weekly
// times, durations and dates are in ConfigValues+Dates.swift). Each one parses the text a
// person writes in config.toml and, when it cannot, says what is wrong in a single kind sentence.
import Foundation

/// Why a configuration value could not be parsed: one sentence that quotes the value and
/// says how to write it. ``Configuration`` turns it into a ``ConfigError`` with file,
/// line and key.
public struct ConfigValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it, e.g. `"25:00" is not a time of day; write it as HH:MM, e.g. "08:00"`.
    public var message: String

    /// Creates an error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

// MARK: - TimeOfDay

/// A wall-clock time of day, from 00:00:00 to 23:59:59.
///
/// Written `"HH:MM"` or `"HH:MM:SS"` on a 24-hour clock (a one-digit hour such as
/// `"8:00"` is accepted too).
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The hour, 0...23.
    public let hour: Int
    /// The minute, 0...59.
    public let minute: Int
    /// The second, 0...59.
    public let second: Int

    /// Midnight at the start of the day, 00:00.
    public static let midnight = TimeOfDay(validHour: 0, minute: 0, second: 0)

    /// Creates a time of day, or nil when a component is out of range.
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.init(validHour: hour, minute: minute, second: second)
    }

    init(validHour hour: Int, minute: Int, second: Int) {
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Creates a time of day from the number of seconds since midnight (taken modulo one day).
    public init(secondsSinceMidnight seconds: Int) {
        let s = ((seconds % 86_400) + 86_400) % 86_400
        self.init(validHour: s / 3600, minute: s / 60 % 60, second: s % 60)
    }

    /// Parses `"HH:MM"` or `"HH:MM:SS"`.
    public init(parsing text: String) throws(ConfigValueError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = quoted(text)
        let howTo = "write it as HH:MM, e.g. \"08:00\""
        if trimmed.isEmpty {
            throw ConfigValueError("is empty; \(howTo)")
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            let hour = asciiNumber(parts[0], digits: 1...2),
            let minute = asciiNumber(parts[1], digits: 2...2),
            parts.count == 2 || asciiNumber(parts[2], digits: 2...2) != nil
        else {
            if trimmed.contains("."), parts.count == 3 {
                throw ConfigValueError("\(shown) is not a time of day; leave out fractions of a second and \(howTo)")
            }
            if trimmed.lowercased().hasSuffix("am") || trimmed.lowercased().hasSuffix("pm") {
                throw ConfigValueError("\(shown) is not a time of day; use the 24-hour clock, e.g. \"08:00\" or \"21:00\"")
            }
            throw ConfigValueError("\(shown) is not a time of day; \(howTo)")
        }
        let second = parts.count == 3 ? asciiNumber(parts[2], digits: 2...2)! : 0
        if hour == 24 && minute == 0 && second == 0 {
            throw ConfigValueError("\(shown) is not a time of day; for midnight write \"00:00\"")
        }
        if hour > 23 {
            throw ConfigValueError("\(shown) is not a time of day: hours go from 00 to 23; \(howTo)")
        }
        if minute > 59 {
            throw ConfigValueError("\(shown) is not a time of day: minutes go from 00 to 59; \(howTo)")
        }
        if second > 59 {
            throw ConfigValueError("\(shown) is not a time of day: seconds go from 00 to 59; \(howTo)")
        }
        self.init(validHour: hour, minute: minute, second: second)
    }

    /// Parses `"HH:MM"` or `"HH:MM:SS"`; nil when the text is not a time of day.
    public init?(_ description: String) {
        guard let value = try? TimeOfDay(parsing: description) else { return nil }
        self = value
    }

    /// Seconds since midnight, 0..<86400.
    public var secondsSinceMidnight: Int { hour * 3600 + minute * 60 + second }

    /// `"HH:MM"`, or `"HH:MM:SS"` when the seconds are not zero.
    public var description: String {
        let hm = twoDigits(hour) + ":" + twoDigits(minute)
        return second == 0 ? hm : hm + ":" + twoDigits(second)
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.secondsSinceMidnight < rhs.secondsSinceMidnight
    }
}

// MARK: - TimeWindow

/// A daily span of time, `"HH:MM-HH:MM"`. The end may come before the start: then the
/// window crosses midnight (e.g. quiet hours `"22:00-07:00"`).
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// Where the window begins (inclusive).
    public let start: TimeOfDay
    /// Where the window ends (exclusive).
    public let end: TimeOfDay

    /// Creates a window, or nil when start and end are the same time.
    public init?(start: TimeOfDay, end: TimeOfDay) {
        guard start != end else { return nil }
        self.start = start
        self.end = end
    }

    /// Parses `"HH:MM-HH:MM"` (seconds allowed; spaces around the dash are fine).
    public init(parsing text: String) throws(ConfigValueError) {
        let shown = quoted(text)
        let howTo = "write it as \"HH:MM-HH:MM\", e.g. \"09:00-17:00\""
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            throw ConfigValueError("is empty; \(howTo)")
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ConfigValueError("\(shown) is not a time window; \(howTo)")
        }
        let start: TimeOfDay
        let end: TimeOfDay
        do {
            start = try TimeOfDay(parsing: String(parts[0]))
            end = try TimeOfDay(parsing: String(parts[1]))
        } catch {
            let bad = (TimeOfDay(String(parts[0])) == nil ? parts[0] : parts[1])
                .trimmingCharacters(in: .whitespaces)
            if bad.isEmpty {
                throw ConfigValueError("\(shown) is not a time window; \(howTo)")
            }
            throw ConfigValueError("\(shown) is not a time window: \(quoted(bad)) is not a time of day; \(howTo)")
        }
        guard let window = TimeWindow(start: start, end: end) else {
            throw ConfigValueError("\(shown) starts and ends at the same time, so it is empty; \(howTo)")
        }
        self = window
    }

    /// Parses `"HH:MM-HH:MM"`; nil when the text is not a time window.
    public init?(_ description: String) {
        guard let value = try? TimeWindow(parsing: description) else { return nil }
        self = value
    }

    /// True when the window runs past midnight (its end is earlier than its start).
    public var crossesMidnight: Bool { end < start }

    /// The window's length in seconds, 1..<86400.
    public var lengthInSeconds: Int {
        let length = end.secondsSinceMidnight - start.secondsSinceMidnight
        return length > 0 ? length : length + 86_400
    }

    /// True when `time` falls inside the window (start inclusive, end exclusive).
    public func contains(_ time: TimeOfDay) -> Bool {
        crossesMidnight ? (time >= start || time < end) : (time >= start && time < end)
    }

    /// `"HH:MM-HH:MM"`.
    public var description: String { "\(start)-\(end)" }
}

// MARK: - Weekday and DaySet

/// A day of the week, numbered as ISO 8601 does: Monday = 1 ... Sunday = 7.
public enum Weekday: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Parses a three-letter or full English day name, in any case ("mon", "Monday").
    public init?(name: String) {
        let lower = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let day = Weekday.allCases.first(where: { $0.shortName == lower || $0.fullName == lower }) else {
            return nil
        }
        self = day
    }

    /// Converts from Foundation's `Calendar` numbering (Sunday = 1 ... Saturday = 7).
    public init?(calendarWeekday: Int) {
        guard (1...7).contains(calendarWeekday) else { return nil }
        self.init(rawValue: calendarWeekday == 1 ? 7 : calendarWeekday - 1)
    }

    /// Foundation's `Calendar` numbering (Sunday = 1 ... Saturday = 7), for `DateComponents.weekday`.
    public var calendarWeekday: Int { self == .sunday ? 1 : rawValue + 1 }

    /// The three-letter name used in config files, e.g. "mon".
    public var shortName: String { String(fullName.prefix(3)) }

    /// The full lowercase name, e.g. "monday".
    public var fullName: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    public var description: String { shortName }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The days of the week a slot runs on: `"daily"`, `"weekdays"`, `"weekends"` or a list
/// of day names such as `["mon", "thu"]`. Never empty.
public struct DaySet: Sendable, Hashable, CustomStringConvertible {
    /// The days included (at least one).
    public let days: Set<Weekday>

    /// Every day of the week.
    public static let daily = DaySet(validDays: Set(Weekday.allCases))
    /// Monday to Friday.
    public static let weekdays = DaySet(validDays: [.monday, .tuesday, .wednesday, .thursday, .friday])
    /// Saturday and Sunday.
    public static let weekends = DaySet(validDays: [.saturday, .sunday])

    /// Creates a set of days, or nil when `days` is empty.
    public init?(_ days: Set<Weekday>) {
        guard !days.isEmpty else { return nil }
        self.days = days
    }

    init(validDays days: Set<Weekday>) {
        self.days = days
    }

    /// Parses `"daily"`, `"weekdays"`, `"weekends"`, or a single day name such as `"mon"`.
    public init(parsing text: String) throws(ConfigValueError) {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch lower {
        case "daily": self = .daily
        case "weekdays": self = .weekdays
        case "weekends": self = .weekends
        default:
            if let day = Weekday(name: lower) {
                self.init(validDays: [day])
                return
            }
            let howTo = "write \"daily\", \"weekdays\", \"weekends\" or a list of days like [\"mon\", \"thu\"]"
            if lower.isEmpty {
                throw ConfigValueError("is empty; \(howTo)")
            }
            var message = "\(quoted(text)) is not a set of days; \(howTo)"
            if ["everyday", "every day", "all", "always"].contains(lower) {
                message += "; did you mean \"daily\"?"
            } else if let near = closestMatch(to: lower, among: ["daily", "weekdays", "weekends"]) {
                message += "; did you mean \"\(near)\"?"
            }
            throw ConfigValueError(message)
        }
    }

    /// Parses a list of day names such as `["mon", "thu"]` (three-letter or full names, any case).
    public init(parsingList names: [String]) throws(ConfigValueError) {
        guard !names.isEmpty else {
            throw ConfigValueError(
                "is an empty list, so it would never happen; list at least one day, e.g. [\"mon\"], or use enabled = false"
            )
        }
        var days = Set<Weekday>()
        for name in names {
            guard let day = Weekday(name: name) else {
                throw ConfigValueError(
                    "\(quoted(name)) is not a day of the week; use mon, tue, wed, thu, fri, sat or sun"
                )
            }
            days.insert(day)
        }
        self.init(validDays: days)
    }

    /// True when `day` is included.
    public func contains(_ day: Weekday) -> Bool { days.contains(day) }

    /// `"daily"`, `"weekdays"`, `"weekends"` or a list such as `["mon", "thu"]`.
    public var description: String {
        if self == .daily { return "daily" }
        if self == .weekdays { return "weekdays" }
        if self == .weekends { return "weekends" }
        return "[" + days.sorted().map { "\"\($0.shortName)\"" }.joined(separator: ", ") + "]"
    }
}
