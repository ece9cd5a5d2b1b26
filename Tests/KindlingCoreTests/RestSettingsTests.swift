import KindlingCore
import Testing

/// Rest never costs, in the settings: `streaks`, `ask_mood` per slot, and single program days
/// in `[program] skip`.
@Suite struct RestSettingsTests {
    private func parse(_ text: String) throws(ConfigError) -> Configuration {
        try Configuration.parse(text, file: "config.toml")
    }

    @Test func streaksAreOnByDefaultAndOneKeyTurnsThemOff() throws {
        #expect(Configuration.defaults.streaks)
        #expect(try !parse("streaks = false\n").streaks)
        #expect(throws: ConfigError.self) { try parse("streaks = \"no\"\n") }
    }

    @Test func askMoodIsPerSlotAndABreakNeverTakesIt() throws {
        let defaults = Configuration.defaults
        #expect(defaults.intention.askMood && defaults.reflection.askMood)
        #expect(!defaults.nudge.askMood && !defaults.review.askMood && !defaults.breaks.askMood)
        let config = try parse(
            """
            [reflection]
            ask_mood = false
            [nudge]
            ask_mood = true
            [[custom]]
            name = "water"
            at = "10:30"
            text = "A glass of water."
            ask_mood = true
            """)
        #expect(!config.reflection.askMood && config.nudge.askMood)
        #expect(config.slot(named: "water")?.askMood == true)
        #expect(throws: ConfigError.self) { try parse("[break]\nask_mood = true\n") }
        let refusal = #expect(throws: ConfigError.self) { try parse("[break]\nask_mood = false\n") }
        #expect(refusal?.message.contains("a break asks nothing back") == true, "\(String(describing: refusal))")
    }

    @Test func skipTakesSingleDaysAsWellAsWeeks() throws {
        let config = try parse("[program]\nskip = [4, \"day 10\", \"week 2 day 7\", \"Week 3\"]\n")
        #expect(config.program.skip == [3, 4])
        #expect(config.program.skipDays == [10, 14])
        let reset = try parse("[program]\nname = \"five-day-reset\"\nskip = [\"day 2\", 4]\n")
        #expect(reset.program.skip == [2, 4] && reset.program.skipDays.isEmpty)
    }

    @Test(arguments: [
        ("skip = [\"day 29\"]", "day 1 to 28"),
        ("skip = [\"week 2 day 8\"]", "days from 1 to 7"),
        ("skip = [\"fortnight 2\"]", "is not a part of the program"),
        ("name = \"five-day-reset\"\nskip = [\"week 1\"]", "has no weeks"),
        (
            "skip = [1, 2, 3, \"week 4 day 1\", \"week 4 day 2\", \"week 4 day 3\", \"day 25\", \"day 26\", \"day 27\", \"day 28\"]",
            "skips every day"
        ),
    ])
    func aSkipThatIsNotADayOrWeekSaysWhatToWrite(line: String, says: String) throws {
        do {
            _ = try parse("[program]\n\(line)\n")
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.message.contains(says), "\(error.message)")
            #expect(error.key?.hasPrefix("program.skip") == true, "\(error)")
        }
    }
}

/// Skipping one program day leaves that day, and only that day, out.
@Suite struct ProgramDaySkipTests {
    private func position(skip: [Int] = [], days: [Int], before: Int) -> ProgramPosition? {
        var settings = ProgramSettings()
        settings.skip = skip
        settings.skipDays = days
        return ProgramEngine.position(settings: settings, practisedDaysBefore: before)
    }

    @Test func aSkippedDayIsPassedOverAndItsPromptNeverComes() throws {
        // Day 10 is week 2, day 3. With it left out, the tenth program day is week 2, day 4.
        let tenth = try #require(position(days: [10], before: 9))
        #expect(tenth.week == 2 && tenth.dayInStep == 4)
        let skippedPrompt = ProgramEngine.stepPrompts(program: .wideningCircle, part: 2, slot: "intention")?[2]
        let shown = (0..<27).compactMap { position(days: [10], before: $0) }
            .compactMap { ProgramEngine.stepPrompt(for: "intention", at: $0) }
        #expect(shown.count == 27)
        #expect(!shown.contains(where: { $0 == skippedPrompt }))
        // Without the skip the same prompt is there.
        let all = (0..<28).compactMap { position(days: [], before: $0) }
            .compactMap { ProgramEngine.stepPrompt(for: "intention", at: $0) }
        #expect(all.contains(where: { $0 == skippedPrompt }))
        // The program is one day shorter.
        #expect(position(days: [10], before: 27)?.isComplete == true)
        #expect(position(days: [], before: 27)?.isComplete == false)
    }

    @Test func aWeekWhoseDaysAreAllSkippedIsNotCounted() throws {
        let allOfWeek2 = Array(8...14)
        let eighth = try #require(position(days: allOfWeek2, before: 7))
        #expect(eighth.week == 3 && eighth.stepNumber == 2 && eighth.stepCount == 3)
    }
}
