import Foundation
import Testing

@testable import KindlingCore

// MARK: - The catalog

@Suite struct PromptCatalogTests {
    /// Guilt words, matched as whole words ("shoulders" is fine, "should" is not).
    static let forbidden = [
        "should", "shouldn't", "must", "mustn't", "failed", "fail", "streak", "streaks", "lazy", "don't forget",
        "do not forget", "you need to", "have to", "fallen behind",
    ]

    /// `text` in lower case with every run of characters other than letters and
    /// apostrophes turned into one space, and a space at each end.
    static func words(_ text: String) -> String {
        var out = " "
        for ch in text.lowercased().replacingOccurrences(of: "’", with: "'") {
            if ch.isLetter || ch == "'" {
                out.append(ch)
            } else if out.last != " " {
                out.append(" ")
            }
        }
        return out.last == " " ? out : out + " "
    }

    /// Every text the practice content can show: the catalog, every program step, and
    /// the texts the engine writes itself.
    static var everyText: [(key: String, text: String)] {
        var all = Configuration.builtinSlotNames.flatMap { PromptCatalog.builtin(for: $0) }
        for program in [ProgramChoice.wideningCircle, .fiveDayReset] {
            for part in 1...program.length {
                for slot in ["intention", "nudge"] {
                    all += ProgramEngine.stepPrompts(program: program, part: part, slot: slot) ?? []
                }
            }
        }
        var pairs = all.map { (key: $0.key, text: $0.text) }
        pairs.append((key: "discreet", text: PromptComposer.discreetText(for: "intention")))
        pairs.append((key: "fallback", text: PromptRotation.fallback.text))
        for program in [ProgramChoice.wideningCircle, .fiveDayReset] {
            let done = ProgramEngine.position(settings: settings(program), practisedDaysBefore: 1000)!
            pairs.append((key: "complete.\(program)", text: done.description))
        }
        return pairs
    }

    @Test func theGuiltWordCheckMatchesWholeWords() {
        #expect(Self.words("You SHOULD rest!").contains(" should "))
        #expect(Self.words("Don’t forget to drink.").contains(" don't forget "))
        #expect(!Self.words("Drop your shoulders.").contains(" should "))
    }

    @Test(arguments: Configuration.builtinSlotNames)
    func everyBuiltinSlotHasAtLeastFourteenPrompts(slot: String) {
        #expect(PromptCatalog.builtin(for: slot).count >= 14)
    }

    @Test func keysAreUniqueAndStartWithTheirSlot() {
        var seen = Set<String>()
        for slot in Configuration.builtinSlotNames {
            for prompt in PromptCatalog.builtin(for: slot) {
                #expect(prompt.key.hasPrefix(slot + "."), "\(prompt.key)")
                #expect(prompt.key.count > slot.count + 1)
                #expect(seen.insert(prompt.key).inserted, "duplicate key \(prompt.key)")
            }
        }
        let texts = Configuration.builtinSlotNames.flatMap { PromptCatalog.builtin(for: $0).map(\.text) }
        #expect(Set(texts).count == texts.count, "a text appears twice")
    }

    @Test func theToneStaysGentle() {
        for (key, text) in Self.everyText {
            let words = Self.words(text)
            for word in Self.forbidden {
                #expect(!words.contains(" \(word) "), "\(key) contains \"\(word)\": \(text)")
            }
            #expect(!text.contains("!"), "\(key) has an exclamation mark")
            #expect(text.count <= 160, "\(key) is \(text.count) characters")
            #expect(!text.isEmpty && text == text.trimmingWhitespace, "\(key)")
            #expect(!text.contains("  "), "\(key) has a double space")
        }
    }

    @Test func intentionsAreOneOpenQuestion() {
        let intentions =
            PromptCatalog.builtin(for: "intention")
            + [ProgramChoice.wideningCircle, .fiveDayReset].flatMap { program in
                (1...program.length).flatMap {
                    ProgramEngine.stepPrompts(program: program, part: $0, slot: "intention")!
                }
            }
        for prompt in intentions {
            #expect(prompt.text.hasSuffix("?"), "\(prompt.key)")
            #expect(prompt.text.filter { $0 == "?" }.count == 1, "\(prompt.key)")
        }
    }

    @Test func nudgesInviteNoticing() {
        let nudges =
            PromptCatalog.builtin(for: "nudge")
            + [ProgramChoice.wideningCircle, .fiveDayReset].flatMap { program in
                (1...program.length).flatMap { ProgramEngine.stepPrompts(program: program, part: $0, slot: "nudge")! }
            }
        for prompt in nudges {
            #expect(prompt.text.lowercased().contains("notice"), "\(prompt.key)")
        }
    }

    @Test func reflectionsAndReviewsAreQuestions() {
        for prompt in PromptCatalog.builtin(for: "reflection") + PromptCatalog.builtin(for: "review") {
            #expect(prompt.text.hasSuffix("?"), "\(prompt.key)")
        }
    }

    @Test func breaksAreShort() {
        for prompt in PromptCatalog.builtin(for: "break") {
            #expect(prompt.text.count <= 90, "\(prompt.key)")
        }
    }

    @Test func customAndUnknownSlotsHaveNoBuiltins() {
        #expect(PromptCatalog.builtin(for: "water").isEmpty)
        #expect(PromptCatalog.builtin(for: "").isEmpty)
    }

    static func settings(_ program: ProgramChoice, skip: [Int] = []) -> ProgramSettings {
        var settings = ProgramSettings()
        settings.name = program
        settings.skip = skip
        return settings
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

// MARK: - Rotation

@Suite struct PromptRotationTests {
    static let fourteen = (1...14).map { Prompt(key: "k\($0)", text: "Prompt \($0)") }

    /// Runs the rotation `count` times, feeding each choice back, with a fresh seed a
    /// day as the daemon does. `historyLimit` keeps only that many recent keys.
    static func run(
        _ candidates: [Prompt], count: Int, seed: UInt64, history start: [String] = [], historyLimit: Int? = nil
    ) -> [String] {
        var recent = start
        var chosen: [String] = []
        for day in 0..<count {
            let passed = historyLimit.map { Array(recent.prefix($0)) } ?? recent
            let pick = PromptRotation.choose(from: candidates, recentKeys: passed, seed: seed &+ UInt64(day))
            chosen.append(pick.key)
            recent.insert(pick.key, at: 0)
        }
        return chosen
    }

    @Test func fourteenConsecutiveChoicesAreAllDifferent() {
        for seed in UInt64(0)..<300 {
            let keys = Self.run(Self.fourteen, count: 14, seed: seed &* 0x9E37_79B9)
            #expect(Set(keys).count == 14, "seed \(seed): \(keys)")
        }
    }

    @Test(arguments: [nil, 42, 28] as [Int?])
    func everyCycleShowsEachPromptOnceAndNeverRepeatsTheLast(historyLimit: Int?) {
        for seed in UInt64(0)..<60 {
            let keys = Self.run(Self.fourteen, count: 14 * 8, seed: seed << 20, historyLimit: historyLimit)
            for cycle in 0..<8 {
                let block = keys[(cycle * 14)..<((cycle + 1) * 14)]
                #expect(Set(block).count == 14, "seed \(seed), cycle \(cycle): \(Array(block))")
            }
            for (a, b) in zip(keys, keys.dropFirst()) {
                #expect(a != b, "seed \(seed): \(a) twice in a row")
            }
        }
    }

    @Test func aNewCycleNeverOpensWithTheLastPrompt() {
        let cycle = Self.fourteen.map(\.key).reversed()  // most recent first: k14 was shown last
        for seed in UInt64(0)..<500 {
            let pick = PromptRotation.choose(from: Self.fourteen, recentKeys: Array(cycle), seed: seed)
            #expect(pick.key != "k14")
        }
    }

    @Test func theCycleOrderDiffersBetweenSeeds() {
        let orders = Set((UInt64(0)..<20).map { Self.run(Self.fourteen, count: 14, seed: $0 * 1000) })
        #expect(orders.count > 10)
    }

    @Test func sameInputsSameChoice() {
        let recent = ["k3", "k9", "k1"]
        for seed: UInt64 in [0, 1, 7, .max, 0xDEAD_BEEF] {
            let a = PromptRotation.choose(from: Self.fourteen, recentKeys: recent, seed: seed)
            let b = PromptRotation.choose(from: Self.fourteen, recentKeys: recent, seed: seed)
            #expect(a == b)
            #expect(!recent.contains(a.key))
        }
        let day = LocalDate(year: 2026, month: 3, day: 14)
        #expect(PromptRotation.seed(for: day, slot: "nudge") == PromptRotation.seed(for: day, slot: "nudge"))
        #expect(PromptRotation.seed(for: day, slot: "nudge") != PromptRotation.seed(for: day, slot: "intention"))
    }

    @Test func aSingleCandidateIsAlwaysChosen() {
        let only = Prompt(key: "custom.water", text: "A glass of water.")
        for seed in UInt64(0)..<20 {
            #expect(PromptRotation.choose(from: [only], recentKeys: ["custom.water"], seed: seed) == only)
        }
        #expect(PromptRotation.choose(from: [], recentKeys: [], seed: 1) == PromptRotation.fallback)
    }

    @Test func keysNoLongerInTheCandidatesAreIgnored() {
        let three = Array(Self.fourteen.prefix(3))
        // k1 and k2 this cycle, with removed prompts in between: only k3 is left.
        for seed in UInt64(0)..<50 {
            let pick = PromptRotation.choose(
                from: three, recentKeys: ["gone.1", "k2", "user.x.0000", "k1", "gone.2"], seed: seed)
            #expect(pick.key == "k3")
        }
        // Nothing in the history is a candidate: any of them will do.
        let keys = Set(
            (UInt64(0)..<50).map {
                PromptRotation.choose(from: three, recentKeys: ["gone.1", "gone.2"], seed: $0).key
            })
        #expect(keys == ["k1", "k2", "k3"])
    }

    @Test func aGrownCandidateListStillNeverRepeatsTheLast() {
        let old = Self.run(Array(Self.fourteen.prefix(10)), count: 25, seed: 99)
        let keys = Self.run(Self.fourteen, count: 40, seed: 7, history: old.reversed())
        #expect(keys.first != old.last)
        for (a, b) in zip(keys, keys.dropFirst()) { #expect(a != b) }
        #expect(Set(keys).count == 14)
    }

    @Test func candidatesJoinTheCatalogAndTheirOwnPrompts() {
        var config = Configuration.defaults
        config.prompts = [
            UserPrompt(slot: "intention", text: "Whose day could I make a little lighter?"),
            UserPrompt(slot: "nudge", text: "Water the plants."),
            UserPrompt(slot: "intention", text: "Whose day could I make a little lighter?"),
        ]
        let intention = PromptRotation.candidates(for: "intention", in: config)
        #expect(intention.count == PromptCatalog.builtin(for: "intention").count + 1)
        #expect(Array(intention.prefix(intention.count - 1)) == PromptCatalog.builtin(for: "intention"))
        let own = intention.last!
        #expect(own.text == "Whose day could I make a little lighter?")
        #expect(own.key == PromptRotation.userKey(slot: "intention", text: own.text))
        #expect(own.key.hasPrefix("user.intention.") && own.key.count == "user.intention.".count + 16)

        config.intention.builtinPrompts = false
        #expect(PromptRotation.candidates(for: "intention", in: config) == [own])
    }

    @Test func userKeysAreFNV1a64OfTheText() {
        #expect(PromptRotation.userKey(slot: "nudge", text: "") == "user.nudge.cbf29ce484222325")
        #expect(PromptRotation.userKey(slot: "nudge", text: "a") == "user.nudge.af63dc4c8601ec8c")
        #expect(PromptRotation.userKey(slot: "nudge", text: "foobar") == "user.nudge.85944171f73967e8")
        #expect(StableHash.hex(1) == "0000000000000001")
    }

    @Test func customSlotsOfferTheirTextAndTheirOwnPrompts() {
        var config = Configuration.defaults
        config.customs = [
            CustomSlot(
                name: "water", at: [TimeOfDay(hour: 10, minute: 30)!],
                text: "A glass of water is a small kindness to your body."),
            CustomSlot(name: "stretch", at: [TimeOfDay(hour: 15, minute: 0)!], text: nil, builtinPrompts: false),
        ]
        config.prompts = [UserPrompt(slot: "water", text: "A sip of something warm?")]
        let water = PromptRotation.candidates(for: "water", in: config)
        #expect(water.map(\.key) == ["custom.water", PromptRotation.userKey(slot: "water", text: "A sip of something warm?")])
        #expect(PromptRotation.candidates(for: "stretch", in: config).isEmpty)
        #expect(PromptRotation.candidates(for: "nobody", in: config).isEmpty)
    }
}

// MARK: - Programs

@Suite struct ProgramTests {
    static func position(_ program: ProgramChoice, skip: [Int] = [], before: Int) -> ProgramPosition? {
        ProgramEngine.position(
            settings: PromptCatalogTests.settings(program, skip: skip), practisedDaysBefore: before)
    }

    @Test func noProgramHasNoPosition() {
        #expect(Self.position(.none, before: 0) == nil)
        #expect(Self.position(.none, before: 30) == nil)
    }

    @Test func theWideningCircleWidensEverySevenPractisedDays() throws {
        let expected = [
            (0, 1, 1, "yourself"), (6, 1, 7, "yourself"), (7, 2, 1, "family"), (13, 2, 7, "family"),
            (14, 3, 1, "acquaintances and coworkers"), (21, 4, 1, "strangers and community"),
            (27, 4, 7, "strangers and community"),
        ]
        for (before, week, dayInStep, theme) in expected {
            let p = try #require(Self.position(.wideningCircle, before: before))
            #expect(p.day == before + 1)
            #expect(p.week == week && p.part == week && p.stepNumber == week && p.stepCount == 4)
            #expect(p.dayInStep == dayInStep)
            #expect(p.theme == theme)
            #expect(!p.isComplete)
        }
        #expect(Self.position(.wideningCircle, before: 7)?.description == "Widening circle, week 2 of 4: family")
        #expect(Self.position(.wideningCircle, before: 0)?.description == "Widening circle, week 1 of 4: yourself")
    }

    @Test func theWideningCircleCompletesAfterTwentyEightPractisedDays() throws {
        let p = try #require(Self.position(.wideningCircle, before: 28))
        #expect(p.isComplete)
        #expect(p.week == nil && p.part == nil)
        #expect(p.stepNumber == 4 && p.stepCount == 4)
        #expect(p.description == "Widening circle: complete. The everyday prompts carry on from here.")
        #expect(Self.position(.wideningCircle, before: 400)?.isComplete == true)
    }

    @Test func skippingTheFamilyWeekGoesStraightToAcquaintances() throws {
        let last = try #require(Self.position(.wideningCircle, skip: [2], before: 6))
        #expect(last.week == 1 && last.stepNumber == 1 && last.stepCount == 3)
        let next = try #require(Self.position(.wideningCircle, skip: [2], before: 7))
        #expect(next.week == 3)
        #expect(next.theme == "acquaintances and coworkers")
        #expect(next.stepNumber == 2 && next.stepCount == 3)
        #expect(next.day == 8 && next.dayInStep == 1)
        #expect(next.description == "Widening circle, week 2 of 3: acquaintances and coworkers")
        #expect(Self.position(.wideningCircle, skip: [2], before: 14)?.week == 4)
        #expect(Self.position(.wideningCircle, skip: [2], before: 21)?.isComplete == true)
        for before in 0..<21 {
            #expect(Self.position(.wideningCircle, skip: [2], before: before)?.theme != "family")
        }
    }

    @Test func theFiveDayResetIsOneActADay() throws {
        let themes = [
            "an encouraging message", "kindness to your body", "a sincere compliment",
            "grace toward yourself", "a kindness done anonymously",
        ]
        for (index, theme) in themes.enumerated() {
            let p = try #require(Self.position(.fiveDayReset, before: index))
            #expect(p.theme == theme && p.part == index + 1 && p.week == nil)
            #expect(p.stepNumber == index + 1 && p.stepCount == 5 && p.dayInStep == 1)
        }
        #expect(Self.position(.fiveDayReset, before: 1)?.description == "Five-day reset, day 2 of 5: kindness to your body")
        #expect(Self.position(.fiveDayReset, before: 5)?.isComplete == true)
    }

    @Test func skippedResetDaysAreLeftOut() throws {
        let parts = (0..<3).map { Self.position(.fiveDayReset, skip: [1, 3], before: $0)?.part }
        #expect(parts == [2, 4, 5])
        let p = try #require(Self.position(.fiveDayReset, skip: [1, 3], before: 1))
        #expect(p.description == "Five-day reset, day 2 of 3: grace toward yourself")
        #expect(Self.position(.fiveDayReset, skip: [1, 3], before: 3)?.isComplete == true)
    }

    @Test func missedDaysResumeInsteadOfRestarting() {
        // Practised on days 1-3, away for a fortnight, back on day 18: still week 1, day 4.
        let practised = [1, 2, 3, 18, 19, 20, 21, 40]
        let positions = practised.enumerated().map { index, _ in
            Self.position(.wideningCircle, before: index)!
        }
        #expect(positions.map(\.day) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(positions.map(\.week) == [1, 1, 1, 1, 1, 1, 1, 2])
        #expect(Self.position(.wideningCircle, before: -3) == Self.position(.wideningCircle, before: 0))
    }

    @Test func everyStepHasItsOwnContentForEachDay() throws {
        for week in 1...4 {
            for slot in ["intention", "nudge"] {
                let prompts = try #require(ProgramEngine.stepPrompts(program: .wideningCircle, part: week, slot: slot))
                #expect(prompts.count == 7)
                #expect(Set(prompts.map(\.text)).count == 7)
                #expect(prompts[2].key == "program.widening-circle.w\(week).\(slot).3")
            }
        }
        for day in 1...5 {
            let prompts = try #require(ProgramEngine.stepPrompts(program: .fiveDayReset, part: day, slot: "nudge"))
            #expect(prompts.first?.key == "program.five-day-reset.d\(day).nudge.1")
        }
        #expect(ProgramEngine.stepPrompts(program: .wideningCircle, part: 5, slot: "nudge") == nil)
        #expect(ProgramEngine.stepPrompts(program: .wideningCircle, part: 1, slot: "reflection") == nil)
        let allKeys = [ProgramChoice.wideningCircle, .fiveDayReset].flatMap { program in
            (1...program.length).flatMap { part in
                ["intention", "nudge"].flatMap { ProgramEngine.stepPrompts(program: program, part: part, slot: $0)! }
            }
        }.map(\.key)
        #expect(Set(allKeys).count == allKeys.count)

        // The seven days of a week each get a different intention.
        let week2 = (7..<14).map {
            ProgramEngine.stepPrompt(for: "intention", at: Self.position(.wideningCircle, before: $0)!)!.key
        }
        #expect(week2 == (1...7).map { "program.widening-circle.w2.intention.\($0)" })
    }
}

// MARK: - Composition

@Suite struct PromptComposerTests {
    static func compose(
        _ slot: String, _ config: Configuration = .defaults, position: ProgramPosition? = nil,
        intention: String? = nil, recent: [String] = [], seed: UInt64 = 11
    ) -> ComposedPrompt {
        PromptComposer.compose(
            slot: slot, configuration: config, position: position, todaysIntention: intention,
            recentKeys: recent, seed: seed)
    }

    static let familyDay3 = ProgramTests.position(.wideningCircle, before: 9)!

    @Test func aRunningProgramShapesIntentionAndNudge() {
        let intention = Self.compose("intention", position: Self.familyDay3)
        #expect(intention.key == "program.widening-circle.w2.intention.3")
        #expect(intention.programDay == 10)
        #expect(intention.text == ProgramEngine.stepPrompts(program: .wideningCircle, part: 2, slot: "intention")![2].text)
        let nudge = Self.compose("nudge", position: Self.familyDay3)
        #expect(nudge.key == "program.widening-circle.w2.nudge.3")
        #expect(nudge.programDay == 10)

        let reset = Self.compose("nudge", position: ProgramTests.position(.fiveDayReset, before: 3))
        #expect(reset.key.hasPrefix("program.five-day-reset.d4.nudge."))
    }

    @Test func otherSlotsRotateDuringAProgram() {
        for slot in ["reflection", "review", "break"] {
            let composed = Self.compose(slot, position: Self.familyDay3)
            #expect(composed.programDay == nil)
            #expect(PromptCatalog.builtin(for: slot).contains { $0.key == composed.key })
        }
    }

    @Test func withoutARunningProgramIntentionAndNudgeRotate() {
        let done = ProgramTests.position(.wideningCircle, before: 28)!
        for position in [nil, done] {
            for slot in ["intention", "nudge"] {
                let composed = Self.compose(slot, position: position)
                #expect(composed.programDay == nil)
                #expect(PromptCatalog.builtin(for: slot).contains { $0.key == composed.key })
            }
        }
    }

    @Test func theirOwnPromptsOnlyMeansNoProgramContent() {
        var config = Configuration.defaults
        config.intention.builtinPrompts = false
        config.prompts = [UserPrompt(slot: "intention", text: "Whose day could I make a little lighter?")]
        let composed = Self.compose("intention", config, position: Self.familyDay3)
        #expect(composed.text == "Whose day could I make a little lighter?")
        #expect(composed.programDay == nil)
        #expect(Self.compose("nudge", config, position: Self.familyDay3).programDay == 10)
    }

    @Test func theRotationAvoidsRecentPrompts() {
        let recent = PromptCatalog.builtin(for: "review").prefix(15).map(\.key)
        let composed = Self.compose("review", recent: Array(recent))
        #expect(!recent.contains(composed.key))
        #expect(Self.compose("review", recent: Array(recent)) == composed)
    }

    @Test func theReflectionQuotesThisMorningsIntention() {
        let plain = Self.compose("reflection")
        let quoted = Self.compose("reflection", intention: "  text Sam\n")
        #expect(quoted.text == "This morning you set an intention: “text Sam”. " + plain.text)
        #expect(quoted.key == plain.key)
        #expect(
            Self.compose("reflection", intention: "be patient with myself\n at the meeting.").text
                .hasPrefix("This morning you set an intention: “be patient with myself at the meeting”. "))
        for nothing in [nil, "", "   \n\t"] as [String?] {
            #expect(Self.compose("reflection", intention: nothing) == plain)
        }
        // Only the reflection quotes it.
        #expect(!Self.compose("nudge", intention: "text Sam").text.contains("text Sam"))
    }

    @Test func aLongIntentionIsCappedWithAnEllipsis() throws {
        let long = String(repeating: "call grandma ", count: 20)
        let text = Self.compose("reflection", intention: long).text
        let quote = try #require(PromptComposer.quotation(of: long))
        #expect(quote.count <= PromptComposer.quoteLimit)
        #expect(quote.hasSuffix("…") && !quote.hasSuffix(" …"))
        #expect(text.hasPrefix("This morning you set an intention: “call grandma call grandma"))
        #expect(text.contains("…”. "))
        let exact = String(repeating: "a", count: PromptComposer.quoteLimit)
        #expect(PromptComposer.quotation(of: exact) == exact)
        let over = exact + "b"
        #expect(PromptComposer.quotation(of: over) == String(repeating: "a", count: PromptComposer.quoteLimit - 1) + "…")
    }

    @Test func discreetModeNeverQuotes() {
        var config = Configuration.defaults
        config.delivery.discreet = true
        let composed = Self.compose("reflection", config, intention: "text Sam")
        #expect(!composed.text.contains("Sam"))
        #expect(composed == Self.compose("reflection", config))
    }

    @Test func theDiscreetTextSaysOnlyThatAPromptIsWaiting() {
        let texts = Set((Configuration.builtinSlotNames + ["water"]).map { PromptComposer.discreetText(for: $0) })
        #expect(texts == ["A Kindling prompt is waiting for you."])
    }

    @Test func customSlotsRotateTheirOwnText() {
        var config = Configuration.defaults
        config.customs = [
            CustomSlot(name: "water", at: [TimeOfDay(hour: 10, minute: 30)!], text: "A glass of water is a small kindness."),
            CustomSlot(name: "quiet", at: [TimeOfDay(hour: 12, minute: 0)!], text: nil, builtinPrompts: false),
        ]
        let water = Self.compose("water", config, position: Self.familyDay3, intention: "text Sam")
        #expect(water == ComposedPrompt(text: "A glass of water is a small kindness.", key: "custom.water", programDay: nil))
        let quiet = Self.compose("quiet", config)
        #expect(quiet.key == "fallback.quiet" && !quiet.text.isEmpty)
    }
}
