// Small value types used by the configuration: times of day, windows, sets of days,
// weekly times, durations and dates. Each one parses the text a person writes in
// config.toml and, when it cannot, says what is wrong in a single kind sentence.
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

// MARK: - Helpers shared by the configuration files

/// Parses a run of ASCII digits whose length is within `digits`; nil otherwise.
func asciiNumber(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
    guard digits.contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(text)
}

func twoDigits(_ n: Int) -> String {
    n < 10 ? "0\(n)" : String(n)
}

/// Quotes a value for an error message: escapes quotes, backslashes, control and
/// invisible formatting characters, and shortens long text, so the message stays on
/// one readable line whatever the file contained.
func quoted(_ text: String, limit: Int = 40) -> String {
    var out = "\""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        count += 1
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            out += isInvisible(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
        }
    }
    return out + "\""
}

/// Control characters, bidirectional overrides and other characters that would hide or
/// rearrange text on a terminal.
func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return true
    default:
        return false
    }
}

/// Levenshtein distance between two strings, by Unicode scalar, ignoring case.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    guard !word.isEmpty, word.unicodeScalars.count <= 64 else { return nil }
    let length = word.unicodeScalars.count
    let allowed = length <= 3 ? 1 : (length <= 6 ? 2 : 3)
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(word, candidate)
        if d <= allowed, d < candidate.unicodeScalars.count, best == nil || d < best!.1 {
            best = (candidate, d)
        }
    }
    return best?.0
}
