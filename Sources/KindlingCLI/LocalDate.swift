/// A calendar date as the daemon sends it (`YYYY-MM-DD`, already in the person's zone), with
/// the day arithmetic the screens need (a week's rows, a month's grid, `--until` the day
/// before). No time zone is involved.
///
/// KindlingCore has the model's own LocalDate; the thin CLI may not import it (DESIGN.md: the
/// CLI imports KindlingControl only), so this is a second, smaller one, and
/// `LocalDateAgreementTests` holds the two to the same answers.
struct LocalDate: Hashable, Comparable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` when it names a real date (not 2026-02-30); nil otherwise.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...Self.length(ofMonth: month, in: year)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    init(daysSinceEpoch days: Int) {
        // Count in whole 400-year cycles (146,097 days each, the calendar's full period) from
        // 2000-03-01, a cycle's first day, so that each year runs March to February and its
        // leap day, when it has one, comes last.
        let sinceMarch2000 = days - 11_017
        let cycle = (sinceMarch2000 >= 0 ? sinceMarch2000 : sinceMarch2000 - 146_096) / 146_097
        let dayOfCycle = sinceMarch2000 - cycle * 146_097
        let yearOfCycle = (dayOfCycle - dayOfCycle / 1_460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365
        let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = 2000 + cycle * 400 + yearOfCycle + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (negative before it).
    var daysSinceEpoch: Int {
        let marchYear = month <= 2 ? year - 1 : year
        let fromCycle = marchYear - 2000
        let cycle = (fromCycle >= 0 ? fromCycle : fromCycle - 399) / 400
        let yearOfCycle = fromCycle - cycle * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfCycle = yearOfCycle * 365 + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear
        return cycle * 146_097 + dayOfCycle + 11_017
    }

    /// The date `count` days later (earlier when negative).
    func adding(days count: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + count) }

    /// Its day of the week (1970-01-01 was a Thursday).
    var weekday: Weekday { Weekday(rawValue: ((daysSinceEpoch + 3) % 7 + 7) % 7 + 1) ?? .monday }

    var description: String {
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        return digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
    }

    static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func length(ofMonth month: Int, in year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A day of the week, numbered as ISO 8601 does: Monday = 1 ... Sunday = 7.
enum Weekday: Int, CaseIterable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// "monday".
    var fullName: String {
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

    /// "mon".
    var shortName: String { String(fullName.prefix(3)) }
}
