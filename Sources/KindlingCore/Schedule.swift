import Foundation

/// A calendar date in the person's zone, without a time.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`, the form the journal stores.
    public var description: String {
        // Digits by hand for every date a journal can hold (String(format:) was a few percent of
        // a fired prompt's CPU); anything else is printed as before.
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            return String(format: "%04d-%02d-%02d", year, month, day)
        }
        let zero = UInt8(ascii: "0")
        let bytes: [UInt8] = [
            zero + UInt8(year / 1000), zero + UInt8(year / 100 % 10), zero + UInt8(year / 10 % 10), zero + UInt8(year % 10),
            UInt8(ascii: "-"), zero + UInt8(month / 10), zero + UInt8(month % 10),
            UInt8(ascii: "-"), zero + UInt8(day / 10), zero + UInt8(day % 10),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// One time a slot is due.
public struct Occurrence: Sendable, Hashable {
    /// The slot's name (`intention`, `nudge`, ..., or a custom name).
    public var slot: String
    /// The instant it is due.
    public var at: Date
    /// The local day it belongs to (a nudge window that crosses midnight still belongs
    /// to the day it opened on).
    public var day: LocalDate

    public init(slot: String, at: Date, day: LocalDate) {
        self.slot = slot
        self.at = at
        self.day = day
    }
}

/// Occurrence maths: pure functions of (configuration, time zone, instant).
///
/// Daylight saving guarantee: a local time that does not exist (the spring-forward gap)
/// falls at the first instant after the gap; a local time that happens twice (fall back)
/// falls once, at its first occurrence.
public struct Schedule: Sendable {
    public let configuration: Configuration
    public let timeZone: TimeZone
    /// The busy events of the person's calendar (see Schedule+Calendar.swift).
    public let busy: BusyCalendar
    private let calendar: Calendar
    /// Days already worked out. Each tick asks for the same two or three days several times
    /// (the plan, the instant readied ahead, the status line), and the answer depends only on
    /// what this value holds, so copies may share it.
    private let days = DayMemo()

    /// - Parameter busy: the calendar's busy periods, as read (any order, overlaps allowed).
    public init(configuration: Configuration, timeZone: TimeZone, busy: [BusyPeriod] = []) {
        self.configuration = configuration
        self.timeZone = timeZone
        self.busy = BusyCalendar(busy, minGap: TimeInterval(configuration.breaks.minGap.seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    // MARK: - Queries

    /// The next `count` occurrences strictly after `instant`, in order. Looks ahead at
    /// most `horizonDays` local days (a configuration may schedule nothing at all).
    public func occurrences(after instant: Date, count: Int, horizonDays: Int = 400) -> [Occurrence] {
        guard count > 0 else { return [] }
        var result: [Occurrence] = []
        // Start a day early: a window that opened yesterday may still have something due.
        var day = localDate(of: instant).adding(days: -1)
        for _ in 0...horizonDays {
            let due = occurrences(on: day).filter { $0.at > instant }
            result.append(contentsOf: due)
            if result.count >= count, let last = result.sorted(by: Self.order).dropFirst(count - 1).first,
                startOfDay(day.adding(days: 1)) > last.at
            {
                break
            }
            day = day.adding(days: 1)
        }
        // Two days can also meet at one instant (a window across midnight ending in a gap).
        return Array(Self.distinct(result.sorted(by: Self.order)).prefix(count))
    }

    /// Every occurrence in `(start, end]`, in order: the days between, and no further (a
    /// long downtime costs one pass over its days, not a look far ahead).
    public func occurrences(after start: Date, through end: Date) -> [Occurrence] {
        guard end > start else { return [] }
        var result: [Occurrence] = []
        var day = localDate(of: start).adding(days: -1)
        let last = localDate(of: end).adding(days: 1)
        while day <= last {
            result += occurrences(on: day).filter { $0.at > start && $0.at <= end }
            day = day.adding(days: 1)
        }
        return Self.distinct(result.sorted(by: Self.order))
    }

    /// Every occurrence that belongs to the local day `day`, in order.
    public func occurrences(on day: LocalDate) -> [Occurrence] {
        if let known = days.occurrences(on: day) { return known }
        let found = workOutOccurrences(on: day)
        days.keep(found, for: day)
        return found
    }

    private func workOutOccurrences(on day: LocalDate) -> [Occurrence] {
        let weekday = day.weekday
        var found: [Occurrence] = []
        func add(_ slot: String, _ time: TimeOfDay) {
            found.append(Occurrence(slot: slot, at: instant(day, time), day: day))
        }
        let c = configuration
        if c.intention.enabled, c.intention.days.contains(weekday) {
            for time in c.intention.at { add("intention", time) }
        }
        if c.nudge.enabled {
            // Drawn in clock time, so the nudge reads as a time inside its window. When a
            // spring-forward gap carries that time to (or past) the window's end, the same draw
            // is laid over the window's real length instead.
            let window = c.nudge.window
            let offset = Self.stableOffset(day: day, slot: "nudge", range: max(1, window.lengthInSeconds))
            let seconds = window.start.secondsSinceMidnight + offset
            var at = instant(seconds >= 86_400 ? day.adding(days: 1) : day, TimeOfDay(secondsSinceMidnight: seconds % 86_400))
            let opens = instant(day, window.start)
            let closes = instant(window.crossesMidnight ? day.adding(days: 1) : day, window.end)
            if at >= closes || at < opens {
                let span = Int(closes.timeIntervalSince(opens))
                at = span > 0 ? opens.addingTimeInterval(TimeInterval(offset % span)) : opens
            }
            found.append(Occurrence(slot: "nudge", at: at, day: day))
        }
        if c.reflection.enabled, c.reflection.days.contains(weekday) {
            for time in c.reflection.at { add("reflection", time) }
        }
        if c.review.enabled, c.review.at.weekday == weekday {
            add("review", c.review.at.time)
        }
        if c.breaks.enabled, c.breaks.days.contains(weekday) {
            let window = c.breaks.during
            let step = c.breaks.every.seconds
            var elapsed = step
            // A break after each `every` of work, the last one no later than the window's end;
            // none inside a busy event (a break after it comes instead, with after_events).
            while elapsed <= window.lengthInSeconds {
                let seconds = window.start.secondsSinceMidnight + elapsed
                let target = seconds >= 86_400 ? day.adding(days: 1) : day
                let at = instant(target, TimeOfDay(secondsSinceMidnight: seconds % 86_400))
                if !busy.isBusy(at) { found.append(Occurrence(slot: "break", at: at, day: day)) }
                elapsed += step
            }
        }
        if c.breaks.afterEvents {
            for end in busy.blockEnds(from: startOfDay(day), to: startOfDay(day.adding(days: 1))) {
                found.append(Occurrence(slot: "break", at: end, day: day))
            }
        }
        for custom in c.customs where custom.enabled && custom.days.contains(weekday) {
            for time in custom.at { add(custom.name, time) }
        }
        return Self.distinct(found.sorted(by: Self.order))
    }

    /// Drops repeats of one slot at one instant (they are adjacent once sorted): two times
    /// of a slot can meet at the end of a spring-forward gap, and fire once there.
    static func distinct(_ sorted: [Occurrence]) -> [Occurrence] {
        var out: [Occurrence] = []
        out.reserveCapacity(sorted.count)
        for occurrence in sorted where out.last.map({ $0.slot != occurrence.slot || $0.at != occurrence.at }) ?? true {
            out.append(occurrence)
        }
        return out
    }

    /// How a slot is named to a person ("evening reflection at 21:00").
    public static func displayName(of slot: String) -> String {
        switch slot {
        case "intention": "morning intention"
        case "nudge": "mindful-action nudge"
        case "reflection": "evening reflection"
        case "review": "weekly review"
        case "break": "breathing-space break"
        default: slot
        }
    }

    // MARK: - Local time

    /// The local date of `instant`.
    public func localDate(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// The instant at which local `day` reaches `time`, with the DST guarantee above.
    public func instant(_ day: LocalDate, _ time: TimeOfDay) -> Date {
        let wall = Double(Self.daysSinceEpoch(day) * 86_400 + time.secondsSinceMidnight)
        // An instant u shows wall time `wall` when u + offset(u) == wall. Try the offsets in
        // force a day either side; every offset that fits is a real occurrence, and the
        // largest offset that fits gives the first. (Written without collections: the
        // planner asks this for every slot of every day it looks at.)
        let zone = timeZone
        func offset(_ t: Double) -> Double { Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))) }
        let before = offset(wall - 86_400)
        let middle = offset(wall)
        let after = offset(wall + 86_400)
        var earliest: Double?
        func consider(_ candidate: Double) {
            if offset(wall - candidate) == candidate { earliest = min(earliest ?? .infinity, wall - candidate) }
        }
        consider(middle)
        if before != middle { consider(before) }
        if after != middle, after != before { consider(after) }
        if let earliest { return Date(timeIntervalSince1970: earliest) }
        // In a gap: the first instant after it is the transition itself. Between the two
        // candidate instants the offset changes exactly once; find where by bisection.
        var low = wall - max(before, middle, after)  // before the transition
        var high = wall - min(before, middle, after)  // at or after it
        let first = offset(low)
        while high - low > 1 {
            let half = ((low + high) / 2).rounded(.down)
            if offset(half) == first { low = half } else { high = half }
        }
        return Date(timeIntervalSince1970: high)
    }

    func startOfDay(_ day: LocalDate) -> Date { instant(day, .midnight) }

    // MARK: - Calendar arithmetic (proleptic Gregorian, no time zone involved)

    static func daysSinceEpoch(_ d: LocalDate) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func date(fromDaysSinceEpoch days: Int) -> LocalDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return LocalDate(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// A pseudo-random offset in 0..<range that depends only on the day and slot, so a
    /// restart does not move the day's nudge (FNV-1a over "YYYY-MM-DD/slot").
    static func stableOffset(day: LocalDate, slot: String, range: Int) -> Int {
        Int(StableHash.fnv1a64("\(day)/\(slot)") % UInt64(range))
    }

    static func order(_ a: Occurrence, _ b: Occurrence) -> Bool {
        a.at == b.at ? a.slot < b.slot : a.at < b.at
    }
}

/// The occurrences of the last days a ``Schedule`` worked out (a few dozen days at most).
private final class DayMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [LocalDate: [Occurrence]] = [:]
    private static let limit = 32

    func occurrences(on day: LocalDate) -> [Occurrence]? {
        lock.withLock { known[day] }
    }

    func keep(_ occurrences: [Occurrence], for day: LocalDate) {
        lock.withLock {
            // A long catch-up or look ahead walks many days once: start afresh rather than grow.
            if known.count >= Self.limit { known.removeAll(keepingCapacity: true) }
            known[day] = occurrences
        }
    }
}
