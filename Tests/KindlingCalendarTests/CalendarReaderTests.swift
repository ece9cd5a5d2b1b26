// The calendar reader against fixture calendars (CalendarFixtures), then the schedule and the
// planner fed with what it read: held periods and breaks against tables worked out by hand.
import Foundation
import Testing

@testable import KindlingCalendar
@testable import KindlingCore

@Suite struct CalendarReaderTests {
    typealias F = CalendarFixtures
    static let newYorkZone = TimeZone(identifier: "America/New_York")!

    static func read(_ text: String, from: String, to: String, zone: TimeZone = newYorkZone) throws -> [BusyPeriod] {
        try CalendarReader.read(Data(text.utf8), from: F.utc(from), to: F.utc(to), floatingZone: zone).busy
    }

    static func period(_ start: String, _ end: String) -> BusyPeriod { BusyPeriod(start: F.utc(start), end: F.utc(end)) }

    // MARK: - What counts as busy

    @Test func weeklySessionsFollowNewYorkAcrossDaylightSavingWithTheExceptionAndTheMovedOne() throws {
        let busy = try Self.read(F.newYork, from: "2026-03-01T00:00", to: "2026-03-25T00:00")
        // By hand: 10:00 EST is 15:00Z before 03-08 and 10:00 EDT is 14:00Z after; 03-17 is an
        // EXDATE; 03-24 moved to 13:00 EDT (17:00Z). The all-day, free and cancelled events are
        // absent; the back-to-back sessions on 03-06 are three periods (merging is the schedule's).
        #expect(
            busy == [
                Self.period("2026-03-03T15:00", "2026-03-03T15:50"),
                Self.period("2026-03-06T14:00", "2026-03-06T14:50"),
                Self.period("2026-03-06T14:50", "2026-03-06T15:40"),
                Self.period("2026-03-06T15:42", "2026-03-06T16:30"),
                Self.period("2026-03-10T14:00", "2026-03-10T14:50"),
                Self.period("2026-03-24T17:00", "2026-03-24T17:50"),
            ])
    }

    @Test func weeklySessionsFollowBerlinsOwnTimeZoneBlockIntoSummerTime() throws {
        let busy = try Self.read(F.berlin, from: "2026-03-20T00:00", to: "2026-05-01T00:00")
        // 09:00 CET is 08:00Z; from 03-29, 09:00 CEST is 07:00Z. COUNT=3 ends the series.
        #expect(
            busy == [
                Self.period("2026-03-23T08:00", "2026-03-23T08:50"),
                Self.period("2026-03-30T07:00", "2026-03-30T07:50"),
                Self.period("2026-04-06T07:00", "2026-04-06T07:50"),
            ])
    }

    @Test func aRuleWithoutAnEndIsExpandedOverTheHorizonOnly() throws {
        // Weekly forever: a two-week window holds two or three instances, not years of them.
        let busy = try Self.read(F.newYork, from: "2027-06-01T00:00", to: "2027-06-15T00:00")
        #expect(busy.count == 2, "\(busy)")
        #expect(busy.allSatisfy { $0.start >= F.utc("2027-06-01T00:00") && $0.end <= F.utc("2027-06-15T00:00") })
    }

    @Test func aTimeWithoutAZoneIsThePersonsLocalTime() throws {
        let floating = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Kindling tests//EN
            BEGIN:VEVENT
            UID:floating@kindling.test
            DTSTAMP:20260201T000000Z
            DTSTART:20260303T100000
            DTEND:20260303T110000
            END:VEVENT
            END:VCALENDAR

            """
        let busy = try Self.read(floating, from: "2026-03-01T00:00", to: "2026-03-05T00:00")
        #expect(busy == [Self.period("2026-03-03T15:00", "2026-03-03T16:00")])
    }

    // MARK: - Bad input

    @Test func aMalformedFileIsReportedOnceWithItsPathAndTheRestIsRead() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try F.berlin.write(toFile: folder + "/good.ics", atomically: true, encoding: .utf8)
        try "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=America/New_York:2026031\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            .write(toFile: folder + "/broken.ics", atomically: true, encoding: .utf8)
        try "not a calendar at all".write(toFile: folder + "/notes.ics", atomically: true, encoding: .utf8)
        try "ignored".write(toFile: folder + "/readme.txt", atomically: true, encoding: .utf8)
        let snapshot = CalendarReader.load(path: folder, now: F.utc("2026-03-24T00:00"), floatingZone: Self.newYorkZone)
        #expect(snapshot.files == [folder + "/good.ics"])
        #expect(snapshot.busy.count == 3, "the good file is still read: \(snapshot.busy)")
        #expect(snapshot.problems.count == 2, "\(snapshot.problems)")
        #expect(snapshot.problems.contains { $0.hasPrefix(folder + "/broken.ics:3: is malformed") }, "\(snapshot.problems)")
        #expect(snapshot.problems.contains { $0.hasPrefix(folder + "/notes.ics: is not an iCalendar file") })
    }

    @Test func aMalformedLineIsNamedByItsNumber() throws {
        let lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:1", "SUMMARY:DTEND 2026xx01T110000Z is a fine summary",
            "DTSTART:20260101T100000Z", "DTEND:2026xx01T110000Z", "END:VEVENT", "END:VCALENDAR", "",
        ]
        let text = Data(lines.joined(separator: "\r\n").utf8)
        #expect(throws: CalendarReadError.self) {
            _ = try CalendarReader.read(
                text, from: F.utc("2026-01-01T00:00"), to: F.utc("2026-01-02T00:00"), floatingZone: Self.newYorkZone)
        }
        do {
            _ = try CalendarReader.read(
                text, from: F.utc("2026-01-01T00:00"), to: F.utc("2026-01-02T00:00"), floatingZone: Self.newYorkZone)
        } catch {
            // The value also sits in the summary on line 5: the DTEND property's own line is named.
            #expect(error.line == 7, "\(error)")
            #expect(error.description.contains("DTEND"), "\(error)")
        }
        let misspelt = Data("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTRT:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)
        #expect(CalendarReader.line(of: "Parse error in property name: DTSTRT", in: misspelt) == 3)
        #expect(CalendarReader.line(of: "Parse error in property name: NOWHERE", in: misspelt) == nil)
    }

    @Test func aRuleThatWouldTakeTooLongToFollowIsRefusedAtOnce() throws {
        func calendar(_ start: String, _ rule: String, also extra: String = "") -> Data {
            Data(
                ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:old\r\nDTSTART:\(start)\r\nDTEND:\(start.prefix(9))235900Z\r\n"
                    + "RRULE:\(rule)\r\n\(extra)END:VEVENT\r\nEND:VCALENDAR\r\n").utf8)
        }
        let from = F.utc("2026-03-01T00:00")
        let to = F.utc("2026-03-15T00:00")
        let clock = ContinuousClock()
        let began = clock.now
        #expect(throws: CalendarReadError.self) {
            _ = try CalendarReader.read(
                calendar("02260303T100000Z", "FREQ=WEEKLY"), from: from, to: to, floatingZone: Self.newYorkZone)
        }
        #expect(throws: CalendarReadError.self) {
            _ = try CalendarReader.read(
                calendar("20250303T100000Z", "FREQ=MINUTELY"), from: from, to: to, floatingZone: Self.newYorkZone)
        }
        // An override (it has a RECURRENCE-ID) with a rule of its own is expanded too, and an
        // EXRULE is stepped through from the first instance as an RRULE is.
        let override = calendar("02260303T100000Z", "FREQ=WEEKLY", also: "RECURRENCE-ID:20260310T100000Z\r\n")
        let excluded = calendar("20250303T100000Z", "FREQ=DAILY", also: "EXRULE:FREQ=SECONDLY\r\n")
        for file in [override, excluded] {
            #expect(throws: CalendarReadError.self) {
                _ = try CalendarReader.read(file, from: from, to: to, floatingZone: Self.newYorkZone)
            }
        }
        // A BY list finer than the FREQ multiplies the instances: every minute of every hour, daily.
        #expect(throws: CalendarReadError.self) {
            _ = try CalendarReader.read(
                calendar(
                    "20250303T100000Z",
                    "FREQ=DAILY;BYHOUR=\((0..<24).map(String.init).joined(separator: ","));"
                        + "BYMINUTE=\((0..<60).map(String.init).joined(separator: ","))"),
                from: from, to: to, floatingZone: Self.newYorkZone)
        }
        // An hourly or finer rule that keeps to days it may never reach (a 30 February), with a
        // COUNT or without: libical would look for one hour by hour for centuries.
        for rule in ["FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;COUNT=3"] {
            #expect(throws: CalendarReadError.self, "\(rule)") {
                _ = try CalendarReader.read(
                    calendar("20260302T100000Z", rule), from: from, to: to, floatingZone: Self.newYorkZone)
            }
        }
        #expect(clock.now - began < .seconds(1), "refused before libical steps through the rule")
        // A weekly series of some years, or a long one with a COUNT, is read.
        let weekly = try CalendarReader.read(
            calendar("20200303T100000Z", "FREQ=WEEKLY"), from: from, to: to, floatingZone: Self.newYorkZone)
        #expect(weekly.busy.count == 2, "\(weekly.busy)")
        let workdays = try CalendarReader.read(
            calendar("20200302T100000Z", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), from: from, to: to,
            floatingZone: Self.newYorkZone)
        #expect(workdays.busy.count == 10, "\(workdays.busy)")
        let counted = try CalendarReader.read(
            calendar("20250303T100000Z", "FREQ=MINUTELY;COUNT=5"), from: from, to: to, floatingZone: Self.newYorkZone)
        #expect(counted.busy.isEmpty)
    }

    @Test func aFileOverTwentyMegabytesIsRefusedUnread() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let big = folder + "/huge.ics"
        _ = FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: UInt64(CalendarReader.maximumFileSize + 1))
        try handle.close()
        let snapshot = CalendarReader.load(path: big, now: Date(), floatingZone: Self.newYorkZone)
        #expect(snapshot.files.isEmpty)
        #expect(
            snapshot.problems == [
                "\(big): is 20.0 MB; Kindling reads calendar files of up to 20 MB, so export a shorter range of your calendar"
            ])
    }

    @Test func aMissingPathIsOneProblemNotAFailure() {
        let snapshot = CalendarReader.load(path: "/nonexistent/calendar.ics", now: Date(), floatingZone: Self.newYorkZone)
        #expect(snapshot.busy.isEmpty)
        #expect(snapshot.problems == ["/nonexistent/calendar.ics: no such file or folder; check [calendar] path in the config"])
    }

    // MARK: - The schedule and the planner, fed by the reader

    static func schedule(_ edit: (inout Configuration) -> Void, busy: [BusyPeriod], zone: TimeZone) -> Schedule {
        var config = Configuration.defaults
        for slot in ["intention", "nudge", "reflection", "review"] {
            switch slot {
            case "intention": config.intention.enabled = false
            case "nudge": config.nudge.enabled = false
            case "reflection": config.reflection.enabled = false
            default: config.review.enabled = false
            }
        }
        edit(&config)
        return Schedule(configuration: config, timeZone: zone, busy: busy)
    }

    @Test func heldPeriodsAndBreaksMatchTheTable() throws {
        let busy = try Self.read(F.newYork, from: "2026-03-01T00:00", to: "2026-03-25T00:00")
        let s = Self.schedule({ $0.breaks.afterEvents = true }, busy: busy, zone: Self.newYorkZone)
        // Held periods: the back-to-back pair joins; the session after a 2-minute gap does not.
        #expect(
            s.busy.held == [
                Self.period("2026-03-03T15:00", "2026-03-03T15:50"),
                Self.period("2026-03-06T14:00", "2026-03-06T15:40"),
                Self.period("2026-03-06T15:42", "2026-03-06T16:30"),
                Self.period("2026-03-10T14:00", "2026-03-10T14:50"),
                Self.period("2026-03-24T17:00", "2026-03-24T17:50"),
            ])
        // Breaks: one at the end of each run of sessions, the 03-06 three closer than min_gap as one.
        let breaks = s.occurrences(after: F.utc("2026-03-01T00:00"), through: F.utc("2026-03-25T00:00")).filter {
            $0.slot == "break"
        }
        #expect(
            breaks.map(\.at) == [
                F.utc("2026-03-03T15:50"), F.utc("2026-03-06T16:30"), F.utc("2026-03-10T14:50"), F.utc("2026-03-24T17:50"),
            ])
        // With min_gap 1m, the 2-minute gap is a gap: a break after the pair too.
        let strict = Self.schedule(
            {
                $0.breaks.afterEvents = true
                $0.breaks.minGap = .minutes(1)
            }, busy: busy, zone: Self.newYorkZone)
        #expect(
            strict.occurrences(after: F.utc("2026-03-06T00:00"), through: F.utc("2026-03-07T00:00")).map(\.at) == [
                F.utc("2026-03-06T15:40"), F.utc("2026-03-06T16:30"),
            ])
    }

    @Test func timedBreaksSkipTimeInsideEvents() throws {
        let busy = try Self.read(F.newYork, from: "2026-03-06T00:00", to: "2026-03-07T00:00")
        let utc = TimeZone(identifier: "UTC")!
        let s = Self.schedule({ $0.breaks.enabled = true }, busy: busy, zone: utc)
        let day = s.occurrences(on: LocalDate(year: 2026, month: 3, day: 6)).map(\.at)
        // Every 50 minutes from 09:00 UTC: 14:00 and 14:50 fall inside sessions and are left
        // out; 15:40 (in the gap) and 16:30 (as the last ends) stay.
        let expected = ["09:50", "10:40", "11:30", "12:20", "13:10", "15:40", "16:30"].map { F.utc("2026-03-06T" + $0) }
        #expect(day == expected)
    }

    @Test func aPromptDueInASessionWaitsForItsEndAndOneThatWouldLapseIsLetGo() throws {
        let busy = try Self.read(F.newYork, from: "2026-03-09T00:00", to: "2026-03-11T00:00")
        let s = Self.schedule(
            {
                $0.intention.enabled = true
                $0.intention.at = [TimeOfDay(validHour: 10, minute: 20, second: 0)]
                $0.intention.validity = .for(.hours(2))
                $0.customs = [
                    CustomSlot(
                        name: "water", at: [TimeOfDay(validHour: 10, minute: 30, second: 0)], text: "Water.",
                        validity: .for(.minutes(10)))
                ]
            }, busy: busy, zone: Self.newYorkZone)
        let at = F.utc("2026-03-10T14:20")  // 10:20 EDT, inside the 14:00-14:50Z session
        let intention = try #require(s.occurrences(after: at.addingTimeInterval(-1), count: 1).first)
        let plan = PromptPlanner.plan(
            now: at, schedule: s, waiting: [], plannedThrough: at.addingTimeInterval(-1), pausedUntil: nil,
            isRecorded: { _ in false })
        let expiry = s.expiry(slot: "intention", scheduledAt: intention.at)
        #expect(plan.actions == [.hold(intention, expiresAt: expiry, until: F.utc("2026-03-10T14:50"))])
        #expect(plan.nextDeadline! <= F.utc("2026-03-10T14:50"), "the session's end is a deadline")
        // 10:30 water is valid 10 minutes: the session outlasts it.
        let later = F.utc("2026-03-10T14:30")
        let water = try #require(s.occurrences(after: later.addingTimeInterval(-1), count: 1).first)
        let lapsed = PromptPlanner.plan(
            now: later, schedule: s, waiting: [], plannedThrough: later.addingTimeInterval(-1), pausedUntil: nil,
            isRecorded: { _ in false })
        #expect(
            lapsed.actions == [
                .miss(water, expiresAt: s.expiry(slot: "water", scheduledAt: water.at), reason: .busy)
            ])
        // With hold = false the same prompt fires at once.
        var config = s.configuration
        config.calendar.hold = false
        let open = PromptPlanner.plan(
            now: at, schedule: Schedule(configuration: config, timeZone: Self.newYorkZone, busy: busy), waiting: [],
            plannedThrough: at.addingTimeInterval(-1), pausedUntil: nil, isRecorded: { _ in false })
        #expect(open.actions == [.fire(intention, expiresAt: expiry)])
    }

    @Test func aSnoozedPromptReturningInASessionWaitsForItsEnd() throws {
        let busy = try Self.read(F.newYork, from: "2026-03-09T00:00", to: "2026-03-11T00:00")
        let s = Self.schedule({ _ in }, busy: busy, zone: Self.newYorkZone)
        let at = F.utc("2026-03-10T14:10")
        let snoozed = WaitingPrompt(id: 7, slot: "intention", expiresAt: F.utc("2026-03-10T16:00"), snoozedUntil: at)
        let plan = PromptPlanner.plan(
            now: at, schedule: s, waiting: [snoozed], plannedThrough: at, pausedUntil: nil, isRecorded: { _ in false })
        #expect(plan.actions == [.holdSnoozed(id: 7, until: F.utc("2026-03-10T14:50"))])
        #expect(plan.nextDeadline == F.utc("2026-03-10T14:50"))
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "kindling-calendar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
