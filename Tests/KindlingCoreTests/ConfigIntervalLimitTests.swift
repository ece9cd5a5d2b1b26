import Testing

@testable import KindlingCore

/// Issue 18, case 16: `[break] every = "1s"` was accepted (86,400 prompts a day). Every
/// interval-like setting has a floor, and going under it is refused in one line that names
/// the key and the shortest value allowed.
@Suite struct ConfigIntervalLimitTests {
    struct TooShort: CustomTestStringConvertible, Sendable {
        var toml: String
        var line: Int
        var key: String
        var says: String
        var testDescription: String { "\(key): \(toml.debugDescription)" }
    }

    @Test(arguments: [
        TooShort(
            toml: "[break]\nenabled = true\nevery = \"1s\"\n", line: 3, key: "break.every",
            says: "\"1s\" is too short; the shortest allowed is \"5m\""),
        TooShort(
            toml: "[break]\nevery = \"4m59s\"\n", line: 2, key: "break.every",
            says: "\"4m59s\" is too short; the shortest allowed is \"5m\""),
        TooShort(
            toml: "[intention]\nvalid_for = \"10s\"\n", line: 2, key: "intention.valid_for",
            says: "\"10s\" is too short; the shortest allowed is \"1m\""),
        TooShort(
            toml: "[[custom]]\nname = \"w\"\nat = \"10:00\"\ntext = \"x\"\nvalid_for = \"5s\"\n", line: 5,
            key: "custom[1].valid_for", says: "the shortest allowed is \"1m\""),
        TooShort(
            toml: "[intention]\nat = \"08:00\"\nanswer_until = \"08:00:30\"\n", line: 3, key: "intention.answer_until",
            says: "closes the 08:00 prompt 30 seconds after it comes; leave it open at least a minute"),
        TooShort(
            toml: "[reflection]\nat = [\"21:00\", \"22:00\"]\nanswer_until = \"22:00:10\"\n", line: 3,
            key: "reflection.answer_until", says: "closes the 22:00 prompt 10 seconds after it comes"),
        TooShort(
            toml: "[intention]\nat = \"11:59:30\"\n", line: 2, key: "intention.at",
            says: "answer_until \"12:00\" closes the 11:59:30 prompt 30 seconds after it comes"),
        TooShort(
            toml: "[review]\nat = \"sun 19:00\"\nanswer_until = \"19:00:05\"\n", line: 3, key: "review.answer_until",
            says: "closes the 19:00 prompt 5 seconds after it comes"),
        TooShort(
            toml: "[break]\nevery = \"1h\"\nduring = \"09:00-17:00\"\nanswer_until = \"10:00:20\"\n", line: 4,
            key: "break.answer_until", says: "closes the 10:00 prompt 20 seconds after it comes"),
        TooShort(
            toml: "[[custom]]\nname = \"w\"\nat = [\"10:00\", \"15:00\"]\ntext = \"x\"\nanswer_until = \"15:00:59\"\n",
            line: 5, key: "custom[1].answer_until", says: "closes the 15:00 prompt 59 seconds after it comes"),
    ])
    func tooShortIntervalsAreRefused(_ bad: TooShort) throws {
        let problems = Configuration.diagnose(bad.toml, file: "config.toml")
        #expect(problems.count == 1, "\(problems)")
        let error = try #require(problems.first)
        #expect(error.line == bad.line && error.key == bad.key, "\(error)")
        #expect(error.message.contains(bad.says), "\(error)")
        #expect(error.description.hasPrefix("config.toml:\(bad.line): \(bad.key): ") && !error.description.contains("\n"))
    }

    @Test func theShortestAllowedValuesAreAccepted() throws {
        let config = try Configuration.parse(
            """
            [intention]
            at = ["08:00", "09:00"]
            answer_until = "09:01"
            [review]
            valid_for = "1m"
            [break]
            enabled = true
            every = "5m"
            [delivery]
            snooze = "1m"
            [[custom]]
            name = "w"
            at = "10:00"
            text = "x"
            answer_until = "09:59"
            """, file: "config.toml")
        #expect(config.breaks.every == .minutes(5) && config.delivery.snooze == .minutes(1))
        #expect(config.review.validity == .for(.minutes(1)))
        #expect(config.intention.validity == .until(TimeOfDay(validHour: 9, minute: 1, second: 0)))
    }

    /// A snooze brings a prompt back once, after someone snoozed it: seconds are allowed (the
    /// desktop notification tests snooze for 3 s).
    @Test func aShortSnoozeIsAllowed() throws {
        #expect(
            try Configuration.parse("[delivery]\nsnooze = \"3s\"\n", file: "c.toml").delivery.snooze == ConfigDuration(seconds: 3)
        )
    }

    /// The floors hold for the documented defaults, which sit well above them.
    @Test func theDefaultsAreAboveTheFloors() {
        let defaults = Configuration.defaults
        #expect(defaults.breaks.every >= ConfigIntervalLimits.breakEvery)
        #expect(defaults.breaks.effectiveValidity == .for(defaults.breaks.every))
        #expect(Configuration.diagnose(Configuration.defaultTOML, file: "kindling.toml").isEmpty)
    }
}
