import Foundation
import Testing

@testable import KindlingCore

@Suite struct ScheduleTests {
    static func utc(_ text: String) -> Date {
        Timestamp.parse(text)!
    }

    static func schedule(_ zone: String, _ config: Configuration = .defaults) -> Schedule {
        Schedule(configuration: config, timeZone: TimeZone(identifier: zone)!)
    }

    /// The journal's day form, written by hand, says what String(format:) said, padding included.
    @Test func aLocalDateReadsAsTheJournalStoresIt() {
        for (year, month, day) in [
            (2026, 12, 7), (1, 1, 1), (999, 10, 31), (9999, 12, 31), (0, 2, 29), (10_000, 1, 1), (-4, 3, 9),
        ] {
            let date = LocalDate(year: year, month: month, day: day)
            #expect(date.description == String(format: "%04d-%02d-%02d", year, month, day))
        }
        #expect(LocalDate(year: 2026, month: 3, day: 5).description == "2026-03-05")
    }

    @Test func anOrdinaryLocalTime() {
        let s = Self.schedule("Europe/Berlin")
        let at = s.instant(LocalDate(year: 2026, month: 11, day: 21), TimeOfDay(hour: 21, minute: 0)!)
        #expect(at == Self.utc("2026-11-21T20:00:00Z"))
    }

    @Test func aTimeInTheSpringForwardGapFallsAtTheEndOfTheGap() {
        // Berlin skips 02:00-03:00 on 2026-03-29: 02:30 does not exist.
        let s = Self.schedule("Europe/Berlin")
        let at = s.instant(LocalDate(year: 2026, month: 3, day: 29), TimeOfDay(hour: 2, minute: 30)!)
        #expect(at == Self.utc("2026-03-29T01:00:00Z"))  // 03:00 CEST
    }

    @Test func aRepeatedFallBackTimeFallsAtItsFirstOccurrence() {
        // Berlin repeats 02:00-03:00 on 2026-10-25: the first 02:30 is still CEST (+02:00).
        let s = Self.schedule("Europe/Berlin")
        let at = s.instant(LocalDate(year: 2026, month: 10, day: 25), TimeOfDay(hour: 2, minute: 30)!)
        #expect(at == Self.utc("2026-10-25T00:30:00Z"))
    }

    @Test func aHalfHourDaylightSavingShift() {
        // Lord Howe Island moves its clocks by 30 minutes: 02:00 -> 02:30 on 2026-10-04.
        let s = Self.schedule("Australia/Lord_Howe")
        let gap = s.instant(LocalDate(year: 2026, month: 10, day: 4), TimeOfDay(hour: 2, minute: 15)!)
        #expect(Timestamp.string(gap, in: s.timeZone) == "2026-10-04T02:30:00.000+11:00")
    }

    @Test func theDefaultPracticeHasEachDailySlotOncePerDay() {
        let s = Self.schedule("America/Chicago")
        let day = LocalDate(year: 2026, month: 11, day: 22)  // a Sunday
        let slots = s.occurrences(on: day).map(\.slot)
        #expect(slots.filter { $0 == "intention" }.count == 1)
        #expect(slots.filter { $0 == "nudge" }.count == 1)
        #expect(slots.filter { $0 == "reflection" }.count == 1)
        #expect(slots.filter { $0 == "review" }.count == 1)
        #expect(!slots.contains("break"), "breaks are off by default")
        let monday = s.occurrences(on: LocalDate(year: 2026, month: 11, day: 23)).map(\.slot)
        #expect(!monday.contains("review"))
    }

    @Test func theNudgeIsStableForTheDayAndInsideItsWindow() {
        let s = Self.schedule("Europe/Berlin")
        for offset in 0..<60 {
            let day = Schedule.date(fromDaysSinceEpoch: 20_000 + offset)
            let nudge = s.occurrences(on: day).first { $0.slot == "nudge" }!
            #expect(nudge.at == s.occurrences(on: day).first { $0.slot == "nudge" }!.at)
            #expect(nudge.at >= s.instant(day, TimeOfDay(hour: 10, minute: 0)!))
            #expect(nudge.at < s.instant(day, TimeOfDay(hour: 16, minute: 0)!))
        }
    }

    @Test func nextOccurrencesAreStrictlyLaterAndOrdered() {
        let s = Self.schedule("Europe/Berlin")
        let now = Self.utc("2026-11-21T20:00:00Z")  // exactly 21:00 local: reflection is not "after"
        let next = s.occurrences(after: now, count: 10)
        #expect(next.count == 10)
        #expect(next.first?.slot == "intention")
        #expect(zip(next, next.dropFirst()).allSatisfy { $0.at < $1.at })
        #expect(next.allSatisfy { $0.at > now })
    }

    @Test func nothingEnabledMeansNoOccurrences() {
        var config = Configuration.defaults
        config.intention.enabled = false
        config.nudge.enabled = false
        config.reflection.enabled = false
        config.review.enabled = false
        #expect(Self.schedule("UTC", config).occurrences(after: Date(), count: 3, horizonDays: 20).isEmpty)
    }

    @Test func civilDateArithmeticRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(Schedule.daysSinceEpoch(Schedule.date(fromDaysSinceEpoch: days)) == days)
        }
        #expect(Schedule.daysSinceEpoch(LocalDate(year: 1970, month: 1, day: 1)) == 0)
        #expect(Schedule.daysSinceEpoch(LocalDate(year: 2000, month: 3, day: 1)) == 11_017)
    }

    @Test func timestampsCarryTheOffsetAndMilliseconds() {
        let zone = TimeZone(identifier: "Asia/Kolkata")!
        #expect(Timestamp.string(Self.utc("2026-01-02T03:04:05.678Z"), in: zone) == "2026-01-02T08:34:05.678+05:30")
        #expect(
            Timestamp.string(Self.utc("2026-01-02T03:04:05Z"), in: TimeZone(identifier: "America/St_Johns")!)
                == "2026-01-01T23:34:05.000-03:30")
    }
}

extension ScheduleTests {
    @Test func aRangeHoldsExactlyTheOccurrencesBetweenItsEnds() {
        let s = Self.schedule("Europe/Berlin")
        let start = Self.utc("2026-03-27T00:00:00Z")
        let end = Self.utc("2026-04-03T00:00:00Z")
        let ranged = s.occurrences(after: start, through: end)
        let counted = s.occurrences(after: start, count: 200).filter { $0.at <= end }
        #expect(ranged == counted)
        #expect(ranged.count == 22)  // 7 days of three daily slots, and Sunday's review
        #expect(s.occurrences(after: end, through: start).isEmpty)
    }
}

extension ScheduleTests {
    /// A schedule keeps the days it worked out: what it answers again, on the way there and back
    /// over more days than it keeps, is what a schedule that never saw the day works out.
    @Test func aDayAskedAgainIsTheDayWorkedOutAfresh() {
        var config = Configuration.defaults
        config.breaks.enabled = true
        for zone in ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"] {
            let kept = Self.schedule(zone, config)
            let first = LocalDate(year: 2026, month: 3, day: 1)
            let days = (0..<80).map { first.adding(days: $0) }
            var differing: [String] = []
            for day in days + days.reversed() + days
            where kept.occurrences(on: day) != Self.schedule(zone, config).occurrences(on: day) {
                differing.append("\(zone) \(day)")
            }
            #expect(differing.count == 0, "\(differing.prefix(5))")
            #expect(kept.occurrences(on: first).count > 3, "the days hold something to compare")
        }
    }
}
