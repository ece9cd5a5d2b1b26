import Foundation
import Testing

@testable import KindlingCore

// MARK: - Helpers

private func parse(_ text: String) throws(ConfigError) -> Configuration {
    try Configuration.parse(text, file: "config.toml")
}

/// The first error for `text`, or nil when it parses.
private func firstError(_ text: String) -> ConfigError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

private func time(_ h: Int, _ m: Int, _ s: Int = 0) -> TimeOfDay {
    TimeOfDay(hour: h, minute: m, second: s)!
}

// MARK: - TimeOfDay

@Suite struct TimeOfDayTests {
    @Test(arguments: [
        ("08:00", 8, 0, 0), ("8:00", 8, 0, 0), ("00:00", 0, 0, 0), ("23:59", 23, 59, 0),
        ("23:59:59", 23, 59, 59), ("07:05:09", 7, 5, 9), (" 21:00 ", 21, 0, 0),
    ])
    func parsesValidTimes(text: String, hour: Int, minute: Int, second: Int) throws {
        let value = try TimeOfDay(parsing: text)
        #expect(value.hour == hour && value.minute == minute && value.second == second)
    }

    @Test(arguments: [
        "25:00", "24:00", "24:30", "08:60", "08:00:60", "8", "08", "08:0", "080:00", "", "   ", "08:00:",
        ":00", "８:００", "٠٨:٠٠", "08.00", "-1:00", "08:00:00.5", "8am", "08:00 pm", "08:00-09:00", "ab:cd",
    ])
    func rejectsInvalidTimes(text: String) {
        #expect(throws: ConfigValueError.self) { try TimeOfDay(parsing: text) }
        #expect(TimeOfDay(text) == nil)
    }

    @Test func explainsWhatIsWrong() {
        #expect(
            message { try TimeOfDay(parsing: "25:00") }
                == "\"25:00\" is not a time of day: hours go from 00 to 23; write it as HH:MM, e.g. \"08:00\"")
        #expect(message { try TimeOfDay(parsing: "24:00") }.contains("for midnight write \"00:00\""))
        #expect(message { try TimeOfDay(parsing: "08:61") }.contains("minutes go from 00 to 59"))
        #expect(message { try TimeOfDay(parsing: "8pm") }.contains("24-hour clock"))
        #expect(message { try TimeOfDay(parsing: "") } == "is empty; write it as HH:MM, e.g. \"08:00\"")
    }

    @Test func describesAndOrders() {
        #expect(time(8, 0).description == "08:00")
        #expect(time(8, 0, 30).description == "08:00:30")
        #expect(time(7, 59) < time(8, 0))
        #expect(time(1, 2, 3).secondsSinceMidnight == 3723)
        #expect(TimeOfDay(secondsSinceMidnight: 86_400 + 60) == time(0, 1))
        #expect(TimeOfDay(hour: 24, minute: 0) == nil)
    }
}

/// The message of the ConfigValueError `body` throws ("" when it does not throw).
private func message<T>(_ body: () throws -> T) -> String {
    do {
        _ = try body()
        return ""
    } catch let error as ConfigValueError {
        return error.message
    } catch {
        return "unexpected \(error)"
    }
}

// MARK: - Other value types

@Suite struct ValueTypeTests {
    @Test func timeWindows() throws {
        let quiet = try TimeWindow(parsing: "22:00-07:00")
        #expect(quiet.start == time(22, 0) && quiet.end == time(7, 0))
        #expect(quiet.crossesMidnight)
        #expect(quiet.contains(time(23, 0)) && quiet.contains(time(3, 0)) && !quiet.contains(time(7, 0)))
        #expect(quiet.lengthInSeconds == 9 * 3600)
        let work = try TimeWindow(parsing: "09:00 - 17:00")
        #expect(!work.crossesMidnight && work.contains(time(9, 0)) && !work.contains(time(17, 0)))
        #expect(work.description == "09:00-17:00")
        for bad in ["09:00", "09:00-09:00", "09:00-25:00", "-", "", "09:00-", "9-17", "09:00-12:00-13:00"] {
            #expect(throws: ConfigValueError.self) { try TimeWindow(parsing: bad) }
        }
        #expect(message { try TimeWindow(parsing: "09:00-09:00") }.contains("starts and ends at the same time"))
        #expect(message { try TimeWindow(parsing: "09:00-25:00") }.contains("\"25:00\" is not a time of day"))
    }

    @Test func daySets() throws {
        #expect(try DaySet(parsing: "daily") == .daily)
        #expect(try DaySet(parsing: "Weekdays") == .weekdays)
        #expect(try DaySet(parsing: "WEEKENDS") == .weekends)
        #expect(try DaySet(parsing: "mon").days == [.monday])
        let list = try DaySet(parsingList: ["mon", "Thu", "friday", "mon"])
        #expect(list.days == [.monday, .thursday, .friday])
        #expect(list.description == "[\"mon\", \"thu\", \"fri\"]")
        #expect(try DaySet(parsingList: ["sat", "sun"]) == .weekends)
        #expect(DaySet.weekdays.contains(.friday) && !DaySet.weekdays.contains(.saturday))
        #expect(message { try DaySet(parsing: "dialy") }.hasSuffix("did you mean \"daily\"?"))
        #expect(message { try DaySet(parsing: "everyday") }.hasSuffix("did you mean \"daily\"?"))
        #expect(message { try DaySet(parsingList: []) }.contains("empty list"))
        #expect(message { try DaySet(parsingList: ["mo"]) }.contains("\"mo\" is not a day of the week"))
        #expect(DaySet([]) == nil)
    }

    @Test func weekdays() {
        #expect(Weekday.monday.rawValue == 1 && Weekday.sunday.rawValue == 7)
        #expect(Weekday.sunday.calendarWeekday == 1 && Weekday.saturday.calendarWeekday == 7)
        for day in Weekday.allCases {
            #expect(Weekday(calendarWeekday: day.calendarWeekday) == day)
            #expect(Weekday(name: day.shortName) == day && Weekday(name: day.fullName.uppercased()) == day)
        }
        #expect(Weekday(name: "mo") == nil && Weekday(calendarWeekday: 8) == nil)
    }

    @Test func weeklyTimes() throws {
        #expect(try WeeklyTime(parsing: "sun 19:00") == WeeklyTime(weekday: .sunday, time: time(19, 0)))
        #expect(try WeeklyTime(parsing: "Monday  07:30:15") == WeeklyTime(weekday: .monday, time: time(7, 30, 15)))
        #expect(WeeklyTime(weekday: .sunday, time: time(19, 0)).description == "sun 19:00")
        #expect(message { try WeeklyTime(parsing: "19:00") }.contains("has no day"))
        #expect(message { try WeeklyTime(parsing: "sun") }.contains("has no time"))
        #expect(message { try WeeklyTime(parsing: "sun 25:00") }.contains("\"25:00\" is not a time of day"))
        #expect(message { try WeeklyTime(parsing: "someday 10:00") }.contains("does not start with a day"))
        #expect(message { try WeeklyTime(parsing: "") }.hasPrefix("is empty"))
        #expect(message { try WeeklyTime(parsing: "sun 19:00 extra") }.contains("is not a day and a time"))
    }

    @Test(arguments: [
        ("10m", 600), ("50m", 3000), ("2h", 7200), ("90s", 90), ("1h30m", 5400), ("1h 30m", 5400),
        ("1H", 3600), ("1h0m1s", 3601), ("168h", 604_800), (" 5m ", 300), ("3d", 259_200), ("1d12h", 129_600),
    ])
    func parsesDurations(text: String, seconds: Int) throws {
        #expect(try ConfigDuration(parsing: text).seconds == seconds)
    }

    @Test(arguments: [
        ("10", "has no unit; write \"10m\" for minutes"),
        ("-5m", "is negative"),
        ("0m", "is zero"),
        ("0h0m0s", "is zero"),
        ("1.5h", "has a fraction"),
        ("10min", "units are d (days), h (hours), m (minutes) and s (seconds)"),
        ("m", "a unit needs a number before it"),
        ("30m1h", "write days, hours, minutes, then seconds"),
        ("1h1h", "write days, hours, minutes, then seconds"),
        ("99999999999999999999h", "is too long"),
        ("169h", "is too long"),
        ("", "is empty"),
        ("1h30", "the last number has no unit"),
        ("1 h", "put the unit right after the number"),
        ("１０m", "units are d"),
    ])
    func rejectsBadDurations(text: String, expected: String) {
        let text = message { try ConfigDuration(parsing: text) }
        #expect(text.contains(expected), "\(text)")
    }

    @Test func describesDurations() {
        #expect(ConfigDuration(seconds: 5400)?.description == "1h30m")
        #expect(ConfigDuration(seconds: 90)?.description == "1m30s")
        #expect(ConfigDuration.minutes(10).description == "10m")
        #expect(ConfigDuration(seconds: 0) == nil && ConfigDuration(seconds: -1) == nil)
        #expect(ConfigDuration(seconds: ConfigDuration.maximum + 1) == nil)
    }

    @Test func dates() throws {
        #expect(try ConfigDate(parsing: "2025-03-01") == ConfigDate(year: 2025, month: 3, day: 1))
        #expect(try ConfigDate(parsing: "2024-02-29").description == "2024-02-29")
        for bad in ["2025-02-29", "2025-13-01", "2025-04-31", "25-03-01", "2025-3-1", "1969-12-31", "", "tomorrow"] {
            #expect(throws: ConfigValueError.self) { try ConfigDate(parsing: bad) }
        }
        #expect(message { try ConfigDate(parsing: "2025-02-30") }.contains("is not a day on the calendar"))
    }

    @Test func quotingKeepsMessagesOnOneReadableLine() {
        #expect(quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(quoted("line\nbreak") == #""line\nbreak""#)
        #expect(quoted("evil\u{202E}txt") == #""evil\u{202E}txt""#)
        #expect(quoted(String(repeating: "x", count: 100)).count == 43)
        #expect(quoted("café ☕") == "\"café ☕\"")
    }

    @Test func suggestsOnlyCloseMatches() {
        #expect(closestMatch(to: "answer_untill", among: ["answer_until", "valid_for"]) == "answer_until")
        #expect(closestMatch(to: "Answer-Until", among: ["answer_until"]) == "answer_until")
        #expect(closestMatch(to: "colour", among: ["answer_until", "valid_for"]) == nil)
        #expect(closestMatch(to: "x", among: ["at"]) == nil)
        #expect(editDistance("kitten", "sitting") == 3)
    }
}

// MARK: - The default file

@Suite struct DefaultConfigurationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedFileIsTheCompiledInDefault() throws {
        let url = Self.repositoryRoot.appendingPathComponent("Config/kindling.toml")
        let data = try Data(contentsOf: url)
        #expect(data == Data(Configuration.defaultTOML.utf8), "Config/kindling.toml and Configuration.defaultTOML differ")
    }

    @Test func theDefaultFileParsesCleanly() throws {
        #expect(Configuration.diagnose(Configuration.defaultTOML, file: "defaults").isEmpty)
        let loaded = try Configuration.load(
            contentsOf: Self.repositoryRoot.appendingPathComponent("Config/kindling.toml").path
        )
        #expect(loaded == Configuration.defaults)
    }

    @Test func theDefaultsAreTheDocumentedValues() {
        let c = Configuration.defaults
        #expect(c.timezone == .local)
        #expect(c.quietHours == nil)

        #expect(c.intention.enabled && c.intention.builtinPrompts)
        #expect(c.intention.at == [time(8, 0)] && c.intention.days == .daily)
        #expect(c.intention.effectiveValidity == .until(time(12, 0)))

        #expect(c.nudge.enabled && c.nudge.builtinPrompts)
        #expect(c.nudge.window == TimeWindow(start: time(10, 0), end: time(16, 0)))
        #expect(c.nudge.validity == .slotDefault && c.nudge.effectiveValidity == .until(time(16, 0)))

        #expect(c.reflection.enabled && c.reflection.builtinPrompts && c.reflection.askMood)
        #expect(c.reflection.at == [time(21, 0)] && c.reflection.days == .daily)
        #expect(c.reflection.effectiveValidity == .until(time(10, 0)))

        #expect(c.review.enabled && c.review.builtinPrompts)
        #expect(c.review.at == WeeklyTime(weekday: .sunday, time: time(19, 0)))
        #expect(c.review.effectiveValidity == .for(.hours(24)))

        #expect(!c.breaks.enabled && c.breaks.builtinPrompts)
        #expect(c.breaks.every == .minutes(50))
        #expect(c.breaks.during == TimeWindow(start: time(9, 0), end: time(17, 0)))
        #expect(c.breaks.days == .weekdays)
        #expect(c.breaks.validity == .slotDefault && c.breaks.effectiveValidity == .for(.minutes(50)))

        #expect(c.program.name == .wideningCircle && c.program.start == nil && c.program.skip.isEmpty)

        #expect(c.delivery.desktop && c.delivery.terminal && !c.delivery.discreet)
        #expect(c.delivery.command == nil && c.delivery.respondCommand == .auto)
        #expect(c.delivery.snooze == .minutes(10))

        #expect(c.prompts.isEmpty && c.customs.isEmpty)
        #expect(c.slotNames == ["intention", "nudge", "reflection", "review", "break"])
    }

    @Test func anEmptyFileMeansTheDefaults() throws {
        #expect(try parse("") == Configuration.defaults)
        #expect(try parse("# nothing here\n\n") == Configuration.defaults)
        #expect(try parse("\u{FEFF}timezone = \"local\"\n") == Configuration.defaults)
    }

    @Test func theDefaultTypesMatchTheDefaultFile() {
        // The Swift-side defaults (used when a table is missing) agree with the file.
        // (The file may spell out a slot's default validity; the types leave it unset.)
        let d = Configuration.defaults
        func sameSlot(_ a: some SlotSettings, _ b: some SlotSettings) -> Bool {
            a.enabled == b.enabled && a.builtinPrompts == b.builtinPrompts && a.effectiveValidity == b.effectiveValidity
        }
        #expect(
            sameSlot(IntentionSlot(), d.intention) && IntentionSlot().at == d.intention.at
                && IntentionSlot().days == d.intention.days)
        #expect(
            sameSlot(ReflectionSlot(), d.reflection) && ReflectionSlot().at == d.reflection.at
                && ReflectionSlot().days == d.reflection.days && ReflectionSlot().askMood == d.reflection.askMood)
        #expect(sameSlot(ReviewSlot(), d.review) && ReviewSlot().at == d.review.at)
        #expect(NudgeSlot() == d.nudge)
        #expect(BreakSlot() == d.breaks)
        #expect(ProgramSettings() == d.program)
        #expect(DeliverySettings() == d.delivery)
        #expect(Configuration.placeholder.timezone == d.timezone && Configuration.placeholder.quietHours == d.quietHours)
    }
}

// MARK: - Reading a full configuration

@Suite struct ParsingTests {
    @Test func readsEverySection() throws {
        let c = try parse(
            """
            timezone = "America/Chicago"
            quiet_hours = "22:00-07:00"

            [intention]
            at = ["09:00", "07:30"]
            days = ["mon", "wed", "fri"]
            valid_for = "3h"

            [nudge]
            window = "11:00-15:00"
            builtin_prompts = false

            [reflection]
            at = "20:30:15"
            ask_mood = false
            answer_until = "09:00"

            [review]
            at = "fri 17:00"
            enabled = false

            [break]
            enabled = true
            every = "1h30m"
            during = "08:00-18:00"
            days = "daily"

            [program]
            name = "five-day-reset"
            start = "2025-03-01"
            skip = [5, 2, 2]

            [delivery]
            desktop = false
            terminal = true
            command = "notify-send Kindling"
            respond_command = ""
            snooze = "15m"
            discreet = true

            [[prompt]]
            slot = "nudge"
            text = "Send someone a short note of thanks."

            [[custom]]
            name = "water"
            at = ["15:30", "10:30"]
            text = "A glass of water is a small kindness."

            [[custom]]
            name = "stretch_2"
            at = "11:00"
            days = "weekdays"
            builtin_prompts = false
            answer_until = "12:00"

            [[prompt]]
            slot = "stretch_2"
            text = "Stand up and stretch, gently."
            """
        )
        #expect(c.timezone == .named("America/Chicago"))
        #expect(c.timezone.timeZone.identifier == "America/Chicago")
        #expect(c.quietHours == TimeWindow(start: time(22, 0), end: time(7, 0)))
        #expect(c.intention.at == [time(7, 30), time(9, 0)])
        #expect(c.intention.days.days == [.monday, .wednesday, .friday])
        #expect(c.intention.validity == .for(.hours(3)))
        #expect(c.nudge.window == TimeWindow(start: time(11, 0), end: time(15, 0)) && !c.nudge.builtinPrompts)
        #expect(c.reflection.at == [time(20, 30, 15)] && !c.reflection.askMood)
        #expect(c.reflection.validity == .until(time(9, 0)))
        #expect(c.review.at == WeeklyTime(weekday: .friday, time: time(17, 0)) && !c.review.enabled)
        #expect(c.breaks.enabled && c.breaks.every == ConfigDuration(seconds: 5400) && c.breaks.days == .daily)
        #expect(c.breaks.effectiveValidity == .for(ConfigDuration(seconds: 5400)!))
        #expect(c.program.name == .fiveDayReset && c.program.skip == [2, 5])
        #expect(c.program.start == ConfigDate(year: 2025, month: 3, day: 1))
        #expect(!c.delivery.desktop && c.delivery.terminal && c.delivery.discreet)
        #expect(c.delivery.command == "notify-send Kindling" && c.delivery.respondCommand == .disabled)
        #expect(c.delivery.snooze == .minutes(15))
        #expect(
            c.prompts == [
                UserPrompt(slot: "nudge", text: "Send someone a short note of thanks."),
                UserPrompt(slot: "stretch_2", text: "Stand up and stretch, gently."),
            ])
        #expect(
            c.customs == [
                CustomSlot(name: "water", at: [time(10, 30), time(15, 30)], text: "A glass of water is a small kindness."),
                CustomSlot(
                    name: "stretch_2", at: [time(11, 0)], days: .weekdays, text: nil, builtinPrompts: false,
                    validity: .until(time(12, 0))
                ),
            ])
        #expect(c.customs[0].effectiveValidity == .for(.hours(2)))
        #expect(c.slotNames == ["intention", "nudge", "reflection", "review", "break", "water", "stretch_2"])
        #expect(c.slot(named: "water")?.enabled == true)
        #expect(c.slot(named: "break")?.enabled == true)
        #expect(c.slot(named: "nope") == nil)
        #expect(c.userPrompts(forSlot: "stretch_2") == ["Stand up and stretch, gently."])
    }

    @Test func acceptsNativeTOMLTimesAndDates() throws {
        let c = try parse("[intention]\nat = [07:30:00, \"09:00\"]\n[program]\nstart = 2025-03-01\n")
        #expect(c.intention.at == [time(7, 30), time(9, 0)])
        #expect(c.program.start == ConfigDate(year: 2025, month: 3, day: 1))
    }

    @Test func acceptsOtherSpellingsOfTheSameThing() throws {
        let c = try parse(
            """
            timezone = "LOCAL"
            intention = { at = "08:30" }
            [delivery]
            respond_command = "auto"
            command = "  "
            """
        )
        #expect(c.timezone == .local && c.intention.at == [time(8, 30)])
        #expect(c.delivery.respondCommand == .auto && c.delivery.command == nil)
        #expect(
            try parse("[delivery]\nrespond_command = \"foot -e kindling respond\"\n").delivery.respondCommand
                == .command("foot -e kindling respond"))
        #expect(try parse("[program]\nname = \"none\"\nskip = []\n").program.name == ProgramChoice.none)
        #expect(try parse("[intention]\ndays = \"thu\"\n").intention.days.days == [.thursday])
    }

    @Test func aTextMayBeUnicodeAndSpanLines() throws {
        let c = try parse(
            """
            [[prompt]]
            slot = "reflection"
            text = \"\"\"
            Qu'est-ce qui t'a fait du bien aujourd'hui ?
            今日はどんな優しさがありましたか。\"\"\"
            """
        )
        #expect(c.prompts.first?.text == "Qu'est-ce qui t'a fait du bien aujourd'hui ?\n今日はどんな優しさがありましたか。")
    }
}

// MARK: - Errors: line, key and message

/// One bad file, the line and key its first error must name, and words the message must hold.
struct BadConfig: CustomTestStringConvertible, Sendable {
    let toml: String
    let line: Int?
    let key: String?
    let says: String
    var testDescription: String { "\(key ?? "-") at \(line.map(String.init) ?? "-"): \(says)" }
}

private let badConfigs: [BadConfig] = [
    // Values.
    BadConfig(
        toml: "[intention]\nat = \"25:00\"\n", line: 2, key: "intention.at",
        says: "\"25:00\" is not a time of day: hours go from 00 to 23; write it as HH:MM, e.g. \"08:00\""),
    BadConfig(
        toml: "# a comment\n\n[intention]\n\n# at = \"08:00\"\nat = [\"08:00\",\n  \"24:00\"]\n", line: 7,
        key: "intention.at[2]", says: "for midnight write \"00:00\""),
    BadConfig(toml: "[intention]\nat = [\"08:00\", \"08:00\"]\n", line: 2, key: "intention.at[2]", says: "is listed twice"),
    BadConfig(toml: "[intention]\nat = []\n", line: 2, key: "intention.at", says: "empty list"),
    BadConfig(toml: "[intention]\nat = 8\n", line: 2, key: "intention.at", says: "must be a time like \"08:00\" or a list"),
    BadConfig(toml: "[intention]\nat = [8]\n", line: 2, key: "intention.at[1]", says: "not the number 8"),
    BadConfig(toml: "[intention]\ndays = []\n", line: 2, key: "intention.days", says: "empty list"),
    BadConfig(toml: "[intention]\ndays = \"weekday\"\n", line: 2, key: "intention.days", says: "did you mean \"weekdays\"?"),
    BadConfig(toml: "[intention]\ndays = [\"mon\", 3]\n", line: 2, key: "intention.days[2]", says: "must be a day in quotes"),
    BadConfig(
        toml: "[intention]\ndays = [\"mon\", \"funday\"]\n", line: 2, key: "intention.days", says: "\"funday\" is not a day"),
    BadConfig(
        toml: "[intention]\nenabled = \"yes\"\n", line: 2, key: "intention.enabled",
        says: "must be true or false (without quotes), not the text \"yes\""),
    BadConfig(
        toml: "[intention]\nanswer_until = \"12:00\"\nvalid_for = \"2h\"\n", line: 3, key: "intention.valid_for",
        says: "set either answer_until (a time of day) or valid_for (a duration), not both"),
    BadConfig(toml: "[nudge]\nwindow = \"16:00-10:00:99\"\n", line: 2, key: "nudge.window", says: "is not a time window"),
    BadConfig(toml: "[nudge]\nvalid_for = \"-10m\"\n", line: 2, key: "nudge.valid_for", says: "is negative"),
    BadConfig(toml: "[reflection]\nask_mood = 1\n", line: 2, key: "reflection.ask_mood", says: "not the number 1"),
    BadConfig(toml: "[review]\nat = \"19:00\"\n", line: 2, key: "review.at", says: "has no day"),
    BadConfig(toml: "[break]\nevery = \"0m\"\n", line: 2, key: "break.every", says: "is zero"),
    BadConfig(toml: "[break]\nevery = \"50\"\n", line: 2, key: "break.every", says: "has no unit"),
    BadConfig(toml: "[break]\nevery = \"9h\"\n", line: 2, key: "break.every", says: "would never come inside 09:00-17:00"),
    BadConfig(toml: "[delivery]\nsnooze = 10\n", line: 2, key: "delivery.snooze", says: "like \"10m\" for minutes"),
    BadConfig(toml: "[delivery]\ncommand = [\"notify-send\"]\n", line: 2, key: "delivery.command", says: "not a list"),
    BadConfig(toml: "[delivery]\ncommand = \"run\\u0007\"\n", line: 2, key: "delivery.command", says: "control character"),
    BadConfig(
        toml: "timezone = \"Mars/Olympus\"\n", line: 1, key: "timezone",
        says: "\"Mars/Olympus\" is not a time zone this system knows; use \"local\""),
    BadConfig(toml: "timezone = \"America/Chicgo\"\n", line: 1, key: "timezone", says: "did you mean \"America/Chicago\"?"),
    BadConfig(toml: "timezone = \"../../../etc/passwd\"\n", line: 1, key: "timezone", says: "is not a time zone"),
    BadConfig(toml: "timezone = \"\"\n", line: 1, key: "timezone", says: "is empty"),
    BadConfig(toml: "quiet_hours = \"22:00\"\n", line: 1, key: "quiet_hours", says: "or \"\" for none"),
    BadConfig(toml: "[calendar]\npath = 3\n", line: 2, key: "calendar.path", says: "a file or folder in quotes"),
    BadConfig(toml: "[calendar]\nhold = \"yes\"\n", line: 2, key: "calendar.hold", says: "true or false"),
    BadConfig(toml: "[break]\nmin_gap = 5\n", line: 2, key: "break.min_gap", says: "like \"5m\" for minutes"),
    BadConfig(toml: "[program]\nname = \"Widening Circle!\"\n", line: 2, key: "program.name", says: "is not a program"),
    BadConfig(
        toml: "[program]\nname = \"my-own\"\nskip = [\"day 2\"]\n", line: 3, key: "program.skip[1]",
        says: "an added program's steps are left out by number"),
    BadConfig(
        toml: "[program]\nname = \"five-day-rest\"\n", line: 2, key: "program.name", says: "did you mean \"five-day-reset\"?"),
    BadConfig(toml: "[program]\nstart = \"2025-02-30\"\n", line: 2, key: "program.start", says: "is not a day on the calendar"),
    BadConfig(toml: "[program]\nstart = \"soon\"\n", line: 2, key: "program.start", says: "write it as YYYY-MM-DD"),
    BadConfig(
        toml: "[program]\nskip = [5]\n", line: 2, key: "program.skip[1]", says: "5 is not a week of widening-circle; use 1 to 4"),
    BadConfig(toml: "[program]\nname = \"five-day-reset\"\nskip = [0]\n", line: 3, key: "program.skip[1]", says: "use 1 to 5"),
    BadConfig(toml: "[program]\nskip = [1, 2, 3, 4]\n", line: 2, key: "program.skip", says: "skips every week"),
    BadConfig(toml: "[program]\nskip = 2\n", line: 2, key: "program.skip", says: "must be a list of numbers"),
    BadConfig(toml: "[program]\nskip = [\"2\"]\n", line: 2, key: "program.skip[1]", says: "whole number without quotes"),
    BadConfig(toml: "[program]\nname = \"none\"\nskip = [1]\n", line: 3, key: "program.skip", says: "nothing to skip"),
    BadConfig(toml: "[program]\nskip = [-1]\n", line: 2, key: "program.skip[1]", says: "use 1 to 4"),

    // Unknown keys and tables.
    BadConfig(
        toml: "[intention]\nat = \"08:00\"\nanswer_untill = \"12:00\"\n", line: 3, key: "intention.answer_untill",
        says: "is not a setting of [intention]; did you mean \"answer_until\"?"),
    BadConfig(
        toml: "[nudge]\ncolour = \"blue\"\n", line: 2, key: "nudge.colour",
        says: "it takes window, ask_mood, enabled, builtin_prompts, answer_until and valid_for"),
    BadConfig(toml: "timezon = \"local\"\n", line: 1, key: "timezon", says: "did you mean \"timezone\"?"),
    BadConfig(
        toml: "at = \"08:00\"\n[intention]\n", line: 1, key: "at",
        says: "put it under [intention], [reflection], [review] or [[custom]]"),
    BadConfig(toml: "[intenton]\nat = \"08:00\"\n", line: 1, key: "intenton", says: "did you mean [intention]?"),
    BadConfig(toml: "[[costum]]\nname = \"x\"\n", line: 1, key: "costum", says: "did you mean [[custom]]?"),
    BadConfig(toml: "[settings]\n", line: 1, key: "settings", says: "the tables are [intention]"),
    BadConfig(toml: "[intention]\nat = \"08:00\"\n[[intention]]\n", line: nil, key: nil, says: "not valid TOML"),
    BadConfig(toml: "intention = \"08:00\"\n", line: 1, key: "intention", says: "must be a table"),
    BadConfig(toml: "[[break]]\nenabled = true\n", line: 1, key: "break", says: "write [break] with single brackets"),
    BadConfig(toml: "[custom]\nname = \"water\"\n", line: 1, key: "custom", says: "write [[custom]] with double brackets"),
    BadConfig(toml: "prompt = \"be kind\"\n", line: 1, key: "prompt", says: "must be written as [[prompt]] blocks"),
    BadConfig(toml: "[intention.extra]\nx = 1\n", line: 1, key: "intention.extra", says: "is not a setting of [intention]"),
    BadConfig(toml: "[intention]\n\"odd key\" = 1\n", line: 2, key: "intention.\"odd key\"", says: "is not a setting"),

    // Custom slots and prompts.
    BadConfig(
        toml:
            "[[custom]]\nname = \"water\"\nat = \"10:30\"\ntext = \"Drink.\"\n\n[[custom]]\nname = \"\"\nat = \"11:00\"\ntext = \"x\"\n",
        line: 7, key: "custom[2].name", says: "is empty"),
    BadConfig(
        toml: "[[custom]]\nname = \"intention\"\nat = \"10:30\"\ntext = \"x\"\n", line: 2, key: "custom[1].name",
        says: "is a built-in slot"),
    BadConfig(
        toml: "[[custom]]\nname = \"Water\"\nat = \"10:30\"\ntext = \"x\"\n", line: 2, key: "custom[1].name",
        says: "must be lowercase; write \"water\""),
    BadConfig(
        toml: "[[custom]]\nname = \"wäter\"\nat = \"10:30\"\ntext = \"x\"\n", line: 2, key: "custom[1].name",
        says: "may use only lowercase letters"),
    BadConfig(
        toml: "[[custom]]\nname = \"a\"\nat = \"10:30\"\ntext = \"x\"\n[[custom]]\nname = \"a\"\nat = \"11:00\"\ntext = \"y\"\n",
        line: 6, key: "custom[2].name", says: "is already the name of custom[1] (line 1)"),
    BadConfig(toml: "[[custom]]\nname = \"water\"\ntext = \"x\"\n", line: 1, key: "custom[1].at", says: "is missing"),
    BadConfig(toml: "[[custom]]\nat = \"10:00\"\ntext = \"x\"\n", line: 1, key: "custom[1].name", says: "is missing"),
    BadConfig(toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\n", line: 1, key: "custom[1].text", says: "is missing"),
    BadConfig(
        toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\ntext = \"  \"\n", line: 4, key: "custom[1].text", says: "is empty"),
    BadConfig(
        toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\ntext = \"x\"\nbuiltin_prompts = false\n", line: 4,
        key: "custom[1].text", says: "is not used because builtin_prompts = false"),
    BadConfig(
        toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\nbuiltin_prompts = false\n", line: 4,
        key: "custom[1].builtin_prompts", says: "no [[prompt]] has slot = \"w\""),
    BadConfig(
        toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\ntext = \"x\"\nevery = \"1h\"\n", line: 5,
        key: "custom[1].every", says: "is not a setting of [[custom]]"),
    BadConfig(
        toml: "[[prompt]]\nslot = \"intention\"\ntext = \"a\"\n\n[[prompt]]\nslot = \"intentoin\"\ntext = \"b\"\n",
        line: 6, key: "prompt[2].slot", says: "did you mean \"intention\"?"),
    BadConfig(
        toml: "[[prompt]]\nslot = \"elsewhere\"\ntext = \"b\"\n", line: 2, key: "prompt[1].slot",
        says: "the slots are \"intention\", \"nudge\", \"reflection\", \"review\" and \"break\""),
    BadConfig(toml: "[[prompt]]\ntext = \"b\"\n", line: 1, key: "prompt[1].slot", says: "is missing"),
    BadConfig(toml: "[[prompt]]\nslot = \"nudge\"\ntext = \"\"\n", line: 3, key: "prompt[1].text", says: "is empty"),
    BadConfig(toml: "[[prompt]]\nslot = \"nudge\"\n", line: 1, key: "prompt[1].text", says: "is missing"),
    BadConfig(
        toml: "[[prompt]]\nslot = \"nudge\"\ntext = \"b\"\nmood = 3\n", line: 4, key: "prompt[1].mood",
        says: "is not a setting of [[prompt]]"),
    BadConfig(
        toml: "[reflection]\nbuiltin_prompts = false\n", line: 2, key: "reflection.builtin_prompts",
        says: "no [[prompt]] has slot = \"reflection\""),

    // Syntax.
    BadConfig(toml: "[intention]\nat = 08:00   # morning\n", line: 2, key: nil, says: "; put it in quotes: at = \"08:00\""),
    BadConfig(toml: "[break]\nevery = 50m\n", line: 2, key: nil, says: "; put it in quotes: every = \"50m\""),
    BadConfig(
        toml: "[program]\nname = widening-circle\n", line: 2, key: nil,
        says: "put text in quotes: name = \"widening-circle\""),
    BadConfig(toml: "[delivery]\ndiscreet = yes\n", line: 2, key: nil, says: "write true or false, in lowercase"),
    BadConfig(toml: "[delivery]\ndiscreet = True\n", line: 2, key: nil, says: "write true or false, in lowercase"),
    BadConfig(toml: "[intention]\nat = \"08:00\"\nat = \"09:00\"\n", line: 3, key: nil, says: "may appear only once"),
    BadConfig(toml: "[intention\n", line: 1, key: nil, says: "this is not valid TOML"),
    BadConfig(toml: "text = \"unterminated\n", line: 1, key: nil, says: "this is not valid TOML"),
    BadConfig(toml: "a = 1\0\n", line: 1, key: nil, says: "NUL character"),
]

@Suite struct ErrorTests {
    @Test(arguments: badConfigs)
    func namesTheLineAndKey(_ bad: BadConfig) throws {
        let error = try #require(firstError(bad.toml), "expected an error for \(bad.toml)")
        #expect(error.file == "config.toml")
        #expect(error.key == bad.key, "\(error)")
        if bad.line != nil || bad.key != nil {
            #expect(error.line == bad.line, "\(error)")
        }
        #expect(error.message.contains(bad.says), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func theDescriptionIsOneCompilerStyleLine() {
        let error = ConfigError(
            file: "/home/a/.config/kindling/config.toml", line: 5, key: "intention.at",
            message: "\"25:00\" is not a time of day; write it as HH:MM, e.g. \"08:00\""
        )
        #expect(
            error.description
                == "/home/a/.config/kindling/config.toml:5: intention.at: \"25:00\" is not a time of day; write it as HH:MM, e.g. \"08:00\""
        )
        #expect(ConfigError(file: "f", message: "m").description == "f: m")
        #expect(ConfigError(file: "f", key: "k", message: "m").description == "f: k: m")
        #expect(ConfigError(file: "f", line: 2, column: 7, message: "m").description == "f:2:7: m")
        #expect(ConfigError(file: "", line: 3, message: "m").description == "line 3: m")
        #expect(
            ConfigError(file: "a\nb.toml", key: "x\u{202E}y", message: "one\ntwo").description
                == "a\\nb.toml: x\\u{202E}y: one\\ntwo")
    }

    @Test func syntaxErrorsCarryTheColumn() throws {
        let error = try #require(firstError("[intention]\nat = 08:00\n"))
        #expect(error.line == 2 && error.column != nil)
        #expect(error.description.hasPrefix("config.toml:2:"))
    }

    @Test func theFirstProblemByLineIsThrownAndAllAreListed() throws {
        let text = """
            [reflection]
            at = "26:00"

            [intention]
            at = "25:00"
            days = "sometimes"
            """
        #expect(firstError(text)?.key == "reflection.at")
        let all = Configuration.diagnose(text, file: "config.toml")
        #expect(all.map(\.key) == ["reflection.at", "intention.at", "intention.days"])
        #expect(all.map(\.line) == [2, 5, 6])
    }

    @Test func anInvalidCustomNameDoesNotAlsoFailItsPrompts() {
        let all = Configuration.diagnose(
            "[[custom]]\nname = \"Tea\"\nat = \"16:00\"\ntext = \"x\"\n[[prompt]]\nslot = \"Tea\"\ntext = \"y\"\n",
            file: "c"
        )
        #expect(all.map(\.key) == ["custom[1].name"])
    }
}

// MARK: - Hostile input

@Suite struct HostileInputTests {
    @Test func hugeListsAreRefusedInOneLine() throws {
        let times = (0..<200).map { "\"\(twoDigits($0 / 60 % 24)):\(twoDigits($0 % 60))\"" }.joined(separator: ", ")
        let error = try #require(firstError("[intention]\nat = [\(times)]\n"))
        #expect(error.key == "intention.at" && error.line == 2)
        #expect(error.message == "lists 200 times; at most 96 are allowed")

        let days = Array(repeating: "\"mon\"", count: 500).joined(separator: ",")
        #expect(firstError("[break]\ndays = [\(days)]\n")?.message.contains("there are only 7") == true)

        let skip = Array(repeating: "1", count: 100).joined(separator: ",")
        #expect(firstError("[program]\nskip = [\(skip)]\n")?.message.contains("at most 96") == true)

        let customs = (0..<100).map { "[[custom]]\nname = \"c\($0)\"\nat = \"10:00\"\ntext = \"x\"\n" }.joined()
        #expect(firstError(customs)?.message.contains("at most 96 are allowed") == true)
    }

    @Test func longAndStrangeTextIsQuotedShortAndSafe() throws {
        let long = String(repeating: "ab", count: 5000)
        let error = try #require(firstError("[intention]\nat = \"\(long)\"\n"))
        #expect(error.description.count < 200)

        let tooLong = try #require(firstError("[[prompt]]\nslot = \"nudge\"\ntext = \"\(long)\"\n"))
        #expect(tooLong.message == "is 10000 characters long; keep it under 1000")

        let garbage = try #require(firstError("[intention]\nat = \"\u{202E}\u{1F600}ÿ\\u001b[31m\"\n"))
        #expect(garbage.description.contains("\\u{202E}") && garbage.description.contains("\\u{1B}"))
        #expect(!garbage.description.contains("\u{1B}") && !garbage.description.contains("\u{202E}"))

        let zone = try #require(firstError("timezone = \"Europe/Berlin\\nEvil\"\n"))
        #expect(!zone.description.contains("\n"))
    }

    @Test func deeplyNestedOrOddDocumentsDoNotCrash() {
        let nested = "x = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        #expect(firstError(nested) != nil)
        #expect(firstError("[intention]\nat = { hour = 8 }\n")?.message.contains("not a table") == true)
        #expect(firstError("[intention]\nat = 1979-05-27T07:32:00Z\n")?.message.contains("not a date and time") == true)
        #expect(firstError("[intention]\nat = 07:32:00.5\n")?.message.contains("whole second") == true)
        #expect(firstError("[program]\nstart = 1969-12-31\n")?.key == "program.start")
        #expect(
            firstError("[[custom]]\nname = \"\(String(repeating: "a", count: 40))\"\nat = \"10:00\"\ntext = \"x\"\n")?
                .message.contains("longer than 32 characters") == true)
    }
}

// MARK: - Files

@Suite struct LoadingTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aMissingFileIsNamedWithTheReason() throws {
        let path = "/nonexistent/kindling/config.toml"
        #expect(throws: ConfigError(file: path, message: "cannot read the config file: No such file or directory")) {
            try Configuration.load(contentsOf: path)
        }
        #expect(try Configuration.loadIfPresent(contentsOf: path) == nil)
    }

    @Test func unreadableFilesAndDirectoriesAreNamed() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ConfigError.self) { try Configuration.load(contentsOf: dir.path) }
        do {
            _ = try Configuration.load(contentsOf: dir.path)
        } catch {
            #expect(error.file == dir.path && error.message.contains("is a directory"))
        }

        let locked = dir.appendingPathComponent("locked.toml")
        try Data("timezone = \"local\"\n".utf8).write(to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        if getuid() != 0 {  // root can read anything
            do {
                _ = try Configuration.load(contentsOf: locked.path)
                Issue.record("expected an error")
            } catch {
                #expect(error.description == "\(locked.path): cannot read the config file: Permission denied")
            }
        }
    }

    @Test func loadsAFileAndNamesItInErrors() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config.toml")
        try Data("# mine\n[intention]\nat = \"07:15\"\n".utf8).write(to: file)
        #expect(try Configuration.load(contentsOf: file.path).intention.at == [time(7, 15)])
        #expect(try Configuration.loadIfPresent(contentsOf: file.path)?.intention.at == [time(7, 15)])

        try Data("\n\n[review]\nat = \"someday\"\n".utf8).write(to: file)
        do {
            _ = try Configuration.load(contentsOf: file.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(file.path):4: review.at: "))
        }
    }

    @Test func textThatIsNotUTF8IsRefusedWithItsLine() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("latin1.toml")
        try Data([0x23, 0x20, 0x6F, 0x6B, 0x0A, 0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: file)
        do {
            _ = try Configuration.load(contentsOf: file.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2 && error.message.contains("not UTF-8"))
        }
    }

    @Test func oversizedFilesAreRefused() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.toml")
        try Data(repeating: 0x23, count: Configuration.maximumFileSize + 1).write(to: file)
        #expect(throws: ConfigError.self) { try Configuration.load(contentsOf: file.path) }
    }
}

// MARK: - Finding lines

/// The lines messages give come from the TOML reader's positions (ConfigPositions).
@Suite struct ConfigPositionsTests {
    private func positions(_ text: String) -> ConfigPositions {
        ConfigPositions((try? TOMLParser.parse(text)) ?? TOMLMap(entries: [], index: [:]))
    }

    /// Where `path` (as messages display it: `custom[2].name`, `break."odd key"`) is written.
    private func line(_ text: String, _ path: String) -> Int? {
        positions(text).writtenLine(of: Self.path(path))
    }

    /// The key path a message displays as `display`.
    static func path(_ display: String) -> ConfigKeyPath {
        var path = ConfigKeyPath.root
        var word = ""
        var quoted = false
        var index: Int?
        func flush() {
            if !word.isEmpty { path = path.appending(word) }
            word = ""
        }
        for character in display {
            if quoted {
                if character == "\"" { quoted = false } else { word.append(character) }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ".": flush()
            case "[":
                flush()
                index = 0
            case "]":
                path = path.appending(index: index ?? 0)
                index = nil
            default:
                if let digits = index, let digit = character.wholeNumberValue {
                    index = digits * 10 + digit
                } else {
                    word.append(character)
                }
            }
        }
        flush()
        return path
    }

    @Test func theSameKeyInTwoTables() {
        let text = """
            timezone = "local"
            [intention]
            at = "08:00"

            [reflection]
            # at = "20:00"
            at = "21:00"
            """
        #expect(line(text, "intention.at") == 3)
        #expect(line(text, "reflection.at") == 7)
        #expect(line(text, "timezone") == 1)
        #expect(line(text, "reflection") == 5)
    }

    @Test func arraysOfTablesAreCountedFromOne() {
        let text = """
            [[custom]]
            name = "a"

            [[prompt]]
            slot = "a"
              [[custom]]   # indented, with a comment
            name = "b"
            at = "10:00"
            [[prompt]]
            slot = "b"
            """
        #expect(line(text, "custom[1].name") == 2)
        #expect(line(text, "custom[2]") == 6)
        #expect(line(text, "custom[2].name") == 7)
        #expect(line(text, "prompt[2].slot") == 10)
        #expect(line(text, "custom") == 1)
        #expect(
            positions(text).line(
                for: ConfigKeyPath.root.appending("custom").appending(index: 2)
                    .appending("text")) == 6)
    }

    @Test func multiLineValuesHideWhatLooksLikeKeys() {
        let text = """
            [[prompt]]
            text = \"\"\"
            at = "not a key"
            [intention]
            \"\"\"
            slot = "x"
            list = [
              "a", # comment with ] and "
              'b]',
            ]
            literal = '''
            [nudge]
            '''
            [intention]
            at = "08:00" # trailing comment
            """
        #expect(line(text, "prompt[1].slot") == 6)
        #expect(line(text, "prompt[1].list") == 7)
        #expect(line(text, "prompt[1].literal") == 11)
        #expect(line(text, "prompt[1].at") == nil)
        #expect(line(text, "nudge") == nil)
        #expect(line(text, "intention") == 14)
        #expect(line(text, "intention.at") == 15)
    }

    @Test func dottedAndQuotedKeys() {
        let text = """
            intention.at = "08:00"
            "nudge" . 'window' = "10:00-16:00"
            [ "break" ]
            "odd key" = 1
            "esc\\u0061ped" = 2
            [program.sub]
            x = 1
            """
        #expect(line(text, "intention.at") == 1)
        #expect(line(text, "intention") == 1)
        #expect(line(text, "nudge.window") == 2)
        #expect(line(text, "break") == 3)
        #expect(line(text, "break.\"odd key\"") == 4)
        #expect(line(text, "break.escaped") == 5)
        #expect(line(text, "program.sub.x") == 7)
    }

    @Test func fallsBackToTheEnclosingTableThenNil() {
        let map = positions("[intention]\nat = \"08:00\"\n")
        #expect(map.line(for: ConfigKeyPath.root.appending("intention").appending("days")) == 1)
        #expect(map.line(for: ConfigKeyPath.root.appending("intention").appending("at").appending(index: 3)) == 2)
        #expect(map.line(for: ConfigKeyPath.root.appending("review").appending("at")) == nil)
        #expect(map.line(for: .root) == nil)
    }

    @Test func windowsLineEndingsAndEmptyInput() {
        #expect(line("[intention]\r\n\r\nat = \"08:00\"\r\n", "intention.at") == 3)
        #expect(positions("").line(for: Self.path("intention")) == nil)
        #expect(line("a = [1]\n", "a[2]") == nil && line("a = []\n", "a[1]") == nil)
    }

    /// Unlike the text scan it replaces, the reader places each entry of a list on its own line.
    @Test func listEntriesHaveTheirOwnLines() {
        let text = "[intention]\nat = [\n  \"08:00\",\n  \"13:00\",\n]\n[[custom]]\nname = \"a\"\n"
        #expect(line(text, "intention.at") == 2)
        #expect(line(text, "intention.at[1]") == 3)
        #expect(line(text, "intention.at[2]") == 4)
        #expect(line(text, "custom[1]") == 6)
        #expect(line(text, "custom[1].name") == 7)
    }
}
