import Foundation
import Testing

@testable import KindlingCore

/// Issue 18, case 16: `[break] every = "1s"` was accepted (86,400 prompts a day). How often
/// prompts come has a floor (and the whole day a cap), refused in one line that names the key
/// and the shortest value allowed. How long they last does not (see ConfigIntervalLimits).
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
    ])
    func tooShortIntervalsAreRefused(_ bad: TooShort) throws {
        let problems = Configuration.diagnose(bad.toml, file: "config.toml")
        #expect(problems.count == 1, "\(problems)")
        let error = try #require(problems.first)
        #expect(error.line == bad.line && error.key == bad.key, "\(error)")
        #expect(error.message.contains(bad.says), "\(error)")
        #expect(error.description.hasPrefix("config.toml:\(bad.line): \(bad.key): ") && !error.description.contains("\n"))
    }

    @Test func theShortestAllowedBreakIsAccepted() throws {
        let config = try Configuration.parse("[break]\nenabled = true\nevery = \"5m\"\n", file: "config.toml")
        #expect(config.breaks.every == .minutes(5))
    }

    /// Floors on each interval still let many slots add up: 96 custom slots of 96 times each
    /// would be 9,216 prompts a day. The whole day is capped too.
    @Test func tooManyPromptsADayAreRefused() throws {
        let times = (0..<96).map { "\"\(String(format: "%02d:%02d", $0 / 4, $0 % 4 * 15))\"" }.joined(separator: ", ")
        let customs = (0..<4).map { "[[custom]]\nname = \"c\($0)\"\nat = [\(times)]\ntext = \"x\"\n" }.joined()
        let problems = Configuration.diagnose(customs, file: "config.toml")
        #expect(problems.count == 1, "\(problems)")
        let error = try #require(problems.first)
        #expect(error.key == nil, "\(error)")
        #expect(
            error.description
                == "config.toml: these settings bring up to 388 prompts on one day; at most 300 are allowed, so turn some slots off or give them fewer times"
        )
    }

    @Test func aBreakEveryFiveMinutesAllDayStillFits() throws {
        let config = try Configuration.parse(
            "[break]\nenabled = true\nevery = \"5m\"\nduring = \"00:00-23:59:59\"\ndays = \"daily\"\n", file: "c.toml")
        #expect(ConfigReader.breakTimes(config.breaks).count == 287)
    }

    /// A snooze brings a prompt back once, after someone snoozed it, and a prompt lapses once:
    /// seconds are allowed (the end-to-end tests snooze for 3 s and let a prompt lapse after 1 s).
    @Test func shortSnoozesAndValidityAreAllowed() throws {
        let config = try Configuration.parse(
            "[delivery]\nsnooze = \"3s\"\n[[custom]]\nname = \"w\"\nat = \"10:00\"\ntext = \"x\"\nvalid_for = \"1s\"\n",
            file: "c.toml")
        #expect(config.delivery.snooze == ConfigDuration(seconds: 3))
        #expect(config.customs.first?.validity == .for(ConfigDuration(seconds: 1)!))
    }

    /// The floors hold for the documented defaults, which sit well above them.
    @Test func theDefaultsAreAboveTheFloors() {
        let defaults = Configuration.defaults
        #expect(defaults.breaks.every >= ConfigIntervalLimits.breakEvery)
        #expect(defaults.breaks.effectiveValidity == .for(defaults.breaks.every))
        #expect(Configuration.diagnose(Configuration.defaultTOML, file: "kindling.toml").isEmpty)
    }
}
