import Testing

@testable import KindlingCore

/// `[delivery] discreet`, channel by channel, and what each channel may say with the screen
/// locked or not.
@Suite struct DiscretionTests {
    // MARK: - The decision

    /// Every channel, every setting, locked and unlocked, written out by hand.
    static let table: [(setting: Discretion, locked: Bool, showsText: Bool)] = [
        (.never, false, true), (.never, true, true),
        (.always, false, false), (.always, true, false),
        (.whenLocked, false, true), (.whenLocked, true, false),
    ]

    @Test(arguments: DiscreetSettings.Channel.allCases)
    func eachChannelFollowsItsOwnSetting(_ channel: DiscreetSettings.Channel) {
        for row in Self.table {
            var settings = DiscreetSettings()
            settings[channel] = row.setting
            #expect(
                settings.showsText(on: channel, screenLocked: row.locked) == row.showsText,
                "\(channel) with \(row.setting), locked: \(row.locked)")
            // The other channel is left as it was: never discreet.
            for other in DiscreetSettings.Channel.allCases where other != channel {
                #expect(settings.showsText(on: other, screenLocked: row.locked))
            }
        }
    }

    @Test func aDesktopThatFollowsTheLockBesideAHookThatNeverShowsText() {
        let settings = DiscreetSettings(desktop: .whenLocked, hook: .always)
        #expect(settings.showsText(on: .desktop, screenLocked: false))
        #expect(!settings.showsText(on: .desktop, screenLocked: true))
        #expect(!settings.showsText(on: .hook, screenLocked: false))
        #expect(!settings.showsText(on: .hook, screenLocked: true))
        #expect(settings.followsLock)
        #expect(!DiscreetSettings(all: .always).followsLock && !DiscreetSettings().followsLock)
    }

    @Test func aDiscreetHookNamesACustomSlotOnlyAsCustom() {
        #expect(DiscreetSettings.hookSlotName("water", showsText: false) == "custom")
        #expect(DiscreetSettings.hookSlotName("water", showsText: true) == "water")
        for builtin in Configuration.builtinSlotNames {
            #expect(DiscreetSettings.hookSlotName(builtin, showsText: false) == builtin)
        }
    }

    // MARK: - Reading the config

    private func delivery(_ toml: String) throws -> DeliverySettings {
        try Configuration.parse("[delivery]\n" + toml, file: "config.toml").delivery
    }

    @Test func offStaysTheDefault() throws {
        #expect(Configuration.defaults.delivery.discretion == DiscreetSettings(desktop: .never, hook: .never))
        #expect(try delivery("").discretion == DiscreetSettings(all: .never))
    }

    @Test func oneValueSetsEveryChannel() throws {
        #expect(try delivery("discreet = true\n").discretion == DiscreetSettings(desktop: .always, hook: .always))
        #expect(try delivery("discreet = true\n").discreet)
        #expect(try delivery("discreet = false\n").discretion == DiscreetSettings(desktop: .never, hook: .never))
        let locked = try delivery("discreet = \"when-locked\"\n")
        #expect(locked.discretion == DiscreetSettings(desktop: .whenLocked, hook: .whenLocked))
        #expect(!locked.discreet, "\"when-locked\" is not discreet everywhere, always")
    }

    @Test func aTableSetsEachChannelAndLeavesTheRestOff() throws {
        #expect(
            try delivery("discreet = { desktop = \"when-locked\", hook = true }\n").discretion
                == DiscreetSettings(desktop: .whenLocked, hook: .always))
        #expect(try delivery("discreet = { hook = true }\n").discretion == DiscreetSettings(desktop: .never, hook: .always))
        let subtable = try Configuration.parse(
            "[delivery]\ndesktop = true\n\n[delivery.discreet]\ndesktop = \"when-locked\"\n", file: "config.toml")
        #expect(subtable.delivery.discretion == DiscreetSettings(desktop: .whenLocked, hook: .never))
    }

    static let badValues: [(toml: String, line: Int, key: String, says: String)] = [
        ("discreet = \"sometimes\"", 3, "delivery.discreet", "must be true, false, \"when-locked\", or a table like"),
        ("discreet = 1", 3, "delivery.discreet", "not the number 1"),
        ("discreet = \"true\"", 3, "delivery.discreet", "not the text \"true\""),
        ("discreet = \"when_locked\"", 3, "delivery.discreet", "write \"when-locked\" (lowercase, with a hyphen)"),
        ("discreet = { hook = \"When Locked\" }", 3, "delivery.discreet.hook", "write \"when-locked\""),
        ("discreet = { desktop = \"maybe\" }", 3, "delivery.discreet.desktop", "must be true, false or \"when-locked\""),
        ("discreet = { phone = true }", 3, "delivery.discreet.phone", "is not a setting of [delivery.discreet]"),
        ("discreet = { hokk = true }", 3, "delivery.discreet.hokk", "did you mean \"hook\"?"),
    ]

    @Test func aBadValueIsOneLineNamingFileLineAndKey() {
        for bad in Self.badValues {
            let toml = "[delivery]\ndesktop = true\n\(bad.toml)\n"
            let failure: ConfigError?
            do {
                _ = try Configuration.parse(toml, file: "config.toml")
                failure = nil
            } catch {
                failure = error
            }
            guard let error = failure else {
                Issue.record("\(bad.toml) was accepted")
                continue
            }
            #expect(error.file == "config.toml" && error.line == bad.line && error.key == bad.key, "\(error)")
            #expect(error.message.contains(bad.says), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    // MARK: - The reflection's quote

    @Test func theReflectionQuotesTheIntentionUnlessEveryChannelIsAlwaysDiscreet() {
        var config = Configuration.defaults
        func reflection() -> String {
            PromptComposer.compose(
                slot: "reflection", configuration: config, position: nil, todaysIntention: "text Sam", recentKeys: [],
                seed: 3
            ).text
        }
        // A channel that follows the lock shows the text only while unlocked: the quote may stay.
        config.delivery.discretion = DiscreetSettings(desktop: .whenLocked, hook: .always)
        #expect(reflection().contains("text Sam"))
        config.delivery.discretion = DiscreetSettings(all: .always)
        #expect(!reflection().contains("Sam"))
    }
}
