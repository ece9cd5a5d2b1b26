// `[calendar]` and `[break] after_events` in the configuration, and the busy-period maths the
// schedule and the planner rely on (the reader's own tests feed them real calendars).
import Foundation
import PropertyBased
import Testing

@testable import KindlingCore

@Suite struct CalendarScheduleTests {
    @Test func theCalendarKeysAreReadAndDefaultToNoCalendar() throws {
        #expect(Configuration.defaults.calendar.path == nil)
        #expect(Configuration.defaults.calendar.hold)
        #expect(!Configuration.defaults.breaks.afterEvents)
        #expect(Configuration.defaults.breaks.minGap == .minutes(5))
        let config = try Configuration.parse(
            "[calendar]\npath = \"~/sessions.ics\"\nhold = false\n[break]\nafter_events = true\nmin_gap = \"10m\"\n",
            file: "config.toml")
        #expect(config.calendar.path == "~/sessions.ics")
        #expect(!config.calendar.hold)
        #expect(config.breaks.afterEvents)
        #expect(config.breaks.minGap == .minutes(10))
        #expect(try Configuration.parse("[calendar]\npath = \"  \"\n", file: "c").calendar.path == nil)
    }

    @Test func theCallKeysAreReadAndABadIgnoreListIsNamed() throws {
        #expect(Configuration.defaults.calls.hold)
        #expect(Configuration.defaults.calls.ignore == ["pavucontrol", "easyeffects"])
        let config = try Configuration.parse("[calls]\nhold = false\nignore = [\"obs\", \"zoom\"]\n", file: "c")
        #expect(!config.calls.hold && config.calls.ignore == ["obs", "zoom"])
        #expect(try Configuration.parse("[calls]\nignore = []\n", file: "c").calls.ignore.isEmpty)
        for bad in ["ignore = \"zoom\"", "ignore = [\"zoom\", 3]", "ignre = []"] {
            let problems = Configuration.diagnose("[calls]\n\(bad)\n", file: "config.toml")
            #expect(problems.count == 1, "\(bad): \(problems)")
            #expect(problems.first.map { "\($0)" }?.contains("config.toml:2") == true, "\(bad): \(problems)")
        }
    }

    static func period(_ start: Double, _ end: Double) -> BusyPeriod {
        BusyPeriod(start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: end))
    }

    @Test func mergingJoinsOverlapsTouchesAndShortGapsOnly() {
        let periods = [Self.period(0, 10), Self.period(5, 8), Self.period(10, 20), Self.period(22, 30), Self.period(40, 50)]
        #expect(BusyPeriod.merged(periods) == [Self.period(0, 20), Self.period(22, 30), Self.period(40, 50)])
        #expect(BusyPeriod.merged(periods, closerThan: 5) == [Self.period(0, 30), Self.period(40, 50)])
        #expect(BusyPeriod.merged([Self.period(5, 5), Self.period(9, 3)]).isEmpty, "empty periods are dropped")
    }

    @Test func heldEndIsTheEndOfTheRunAnInstantFallsIn() {
        let calendar = BusyCalendar([Self.period(0, 10), Self.period(10, 20), Self.period(30, 40)], minGap: 300)
        #expect(calendar.heldEnd(at: Date(timeIntervalSince1970: 5)) == Date(timeIntervalSince1970: 20))
        #expect(calendar.heldEnd(at: Date(timeIntervalSince1970: 20)) == nil, "the end itself is free")
        #expect(calendar.heldEnd(at: Date(timeIntervalSince1970: 25)) == nil)
        #expect(calendar.heldEnd(at: Date(timeIntervalSince1970: 30)) == Date(timeIntervalSince1970: 40))
        #expect(calendar.blocks == [Self.period(0, 40)])
    }

    /// Against a plain scan: heldEnd agrees with "the merged period containing the instant".
    @Test func heldEndAgreesWithAScanOverRandomCalendars() async {
        await propertyCheck(input: zip(Gen.int(in: 0...40).array(of: 1...30), Gen.int(in: 0...500))) { draw in
            let (starts, probe) = draw
            let periods = starts.enumerated().map {
                Self.period(Double($0.element * 12), Double($0.element * 12 + 5 + $0.offset % 9))
            }
            let calendar = BusyCalendar(periods, minGap: 0)
            let instant = Date(timeIntervalSince1970: Double(probe))
            let scanned = BusyPeriod.merged(periods).first { $0.contains(instant) }?.end
            #expect(calendar.heldEnd(at: instant) == scanned)
            #expect(calendar.isBusy(instant) == periods.contains { $0.contains(instant) })
        }
    }

    @Test func holdEndFollowsQuietHoursIntoAnEventAndBack() throws {
        var config = Configuration.defaults
        config.quietHours = try TimeWindow(parsing: "22:00-07:00")
        let utc = TimeZone(identifier: "UTC")!
        // 2026-03-02: an event 06:30-08:00 overlaps the end of quiet hours.
        let day = Date(timeIntervalSince1970: 1_772_409_600)  // 2026-03-02T00:00Z
        let event = BusyPeriod(start: day.addingTimeInterval(6.5 * 3600), end: day.addingTimeInterval(8 * 3600))
        let s = Schedule(configuration: config, timeZone: utc, busy: [event])
        // At 01:00 only quiet hours hold: their end (07:00) comes inside the event, and the planner,
        // waking then, holds again until the event ends.
        #expect(s.holdEnd(at: day.addingTimeInterval(3600)) == day.addingTimeInterval(7 * 3600))
        #expect(s.holdEnd(at: day.addingTimeInterval(7 * 3600)) == event.end, "then the event")
        #expect(s.holdEnd(at: day.addingTimeInterval(7.5 * 3600)) == event.end)
        #expect(s.holdEnd(at: day.addingTimeInterval(8 * 3600)) == nil)
        config.calendar.hold = false
        let open = Schedule(configuration: config, timeZone: utc, busy: [event])
        #expect(open.holdEnd(at: day.addingTimeInterval(7.5 * 3600)) == nil, "hold = false: events hold nothing")
        #expect(open.holdEnd(at: day.addingTimeInterval(3600)) == day.addingTimeInterval(7 * 3600))
    }
}
