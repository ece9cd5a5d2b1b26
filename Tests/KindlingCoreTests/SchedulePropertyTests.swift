// Property-based tests of the occurrence maths (Schedule.swift): random configurations, zones and
// instants from 2019 to 2030, plus a deterministic walk over every DST transition of the zones below.
//
// Expected instants come from an oracle that is independent of Schedule: a table of each zone's
// offsets built from `TimeZone.nextDaylightSavingTimeTransition(after:)`, and wall-clock readings
// taken with Foundation's `Calendar` in the zone.
import Foundation
import PropertyBased
import Testing

@testable import KindlingCore

@Suite struct SchedulePropertyTests {
    // MARK: - Properties over random configurations, zones and instants

    @Test func randomConfigurationsZonesAndInstants() async {
        var observations = Observations()
        await propertyCheck(count: 2000, input: Self.scenarios) { scenario in
            Self.check(scenario, &observations)
        }
        observations.reportFailures()
    }

    // MARK: - Every DST transition, deterministically

    /// Walks every offset change of every zone from 2019 to 2030 and checks a daily slot at the
    /// local times just before, inside and after each gap or overlap, on the transition day.
    @Test func everyTransitionFrom2019To2030() {
        var observations = Observations()
        var walked: [String: Int] = [:]
        for table in ZoneTable.all {
            for transition in table.transitions where Civil.walkRange.contains(transition.at) {
                walked[table.identifier, default: 0] += 1
                Self.walk(transition, of: table, &observations)
            }
        }
        // Two transitions a year in each DST zone; Mexico City stopped in 2022, Volgograd changed its
        // standard offset once (2020), São Paulo's DST ended in February 2019.
        for zone in [
            "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Australia/Lord_Howe",
            "Pacific/Chatham",
        ] {
            #expect(walked[zone] == 24, "\(zone): \(walked[zone] ?? 0) transitions")
        }
        #expect(walked["America/Mexico_City"] == 8)
        #expect(walked["Europe/Volgograd"] == 1)
        #expect(walked["America/Sao_Paulo"] == 1)
        #expect(walked["Asia/Kolkata"] == nil)
        let total: Int = walked.values.reduce(0, +)
        #expect(total == 154)
        observations.reportFailures()
    }

    /// The oracle itself: the transition table reproduces Foundation's offsets everywhere in range.
    @Test func zoneTablesAgreeWithFoundation() {
        for table in ZoneTable.all {
            var mismatches = 0
            var u = Civil.tableRange.lowerBound
            while u < Civil.tableRange.upperBound {
                if table.offset(at: u) != table.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(u))) {
                    mismatches += 1
                }
                u += 10_007
            }
            for transition in table.transitions {
                for u in [transition.at - 1, transition.at, transition.at + 1]
                where table.offset(at: u) != table.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(u))) {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0, "\(table.identifier)")
        }
    }

    // MARK: - Two bugs these tests found, as minimal inputs

    /// Two configured times of one slot that both fall at the end of a spring-forward gap give one
    /// occurrence: deliveries are unique by (slot, scheduled_at) and the daemon must not fire twice.
    @Test func twoTimesOfASlotThatMeetAtTheEndOfAGapGiveOneOccurrence() {
        var config = Self.nothingEnabled
        config.intention.enabled = true
        config.intention.at = [TimeOfDay(hour: 2, minute: 30)!, TimeOfDay(hour: 3, minute: 0)!]
        let s = Schedule(configuration: config, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let day = LocalDate(year: 2026, month: 3, day: 29)  // 02:00-03:00 does not exist
        let gapEnd = Date(timeIntervalSince1970: 1_774_746_000)  // 2026-03-29T01:00:00Z, 03:00 CEST
        #expect(s.occurrences(on: day).map(\.at) == [gapEnd])
        let next = s.occurrences(after: gapEnd - 3600, count: 2)
        #expect(next.count == 2 && next[0] != next[1])
    }

    /// A nudge drawn into a spring-forward gap that ends where the window ends lands on the window's
    /// end, outside the window (and its validity, "until the window ends", then runs for a day).
    @Test func aNudgeDrawnIntoAGapAtTheEndOfItsWindowStaysInsideTheWindow() {
        var config = Self.nothingEnabled
        config.nudge.enabled = true
        config.nudge.window = TimeWindow("01:00-03:00")!
        let s = Schedule(configuration: config, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let day = LocalDate(year: 2020, month: 3, day: 29)  // 02:00-03:00 does not exist
        let opens = Date(timeIntervalSince1970: 1_585_440_000)  // 2020-03-29T00:00:00Z, 01:00 CET
        let closes = Date(timeIntervalSince1970: 1_585_443_600)  // 2020-03-29T01:00:00Z, 03:00 CEST
        let nudge = s.occurrences(on: day).first { $0.slot == "nudge" }!.at
        #expect(nudge >= opens && nudge < closes)
    }
}

// MARK: - Checks

extension SchedulePropertyTests {
    static var nothingEnabled: Configuration {
        var config = Configuration.defaults
        config.intention.enabled = false
        config.nudge.enabled = false
        config.reflection.enabled = false
        config.review.enabled = false
        config.breaks.enabled = false
        config.customs = []
        config.prompts = []
        return config
    }

    static func check(_ scenario: Scenario, _ observations: inout Observations) {
        let table = scenario.table
        let s = Schedule(configuration: scenario.configuration, timeZone: table.zone)
        var instant = scenario.instant
        let today = Civil.day(ofWall: table.wallReading(instant))
        if scenario.snapToOccurrence, let due = s.occurrences(on: today).first {
            instant = due.at  // an occurrence exactly at the instant is not "after" it
        }
        #expect(s.localDate(of: instant) == Civil.day(ofWall: table.wallReading(instant)))

        var days = Set((-1...1).map { Civil.adding($0, to: today) })
        if let anchor = scenario.anchor {
            let transitionDay = Civil.day(ofWall: anchor.at + anchor.before)
            days.formUnion((-1...1).map { Civil.adding($0, to: transitionDay) })
        }
        for day in days.sorted() {
            checkDay(day, s, table, &observations)
        }
        checkAfter(instant, count: scenario.count, s, table, &observations)
    }

    /// Every property of `occurrences(on:)` for one local day.
    static func checkDay(_ day: LocalDate, _ s: Schedule, _ table: ZoneTable, _ observations: inout Observations) {
        let c = s.configuration
        let found = s.occurrences(on: day)
        let context = "\(table.identifier) \(day)"

        // Pure and stable: the same list again, and from a fresh Schedule (a restart).
        #expect(found == s.occurrences(on: day), "\(context)")
        #expect(found == Schedule(configuration: c, timeZone: TimeZone(identifier: table.identifier)!).occurrences(on: day))
        // Sorted (instants may tie across slots: two slots may name the same time).
        #expect(zip(found, found.dropFirst()).allSatisfy { !Schedule.order($1, $0) }, "\(context): not sorted")
        #expect(found.allSatisfy { $0.day == day }, "\(context)")

        // The wall times each slot is due at that day.
        let weekday = Civil.weekday(of: day)
        var walls: [String: [Int]] = [:]
        func due(_ slot: String, _ times: [TimeOfDay]) {
            walls[slot, default: []] += times.map { Civil.wall(day, $0) }
        }
        if c.intention.enabled, c.intention.days.contains(weekday) { due("intention", c.intention.at) }
        if c.reflection.enabled, c.reflection.days.contains(weekday) { due("reflection", c.reflection.at) }
        if c.review.enabled, c.review.at.weekday == weekday { due("review", [c.review.at.time]) }
        if c.breaks.enabled, c.breaks.days.contains(weekday) {
            // As many as fit: one after each `every` from the start, the last no later than the end.
            let opens = Civil.wall(day, c.breaks.during.start)
            let fit = c.breaks.during.lengthInSeconds / c.breaks.every.seconds
            walls["break"] = fit > 0 ? (1...fit).map { opens + $0 * c.breaks.every.seconds } : []
        }
        for custom in c.customs where custom.enabled && custom.days.contains(weekday) { due(custom.name, custom.at) }

        let expectedSlots = Set(walls.keys).union(c.nudge.enabled ? ["nudge"] : [])
        #expect(Set(found.map(\.slot)).isSubset(of: expectedSlots), "\(context): a slot that is not due")

        for (slot, slotWalls) in walls {
            let actual = found.filter { $0.slot == slot }.map(\.at)
            let placements = slotWalls.map { table.placement(ofWall: $0) }
            let expected = Set(placements.map { Date(timeIntervalSince1970: Double($0.instant)) })
            // Every configured time is there, placed by the DST rules, and nothing else.
            #expect(Set(actual) == expected, "\(context) \(slot): \(actual) for walls \(slotWalls)")
            // One occurrence per configured time; times that meet at a gap's end may share one.
            #expect(actual.count == slotWalls.count || actual.count == expected.count, "\(context) \(slot)")
            if actual.count != Set(actual).count {
                observations.duplicates.append("\(context) \(slot) at \(Self.clockTimes(slotWalls)): \(actual)")
            }
            for (wall, placement) in zip(slotWalls, placements) {
                checkRules(Date(timeIntervalSince1970: Double(placement.instant)), wall: wall, table, "\(context) \(slot)")
            }
        }

        if c.nudge.enabled {
            let nudges = found.filter { $0.slot == "nudge" }
            #expect(nudges.count == 1, "\(context): \(nudges.count) nudges")
            if let nudge = nudges.first {
                checkNudge(nudge.at, day, s, table, &observations)
            }
        }
    }

    /// The nudge lies inside its window: at or after the instant it opens, before the instant it
    /// closes, and its wall-clock time is inside the window.
    static func checkNudge(_ at: Date, _ day: LocalDate, _ s: Schedule, _ table: ZoneTable, _ observations: inout Observations) {
        let window = s.configuration.nudge.window
        let opensWall = Civil.wall(day, window.start)
        let closesWall = opensWall + window.lengthInSeconds
        let opens = table.placement(ofWall: opensWall).instant
        let closes = table.placement(ofWall: closesWall).instant
        let u = Int(at.timeIntervalSince1970)
        let wall = table.wallReading(at)
        if u >= opens, u < closes, wall >= opensWall, wall < closesWall { return }
        // A window lying wholly inside a spring-forward gap does not exist that day: like any
        // time in a gap, its nudge comes at the first instant after the gap.
        if opens == closes, u == opens { return }
        if u == closes, table.transitions.contains(where: { $0.at == closes && $0.after > $0.before }) {
            // The bug this suite found: drawn inside a gap that ends at (or after) the window's end.
            observations.nudgesOutside.append("\(table.identifier) \(day) window \(window): \(at)")
            return
        }
        Issue.record("\(table.identifier) \(day): nudge \(at) outside its window \(window)")
    }

    /// `occurrences(after:count:)`: strictly after the instant, strictly ordered, and equal to the
    /// per-day occurrences from the day before the instant on, filtered to later instants.
    static func checkAfter(
        _ instant: Date, count: Int, _ s: Schedule, _ table: ZoneTable, _ observations: inout Observations
    ) {
        let result = s.occurrences(after: instant, count: count)
        let context = "\(table.identifier) after \(instant)"
        #expect(result.allSatisfy { $0.at > instant }, "\(context)")
        for (a, b) in zip(result, result.dropFirst()) where !Schedule.order(a, b) {
            if a.slot == b.slot, a.at == b.at {
                observations.duplicates.append("\(context): \(a.slot) twice at \(a.at)")
            } else {
                Issue.record("\(context): \(a) then \(b)")
            }
        }

        var day = Civil.adding(-1, to: Civil.day(ofWall: table.wallReading(instant)))
        var candidates: [Occurrence] = []
        var settled: [Occurrence] = []
        for _ in 0..<60 {
            candidates += s.occurrences(on: day).filter { $0.at > instant }
            day = Civil.adding(1, to: day)
            // Every later day's occurrences come at or after the start of `day`.
            let startOfDay = Date(timeIntervalSince1970: Double(table.placement(ofWall: Civil.wall(day, .midnight)).instant))
            settled = candidates.filter { $0.at < startOfDay }.sorted(by: Schedule.order)
            if settled.count >= count { break }
        }
        // (A sparse configuration may settle fewer than `count` in 60 days: those start the answer.)
        #expect(Array(result.prefix(settled.count)) == Array(settled.prefix(count)), "\(context), count \(count)")
        #expect(result.count == count || settled.count < count, "\(context), count \(count)")
    }

    /// The DST guarantee for an instant that a configured wall time `wall` was placed at.
    static func checkRules(_ at: Date, wall: Int, _ table: ZoneTable, _ context: String) {
        let placement = table.placement(ofWall: wall)
        let u = Int(at.timeIntervalSince1970)
        #expect(Double(u) == at.timeIntervalSince1970, "\(context): not a whole second")
        #expect(u == placement.instant, "\(context)")
        switch placement.kind {
        case .exists:
            // The wall clock shows exactly the configured time.
            #expect(table.wallReading(at) == wall, "\(context): \(at) for \(Civil.describe(wall))")
        case .repeated(let second):
            // The first of the two instants that show it.
            #expect(table.wallReading(at) == wall, "\(context): \(at) for \(Civil.describe(wall))")
            #expect(u < second && table.wallReading(Date(timeIntervalSince1970: Double(second))) == wall, "\(context)")
        case .skipped:
            // The first instant after the gap: the offset changes exactly there, and the clock jumps
            // from before the configured time to after it.
            let before = at - 1
            #expect(table.zone.secondsFromGMT(for: before) != table.zone.secondsFromGMT(for: at), "\(context)")
            #expect(table.wallReading(before) < wall && wall < table.wallReading(at), "\(context)")
        }
    }

    /// One transition: a daily slot at each probe time, a nudge window and breaks across it.
    static func walk(_ t: ZoneTable.Transition, of table: ZoneTable, _ observations: inout Observations) {
        let low = t.at + min(t.before, t.after)  // where the gap or overlap begins, as a wall time
        let high = t.at + max(t.before, t.after)  // where it ends
        let probes = [low - 3600, low - 1, low, low + 1, (low + high) / 2, high - 1, high, high + 1, high + 3600]
        var config = nothingEnabled
        config.customs = probes.enumerated().map { index, wall in
            CustomSlot(name: "p\(index)", at: [TimeOfDay(secondsSinceMidnight: wall)], text: "probe")
        }
        config.nudge.enabled = true
        config.nudge.window = TimeWindow(
            start: TimeOfDay(secondsSinceMidnight: low - 5400), end: TimeOfDay(secondsSinceMidnight: high + 5400))!
        config.breaks.enabled = true
        config.breaks.every = .minutes(10)
        config.breaks.during = config.nudge.window
        config.breaks.days = .daily
        let s = Schedule(configuration: config, timeZone: table.zone)
        let context = "\(table.identifier) \(Date(timeIntervalSince1970: Double(t.at))) \(t.before)->\(t.after)"

        #expect(table.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.at - 1))) == t.before)
        #expect(table.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.at))) == t.after)
        for (index, wall) in probes.enumerated() {
            // Stated directly: before the change the old offset applies; a skipped time is the
            // transition itself; a repeated time is its first instant (the old offset).
            let expected: Int
            if t.after > t.before {
                expected = wall < low ? wall - t.before : (wall < high ? t.at : wall - t.after)
            } else {
                expected = wall < high ? wall - t.before : wall - t.after
            }
            let day = Civil.day(ofWall: wall)
            let found = s.occurrences(on: day).filter { $0.slot == "p\(index)" }.map(\.at)
            #expect(found == [Date(timeIntervalSince1970: Double(expected))], "\(context) probe \(Civil.describe(wall))")
            checkRules(Date(timeIntervalSince1970: Double(expected)), wall: wall, table, "\(context) probe")
        }
        let openingDay = Civil.day(ofWall: low - 5400)
        for offset in -1...1 {
            checkDay(Civil.adding(offset, to: openingDay), s, table, &observations)
        }
        for start in [t.at - 7200, t.at - 1, t.at, t.at + 1] {
            checkAfter(Date(timeIntervalSince1970: Double(start)), count: 12, s, table, &observations)
        }
    }

    static func clockTimes(_ walls: [Int]) -> String {
        "[" + walls.map { TimeOfDay(secondsSinceMidnight: $0).description }.joined(separator: ", ") + "]"
    }
}

extension SchedulePropertyTests {
    // MARK: - Observations of the two bugs this suite found

    /// Cases of the two fixed bugs met by the random and walking tests, collected with an example
    /// each and reported as failures.
    struct Observations {
        /// The same slot twice at the same instant (configured times that meet at a gap's end).
        var duplicates: [String] = []
        /// A nudge at its window's end because its time fell in a gap that ends there.
        var nudgesOutside: [String] = []

        func reportFailures() {
            if let first = duplicates.first {
                Issue.record("the same slot twice at one instant: \(duplicates.count) cases, e.g. \(first)")
            }
            if let first = nudgesOutside.first {
                Issue.record("a nudge at the end of its window: \(nudgesOutside.count) cases, e.g. \(first)")
            }
        }
    }

    // MARK: - The oracle: each zone's offsets as a table of transitions

    struct ZoneTable: Sendable {
        struct Transition: Sendable, Hashable {
            /// The first second with the new offset (Unix time).
            let at: Int
            /// The offset before and from `at`, in seconds east of UTC.
            let before: Int
            let after: Int
        }

        /// Where a wall time falls: once, twice (fall back) or never (spring forward).
        struct Placement {
            enum Kind {
                case exists
                case repeated(second: Int)
                case skipped
            }
            /// Where Kindling must place it: the instant, the first of two, or the end of the gap.
            let instant: Int
            let kind: Kind
        }

        static let identifiers = [
            "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Australia/Lord_Howe",
            "Pacific/Chatham", "America/Mexico_City", "Europe/Volgograd", "America/Sao_Paulo", "Asia/Kolkata",
        ]
        static let all = identifiers.map(ZoneTable.init)

        let identifier: String
        let zone: TimeZone
        let calendar: Calendar
        /// The offset in force when the table starts.
        let initialOffset: Int
        /// Every offset change in ``Civil/tableRange``, in order.
        let transitions: [Transition]

        init(_ identifier: String) {
            self.identifier = identifier
            zone = TimeZone(identifier: identifier)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            self.calendar = calendar
            let start = Date(timeIntervalSince1970: Double(Civil.tableRange.lowerBound))
            initialOffset = zone.secondsFromGMT(for: start)
            var list: [Transition] = []
            var cursor = start
            while let next = zone.nextDaylightSavingTimeTransition(after: cursor),
                next.timeIntervalSince1970 < Double(Civil.tableRange.upperBound)
            {
                list.append(
                    Transition(
                        at: Int(next.timeIntervalSince1970.rounded()), before: zone.secondsFromGMT(for: next - 1),
                        after: zone.secondsFromGMT(for: next)))
                cursor = next
            }
            transitions = list
        }

        func offset(at u: Int) -> Int {
            var low = 0
            var high = transitions.count
            while low < high {
                let middle = (low + high) / 2
                if transitions[middle].at <= u { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? initialOffset : transitions[low - 1].after
        }

        /// Where the wall time `wall` (seconds on the UTC calendar) falls in this zone.
        func placement(ofWall wall: Int) -> Placement {
            let nearby = transitions.filter { abs($0.at - wall) < 2 * 86_400 }
            var offsets: Set<Int> = [offset(at: wall)]
            for t in nearby {
                offsets.insert(t.before)
                offsets.insert(t.after)
            }
            let fits = offsets.map { wall - $0 }.filter { offset(at: $0) == wall - $0 }.sorted()
            if fits.count == 1 { return Placement(instant: fits[0], kind: .exists) }
            if fits.count == 2 { return Placement(instant: fits[0], kind: .repeated(second: fits[1])) }
            precondition(fits.isEmpty, "\(identifier): \(Civil.describe(wall)) shows three times")
            let gap = nearby.first { $0.after > $0.before && $0.at + $0.before <= wall && wall < $0.at + $0.after }
            return Placement(instant: gap!.at, kind: .skipped)
        }

        /// The wall clock reading of `instant` in this zone, read with Foundation's Calendar.
        func wallReading(_ instant: Date) -> Int {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            return Civil.wall(
                LocalDate(year: c.year!, month: c.month!, day: c.day!),
                TimeOfDay(hour: c.hour!, minute: c.minute!, second: c.second!)!)
        }
    }

    /// Calendar arithmetic on the UTC calendar, independent of Schedule's own.
    enum Civil {
        static let utc: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar
        }()
        /// 2018-07-01 ..< 2031-07-01: the oracle's range.
        static let tableRange = 1_530_403_200..<1_940_716_800
        /// 2019-01-01 ..< 2031-01-01: random instants and the walked transitions.
        static let walkRange = 1_546_300_800..<1_924_992_000
        static let instants =
            Date(timeIntervalSince1970: Double(walkRange.lowerBound))..<Date(timeIntervalSince1970: Double(walkRange.upperBound))

        /// A local date and time as seconds on the UTC calendar ("wall seconds").
        static func wall(_ day: LocalDate, _ time: TimeOfDay) -> Int {
            let midnight = utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
            return Int(midnight.timeIntervalSince1970) + time.secondsSinceMidnight
        }

        static func day(ofWall wall: Int) -> LocalDate {
            let c = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(wall)))
            return LocalDate(year: c.year!, month: c.month!, day: c.day!)
        }

        static func adding(_ days: Int, to day: LocalDate) -> LocalDate {
            self.day(ofWall: wall(day, .midnight) + days * 86_400)
        }

        static func weekday(of day: LocalDate) -> Weekday {
            let noon = Date(timeIntervalSince1970: Double(wall(day, .midnight) + 43_200))
            return Weekday(calendarWeekday: utc.component(.weekday, from: noon))!
        }

        static func describe(_ wall: Int) -> String {
            "\(day(ofWall: wall)) \(TimeOfDay(secondsSinceMidnight: wall))"
        }
    }

    /// A configured time: a clock time, or a time near the edges of a DST transition of the zone.
    enum TimeSpec: Sendable {
        case clock(Int)
        case nearTransition(end: Bool, delta: Int)

        func resolve(_ anchor: ZoneTable.Transition?) -> TimeOfDay {
            switch self {
            case .clock(let seconds):
                return TimeOfDay(secondsSinceMidnight: seconds)
            case .nearTransition(let end, let delta):
                guard let t = anchor else { return TimeOfDay(secondsSinceMidnight: 9000 + delta) }
                let edge = end ? t.at + max(t.before, t.after) : t.at + min(t.before, t.after)
                return TimeOfDay(secondsSinceMidnight: edge + delta)
            }
        }
    }

    struct SlotDraw: Sendable {
        var enabled: Bool
        var times: [TimeSpec]
        var days: DaySet
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var table: ZoneTable
        /// The transition that times and the instant were drawn near, if the zone has one.
        var anchor: ZoneTable.Transition?
        var configuration: Configuration
        var instant: Date
        var snapToOccurrence: Bool
        var count: Int

        var testDescription: String {
            let c = configuration
            func onOff(_ enabled: Bool) -> String { enabled ? "" : " (off)" }
            var lines = [
                "zone \(table.identifier), after \(instant) (\(instant.timeIntervalSince1970))"
                    + (snapToOccurrence ? " snapped to the day's first occurrence" : "") + ", count \(count)",
                "intention\(onOff(c.intention.enabled)) at \(c.intention.at) days \(c.intention.days)",
                "nudge\(onOff(c.nudge.enabled)) window \(c.nudge.window)",
                "reflection\(onOff(c.reflection.enabled)) at \(c.reflection.at) days \(c.reflection.days)",
                "review\(onOff(c.review.enabled)) at \(c.review.at)",
                "break\(onOff(c.breaks.enabled)) every \(c.breaks.every) during \(c.breaks.during) days \(c.breaks.days)",
            ]
            lines += c.customs.map { "\($0.name)\(onOff($0.enabled)) at \($0.at) days \($0.days)" }
            return lines.joined(separator: "; ")
        }
    }
}

// MARK: - Generators

extension SchedulePropertyTests {
    static let specialTimes = [
        0, 1, 86_399, 9_000, 5_400, 7_200, 10_800, 43_200, 1_800, 84_600, 9_900, 13_500, 3_600, 82_800, 86_340,
    ]
    static let deltas = [-3_600, -1_800, -61, -60, -1, 0, 1, 59, 60, 900, 1_800, 3_599]

    static var timeSpec: Generator<TimeSpec, some SendableSequenceType> {
        zip(
            Gen.int(in: 0...9), Gen.int(in: 0...86_399), Gen<Int?>.element(of: specialTimes), Gen.bool,
            Gen<Int?>.element(of: deltas), Gen.int(in: -5_400...5_400)
        ).map { draw in
            switch draw.0 {
            case 0...2: .clock(draw.1)
            case 3...4: .clock(draw.2!)
            case 5...7: .nearTransition(end: draw.3, delta: draw.4!)
            default: .nearTransition(end: draw.3, delta: draw.5)
            }
        }
    }

    static var daySet: Generator<DaySet, some SendableSequenceType> {
        zip(Gen.int(in: 0...5), Gen.int(in: 1...127)).map { draw in
            switch draw.0 {
            case 0: .daily
            case 1: .weekdays
            case 2: .weekends
            default: DaySet(Set(Weekday.allCases.filter { draw.1 & (1 << ($0.rawValue - 1)) != 0 }))!
            }
        }
    }

    static var slot: Generator<SlotDraw, some SendableSequenceType> {
        zip(Gen.bool(0.85), timeSpec.array(of: 1...4), daySet).map {
            SlotDraw(enabled: $0.0, times: $0.1, days: $0.2)
        }
    }

    /// The zone, the transition to draw near, how to pick the instant, and how many to ask for.
    static var world: Generator<(Int, Int, Int, Int, Date, Int), some SendableSequenceType> {
        zip(
            Gen.int(in: 0..<ZoneTable.identifiers.count), Gen.int(in: 0...10_000), Gen.int(in: 0...9),
            Gen.int(in: -129_600...129_600), Gen.dateTime(in: Civil.instants), Gen.int(in: 1...30))
    }

    static var nudgeDraw: Generator<(Bool, TimeSpec, TimeSpec), some SendableSequenceType> {
        zip(Gen.bool(0.9), timeSpec, timeSpec)
    }
    static var reviewDraw: Generator<(Bool, Int, TimeSpec), some SendableSequenceType> {
        zip(Gen.bool(0.85), Gen.int(in: 1...7), timeSpec)
    }
    static var breakDraw: Generator<(Bool, TimeSpec, TimeSpec, Int, Int, DaySet), some SendableSequenceType> {
        zip(Gen.bool(0.6), timeSpec, timeSpec, Gen.int(in: 1...30), Gen.int(in: 0...3), daySet)
    }

    static var scenarios: Generator<Scenario, some SendableSequenceType> {
        zip(
            world, slot, slot, nudgeDraw, reviewDraw, breakDraw, slot.array(of: 0...3)
        ).map { draw in
            makeScenario(
                world: draw.0, intention: draw.1, reflection: draw.2, nudge: draw.3, review: draw.4, breaks: draw.5,
                customs: draw.6)
        }
    }

    static func makeScenario(
        world: (Int, Int, Int, Int, Date, Int), intention: SlotDraw, reflection: SlotDraw,
        nudge: (Bool, TimeSpec, TimeSpec), review: (Bool, Int, TimeSpec),
        breaks: (Bool, TimeSpec, TimeSpec, Int, Int, DaySet), customs: [SlotDraw]
    ) -> Scenario {
        let table = ZoneTable.all[world.0]
        let inRange = table.transitions.filter { Civil.walkRange.contains($0.at) }
        let anchor = inRange.isEmpty ? nil : inRange[world.1 % inRange.count]
        func times(_ specs: [TimeSpec]) -> [TimeOfDay] { Set(specs.map { $0.resolve(anchor) }).sorted() }
        func window(_ start: TimeSpec, _ end: TimeSpec) -> TimeWindow {
            let opens = start.resolve(anchor)
            let closes = end.resolve(anchor)
            return TimeWindow(start: opens, end: closes)
                ?? TimeWindow(start: opens, end: TimeOfDay(secondsSinceMidnight: closes.secondsSinceMidnight + 1))!
        }

        var c = SchedulePropertyTests.nothingEnabled
        c.intention.enabled = intention.enabled
        c.intention.at = times(intention.times)
        c.intention.days = intention.days
        c.reflection.enabled = reflection.enabled
        c.reflection.at = times(reflection.times)
        c.reflection.days = reflection.days
        c.nudge.enabled = nudge.0
        c.nudge.window = window(nudge.1, nudge.2)
        c.review.enabled = review.0
        c.review.at = WeeklyTime(weekday: Weekday(rawValue: review.1)!, time: review.2.resolve(anchor))
        c.breaks.during = window(breaks.1, breaks.2)
        let length = c.breaks.during.lengthInSeconds
        // `every` is shorter than the window (the loader insists); at most 30 or so breaks a day.
        let round = [600, 1_800, 3_000, 5_400][breaks.4]
        let every = length / round <= 30 ? round : length / breaks.3
        c.breaks.enabled = breaks.0 && length >= 2
        c.breaks.every = ConfigDuration(seconds: max(1, min(every, length - 1)))!
        c.breaks.days = breaks.5
        c.customs = customs.enumerated().map { index, draw in
            CustomSlot(name: "custom-\(index)", at: times(draw.times), days: draw.days, text: "t", enabled: draw.enabled)
        }

        let instant: Date
        switch (world.2, anchor) {
        case (4...7, let t?): instant = Date(timeIntervalSince1970: Double(t.at + world.3))
        case (8, let t?): instant = Date(timeIntervalSince1970: Double(t.at) - 0.5)
        default: instant = world.4
        }
        return Scenario(
            table: table, anchor: anchor, configuration: c, instant: instant, snapToOccurrence: world.2 == 9,
            count: world.5)
    }
}
