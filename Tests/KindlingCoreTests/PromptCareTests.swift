import Foundation
import Testing

@testable import KindlingCore

/// The practice's own questions first, a gentle day when energy is low, the once-a-week
/// affirmation, and a quote of the intention that reads well whatever it says.
@Suite struct PromptCareTests {
    /// Monday 2026-11-16.
    static let monday = LocalDate(year: 2026, month: 11, day: 16)

    static func compose(
        _ slot: String, on day: LocalDate, _ config: Configuration = .defaults, position: ProgramPosition? = nil,
        intention: String? = nil, lowEnergy: Bool = false, firstOfDay: Bool = true
    ) -> ComposedPrompt {
        PromptComposer.compose(
            slot: slot, configuration: config, position: position, todaysIntention: intention, recentKeys: [],
            seed: PromptRotation.seed(for: day, slot: slot), day: day, lowEnergy: lowEnergy, firstOfDay: firstOfDay)
    }

    static var noAffirmations: Configuration {
        var config = Configuration.defaults
        config.affirmations = false
        return config
    }

    // MARK: - The practice's own questions

    @Test(arguments: ["intention", "reflection"])
    func theOwnQuestionComesOnFiveDaysOfEveryWeekAndVarietyOnTwo(slot: String) {
        let seeds = Set((slot == "intention" ? PromptCatalog.seedIntentions : PromptCatalog.seedReflections).map(\.key))
        for week in 0..<8 {
            var own = 0
            for offset in 0..<7 {
                let day = Self.monday.adding(days: 7 * week + offset)
                let composed = Self.compose(slot, on: day, Self.noAffirmations)
                if seeds.contains(composed.key) {
                    own += 1
                    #expect(!PromptComposer.isVarietyDay(day), "\(day)")
                } else {
                    #expect(PromptComposer.isVarietyDay(day), "\(day) drew \(composed.key)")
                    #expect(PromptCatalog.builtin(for: slot).contains { $0.key == composed.key })
                }
            }
            #expect(own == 5, "week \(week)")
        }
    }

    @Test func theOwnQuestionsAskWhatThePracticeAsks() {
        // Morning: whom to encourage, or how to show kindness. Evening: kindness given or
        // received, and its effect on mood and energy.
        #expect(PromptCatalog.seedIntentions.contains { $0.text.contains("encourage") })
        #expect(PromptCatalog.seedIntentions.allSatisfy { $0.text.lowercased().contains("kindness") })
        for prompt in PromptCatalog.seedReflections {
            let text = prompt.text.lowercased()
            #expect(text.contains("given") || text.contains("give"), "\(prompt.key)")
            #expect(text.contains("receive"), "\(prompt.key)")
            #expect(text.contains("mood") && text.contains("energy"), "\(prompt.key)")
        }
        // The two wordings take turns: both are heard within a week.
        let heard = Set((0..<7).map { Self.compose("intention", on: Self.monday.adding(days: $0)).key })
        #expect(heard.isSuperset(of: PromptCatalog.seedIntentions.map(\.key)))
    }

    @Test func theOwnQuestionIsTheSameForTheSameDay() {
        let day = Self.monday.adding(days: 3)
        #expect(Self.compose("intention", on: day) == Self.compose("intention", on: day))
    }

    @Test func withoutADayOrWithOwnPromptsOnlyThereIsNoOwnQuestion() {
        let tuesday = Self.monday.adding(days: 1)
        var config = Configuration.defaults
        config.intention.builtinPrompts = false
        config.prompts = [UserPrompt(slot: "intention", text: "What would make today gentler?")]
        #expect(Self.compose("intention", on: tuesday, config).text == "What would make today gentler?")
        let undated = PromptComposer.compose(
            slot: "intention", configuration: .defaults, position: nil, todaysIntention: nil, recentKeys: [], seed: 3)
        #expect(!PromptCatalog.seedIntentions.contains { $0.key == undated.key })
    }

    @Test func aRunningProgramNamesItsFocusAfterTheOwnQuestion() {
        // Four weeks of the widening circle (the default program): the morning still asks the
        // practice's own question on five days of seven, with the week's focus after it; the
        // two variety days and every nudge carry the week's own prompts.
        for offset in 0..<28 {
            let day = Self.monday.adding(days: offset)
            let position = ProgramTests.position(.wideningCircle, before: offset)!
            let week = offset / 7 + 1
            let morning = Self.compose("intention", on: day, position: position)
            #expect(morning.programDay == offset + 1, "\(day)")
            if PromptComposer.isVarietyDay(day) {
                #expect(morning.key.hasPrefix("program.widening-circle.w\(week).intention."), "\(day): \(morning.key)")
            } else {
                let own = PromptComposer.seedQuestion(for: "intention", on: day)!
                #expect(morning.key == own.key, "\(day): \(morning.key)")
                #expect(morning.text == own.text + " This week's focus: \(position.theme).", "\(day): \(morning.text)")
            }
            let nudge = Self.compose("nudge", on: day, position: position)
            #expect(nudge.key.hasPrefix("program.widening-circle.w\(week).nudge."), "\(day): \(nudge.key)")
        }
        // The five-day reset steps by day: "Today's focus".
        let reset = ProgramTests.position(.fiveDayReset, before: 0)!
        let morning = Self.compose("intention", on: Self.monday, position: reset)
        #expect(morning.text.hasSuffix(" Today's focus: \(reset.theme)."), "\(morning.text)")
    }

    // MARK: - A day with little energy

    @Test func lowEnergyTurnsTheNudgeAndTheReflectionGentle() {
        let gentleNudges = Set(PromptCatalog.gentleNudges.map(\.key))
        let gentleReflections = Set(PromptCatalog.gentleReflections.map(\.key))
        let program = ProgramTests.position(.fiveDayReset, before: 1)!
        for offset in 0..<14 {
            let day = Self.monday.adding(days: offset)
            // Even while a program runs, the low day's nudge is a gentle one.
            let nudge = Self.compose("nudge", on: day, position: program, lowEnergy: true)
            #expect(gentleNudges.contains(nudge.key), "\(day): \(nudge.key)")
            #expect(nudge.programDay == nil)
            let reflection = Self.compose("reflection", on: day, Self.noAffirmations, lowEnergy: true)
            #expect(gentleReflections.contains(reflection.key), "\(day): \(reflection.key)")
            // Without the low energy, neither comes from the gentle sets.
            #expect(!gentleNudges.contains(Self.compose("nudge", on: day, position: program).key))
            #expect(!gentleReflections.contains(Self.compose("reflection", on: day).key))
            // The morning is left as it is.
            #expect(
                Self.compose("intention", on: day, lowEnergy: true) == Self.compose("intention", on: day))
        }
    }

    @Test func aGentleReflectionStillQuotesTheMorning() {
        let composed = Self.compose("reflection", on: Self.monday, intention: "rest", lowEnergy: true)
        #expect(composed.text.hasPrefix("This morning you set an intention: “rest”. "))
    }

    @Test func lowEnergyRespectsOwnPromptsOnly() {
        var config = Configuration.defaults
        config.nudge.builtinPrompts = false
        config.prompts = [UserPrompt(slot: "nudge", text: "Stretch your hands.")]
        #expect(Self.compose("nudge", on: Self.monday, config, lowEnergy: true).text == "Stretch your hands.")
    }

    @Test func onlyEnergyOneOrTwoIsLow() {
        #expect(PromptComposer.isLowEnergy(1))
        #expect(PromptComposer.isLowEnergy(2))
        #expect(!PromptComposer.isLowEnergy(3))
        #expect(!PromptComposer.isLowEnergy(5))
        #expect(!PromptComposer.isLowEnergy(nil))
    }

    // MARK: - The affirmation

    static func affirmed(_ text: String) -> Bool {
        PromptCatalog.affirmations.contains { text.hasSuffix(" " + $0) }
    }

    @Test func theAffirmationComesOnExactlyOneDayOfEveryISOWeek() {
        // Three years of weeks.
        for week in 0..<156 {
            let days = (0..<7).map { Self.monday.adding(days: 7 * week + $0) }
            let affirmed = days.filter { Self.affirmed(Self.compose("reflection", on: $0).text) }
            #expect(affirmed.count == 1, "week of \(days[0]): \(affirmed)")
            #expect(days.filter(PromptComposer.isAffirmationDay).count == 1)
        }
    }

    @Test func theAffirmationGoesOnlyWithTheDaysFirstReflection() throws {
        let day = try #require((0..<7).map { Self.monday.adding(days: $0) }.first(where: PromptComposer.isAffirmationDay))
        let first = Self.compose("reflection", on: day, intention: "call my sister")
        #expect(Self.affirmed(first.text))
        #expect(first.text.hasPrefix("This morning you set an intention: “call my sister”. "))
        #expect(!Self.affirmed(Self.compose("reflection", on: day, firstOfDay: false).text))
        for slot in ["intention", "nudge", "review", "break"] {
            #expect(!Self.affirmed(Self.compose(slot, on: day).text), "\(slot)")
        }
    }

    @Test func affirmationsOffMeansNever() {
        for offset in 0..<70 {
            let day = Self.monday.adding(days: offset)
            for low in [false, true] {
                #expect(!Self.affirmed(Self.compose("reflection", on: day, Self.noAffirmations, lowEnergy: low).text))
            }
        }
    }

    @Test func affirmationsAreOnByDefaultAndOneKeyTurnsThemOff() throws {
        #expect(Configuration.defaults.affirmations)
        #expect(try Configuration.parse("affirmations = false\n", file: "config.toml").affirmations == false)
        #expect(throws: ConfigError.self) { try Configuration.parse("affirmations = \"sometimes\"\n", file: "config.toml") }
    }

    // MARK: - Tone of the new sets

    @Test func theNewSetsKeepTheCatalogsRules() {
        let sets = [
            PromptCatalog.seedIntentions, PromptCatalog.seedReflections, PromptCatalog.gentleNudges,
            PromptCatalog.gentleReflections,
        ]
        var keys = Set(Configuration.builtinSlotNames.flatMap { PromptCatalog.builtin(for: $0).map(\.key) })
        for prompt in sets.flatMap({ $0 }) {
            #expect(keys.insert(prompt.key).inserted, "\(prompt.key) is used twice")
        }
        let texts = sets.flatMap { $0.map(\.text) } + PromptCatalog.affirmations
        for text in texts {
            #expect(!text.contains("!") && text.count <= 160, "\(text)")
            for word in PromptCatalogTests.forbidden {
                #expect(!PromptCatalogTests.words(text).contains(" \(word) "), "\(text)")
            }
        }
        for prompt in PromptCatalog.gentleNudges { #expect(prompt.text.lowercased().contains("notice"), "\(prompt.key)") }
        for prompt in PromptCatalog.seedIntentions + PromptCatalog.seedReflections + PromptCatalog.gentleReflections {
            #expect(prompt.text.hasSuffix("?"), "\(prompt.key)")
        }
    }

    // MARK: - Quoting the intention

    @Test(arguments: ["my sister", "be patient", "call Sam?", "rest", "🌱"])
    func theQuoteNamesTheIntentionWhateverItSays(intention: String) {
        let composed = Self.compose("reflection", on: Self.monday, Self.noAffirmations, intention: intention)
        #expect(composed.text.hasPrefix("This morning you set an intention: “\(intention)”. "))
        #expect(!composed.text.contains("meant to"))
    }

    @Test func requotingUnderstandsTodaysWordsAndEarlierOnes() {
        let question = "What kindness did you give today?"
        for opener in ["This morning you set an intention: ", "This morning you meant to: "] {
            let prompt = opener + "“my sister”. " + question
            #expect(PromptComposer.quotes(prompt, intention: "my sister"))
            #expect(
                PromptComposer.requoting(prompt, intention: "my sister", replacement: "my brother")
                    == "This morning you set an intention: “my brother”. " + question)
            #expect(PromptComposer.requoting(prompt, intention: "my sister", replacement: nil) == question)
        }
        #expect(PromptComposer.requoting(question, intention: "my sister", replacement: nil) == nil)
    }
}
