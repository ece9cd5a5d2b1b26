import Foundation
import Testing

@testable import KindlingCore

/// Program files (DESIGN.md "Programs"): the built-ins in the file format with their keys
/// kept, the refusals (file:line: key: how to fix), and an added program shaping prompts.
@Suite struct ProgramFileTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let good = """
        name = "gentle-week"
        title = "A gentle week"
        description = "Small kindnesses toward yourself."
        steps_by = "day"

        [[step]]
        title = "Rest"
        intention = ["What could you let go of today?"]

        [[step]]
        title = "Water"
        nudge = ["Drink a glass of water, slowly."]
        reflection = ["How did your body feel today?", "What did rest give you?"]

        """

    static func program(_ text: String = good) throws -> ProgramDefinition {
        try ProgramFile.check(text, file: "gentle-week.toml").get()
    }

    // MARK: The built-ins

    @Test func builtInsAreProgramFilesAndKeepTheirKeys() throws {
        #expect(BuiltInPrograms.all.map(\.name) == ["widening-circle", "five-day-reset"])
        let circle = try #require(BuiltInPrograms.named("widening-circle"))
        #expect(
            circle.stepsBy == .week
                && circle.steps.map(\.title) == ["yourself", "family", "acquaintances and coworkers", "strangers and community"])
        let reset = try #require(BuiltInPrograms.named("five-day-reset"))
        #expect(reset.stepsBy == .day && reset.steps.count == 5)

        // The keys hiding and the rotation remember, exactly as before the move to files.
        var expected: [String] = []
        for week in 1...4 {
            for slot in ["intention", "nudge"] {
                for n in 1...7 { expected.append("program.widening-circle.w\(week).\(slot).\(n)") }
            }
        }
        for day in 1...5 {
            for slot in ["intention", "nudge"] {
                for n in 1...2 { expected.append("program.five-day-reset.d\(day).\(slot).\(n)") }
            }
        }
        var keys: [String] = []
        for program in [ProgramChoice.wideningCircle, .fiveDayReset] {
            for part in 1...program.length {
                for slot in ProgramDefinition.slots {
                    keys += ProgramEngine.stepPrompts(program: program, part: part, slot: slot)?.map(\.key) ?? []
                }
            }
        }
        #expect(keys == expected)

        // And the words stay with their keys.
        let family = try #require(ProgramEngine.stepPrompts(program: .wideningCircle, part: 2, slot: "intention"))
        #expect(family[0].text == "Who in your family, or among the people who are family to you, could use encouragement today?")
        let anonymous = try #require(ProgramEngine.stepPrompts(program: .fiveDayReset, part: 5, slot: "nudge"))
        #expect(anonymous[1].key == "program.five-day-reset.d5.nudge.2")
        #expect(
            anonymous[1].text == "Leave something good behind for someone you will not meet. Notice the quiet pleasure in it.")
    }

    @Test func shippedProgramFilesAreTheCompiledInOnesAndTheExampleIsValid() throws {
        let folder = Self.repositoryRoot.appendingPathComponent("Config/programs")
        let circle = try Data(contentsOf: folder.appendingPathComponent("widening-circle.toml"))
        #expect(circle == Data(BuiltInPrograms.wideningCircleTOML.utf8))
        let reset = try Data(contentsOf: folder.appendingPathComponent("five-day-reset.toml"))
        #expect(reset == Data(BuiltInPrograms.fiveDayResetTOML.utf8))
        let example = try ProgramFile.load(contentsOf: folder.appendingPathComponent("gentle-week.toml").path).get()
        #expect(example.name == "gentle-week" && example.steps.count == 7)
        #expect(example.steps[2].reflection.isEmpty && !example.steps[2].nudge.isEmpty)
        // The example is held to the words of the built-in prompts.
        for step in example.steps {
            for text in step.intention + step.nudge + step.reflection {
                let words = PromptCatalogTests.words(text)
                for word in PromptCatalogTests.forbidden { #expect(!words.contains(" \(word) "), "\(text)") }
                for word in KindWordsTests.shaming + KindWordsTests.bodily { #expect(!words.contains(" \(word) "), "\(text)") }
            }
        }
    }

    @Test func aGoodFileReads() throws {
        let program = try Self.program()
        #expect(program.name == "gentle-week" && program.title == "A gentle week" && program.stepsBy == .day)
        #expect(program.steps.count == 2 && program.steps[0].nudge.isEmpty && program.steps[1].reflection.count == 2)
        #expect(
            program.prompts(part: 2, slot: "reflection")?.map(\.key) == [
                "program.gentle-week.d2.reflection.1", "program.gentle-week.d2.reflection.2",
            ])
        #expect(program.prompts(part: 1, slot: "nudge") == nil)
    }

    // MARK: Refusals

    struct BadProgram: CustomTestStringConvertible, Sendable {
        let replace: String
        let with: String
        let line: Int?
        let key: String?
        let says: String
        var testDescription: String { "\(key ?? "-"): \(says)" }
    }

    static let longPrompt = String(repeating: "a kind word ", count: 30)

    static let bad: [BadProgram] = [
        BadProgram(
            replace: "steps_by = \"day\"\n", with: "steps_by = \"day\"\ncolour = \"blue\"\n", line: 5, key: "colour",
            says: "is not a program setting"),
        BadProgram(replace: "nudge = [", with: "nudges = [", line: 12, key: "step[2].nudges", says: "did you mean \"nudge\"?"),
        BadProgram(
            replace: "intention = [\"What could you let go of today?\"]\n", with: "", line: 6, key: "step[1]",
            says: "offers no prompts"),
        BadProgram(
            replace: "intention = [\"What could you let go of today?\"]", with: "intention = []", line: 8,
            key: "step[1].intention", says: "is an empty list"),
        BadProgram(
            replace: "What could you let go of today?", with: longPrompt, line: 8, key: "step[1].intention[1]",
            says: "keep a prompt to 300 or fewer"),
        BadProgram(replace: "What could you let go of today?", with: " ", line: 8, key: "step[1].intention[1]", says: "is empty"),
        BadProgram(
            replace: "name = \"gentle-week\"", with: "name = \"five-day-reset\"", line: 1, key: "name",
            says: "comes with Kindling; choose another"),
        BadProgram(replace: "name = \"gentle-week\"", with: "name = \"none\"", line: 1, key: "name", says: "means no program"),
        BadProgram(
            replace: "name = \"gentle-week\"", with: "name = \"Gentle Week\"", line: 1, key: "name",
            says: "for example \"gentle-week\""),
        BadProgram(replace: "name = \"gentle-week\"\n", with: "", line: nil, key: "name", says: "is missing"),
        BadProgram(replace: "steps_by = \"day\"", with: "steps_by = \"month\"", line: 4, key: "steps_by", says: "write \"day\""),
        BadProgram(replace: "title = \"Rest\"\n", with: "", line: 6, key: "step[1].title", says: "is missing"),
        BadProgram(replace: "[[step]]", with: "[step]", line: nil, key: nil, says: "not valid TOML"),
    ]

    @Test(arguments: bad) func badFilesAreRefusedWithLineKeyAndAFix(_ bad: BadProgram) throws {
        #expect(Self.good.contains(bad.replace))
        let text = Self.good.replacingOccurrences(of: bad.replace, with: bad.with)
        guard case .failure(let errors) = ProgramFile.check(text, file: "gentle-week.toml") else {
            Issue.record("accepted: \(text)")
            return
        }
        let first = try #require(errors.errors.first)
        #expect(first.file == "gentle-week.toml")
        if let line = bad.line { #expect(first.line == line) }
        if let key = bad.key { #expect(first.key == key) }
        #expect(first.description.contains(bad.says))
        #expect(!first.description.contains("\n"))
        if let line = bad.line, let key = bad.key { #expect(first.description.hasPrefix("gentle-week.toml:\(line): \(key): ")) }
    }

    @Test func aFileWithNoStepsIsRefused() {
        let text = "name = \"empty\"\ntitle = \"Empty\"\nsteps_by = \"week\"\n"
        guard case .failure(let errors) = ProgramFile.check(text, file: "p.toml") else {
            Issue.record("accepted")
            return
        }
        #expect(errors.errors[0].key == "step" && errors.errors[0].message.contains("at least one [[step]]"))
    }

    @Test func aFileOver256KiBIsRefusedWholeBeforeParsing() throws {
        let padding = "# " + String(repeating: "x", count: 1000) + "\n"
        let text = Self.good + String(repeating: padding, count: 263)
        #expect(text.utf8.count > ProgramFile.maximumFileSize)
        guard case .failure(let errors) = ProgramFile.check(text, file: "big.toml") else {
            Issue.record("accepted")
            return
        }
        #expect(errors.description == "big.toml: " + ProgramFile.tooLargeMessage)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-big-\(UUID()).toml")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        guard case .failure(let fromFile) = ProgramFile.load(contentsOf: url.path) else {
            Issue.record("accepted from file")
            return
        }
        #expect(fromFile.description.contains("larger than 256 KiB"))
        // Just under the limit reads.
        let under = Self.good + String(repeating: padding, count: 250)
        #expect(under.utf8.count < ProgramFile.maximumFileSize)
        #expect(throws: Never.self) { try Self.program(under) }
    }

    @Test func aMissingFileIsOneClearLine() {
        guard case .failure(let errors) = ProgramFile.load(contentsOf: "/nonexistent/kindling/p.toml") else {
            Issue.record("accepted")
            return
        }
        #expect(errors.description == "/nonexistent/kindling/p.toml: cannot read the program file: No such file or directory")
    }

    @Test func theConfigMayNameAnAddedProgram() throws {
        let config = try Configuration.parse("[program]\nname = \"gentle-week\"\nskip = [2]\n", file: "config.toml")
        #expect(config.program.name.rawValue == "gentle-week" && !config.program.name.isBuiltIn && config.program.skip == [2])
    }

    // MARK: Using an added program

    @Test func anAddedProgramStepsAndShapesTheComposer() throws {
        let program = try Self.program()
        var settings = ProgramSettings()
        settings.name = ProgramChoice(rawValue: program.name)
        #expect(ProgramEngine.position(settings: settings, practisedDaysBefore: 0) == nil, "not built in, no definition")
        let first = try #require(ProgramEngine.position(settings: settings, practisedDaysBefore: 0, definition: program))
        #expect(first.description == "A gentle week, day 1 of 2: Rest")
        let second = try #require(ProgramEngine.position(settings: settings, practisedDaysBefore: 1, definition: program))
        #expect(second.part == 2 && second.theme == "Water" && second.week == nil)

        let reflection = PromptComposer.compose(
            slot: "reflection", configuration: .defaults, position: second, todaysIntention: nil, recentKeys: [], seed: 7)
        #expect(reflection.key == "program.gentle-week.d2.reflection.2" && reflection.programDay == 2)
        let nudge = PromptComposer.compose(
            slot: "nudge", configuration: .defaults, position: second, todaysIntention: nil, recentKeys: [], seed: 7)
        #expect(nudge.key == "program.gentle-week.d2.nudge.1" && nudge.text == "Drink a glass of water, slowly.")
        // A slot the step leaves out comes from the everyday rotation.
        let intention = PromptComposer.compose(
            slot: "intention", configuration: .defaults, position: second, todaysIntention: nil, recentKeys: [], seed: 7)
        #expect(!intention.key.hasPrefix("program.") && intention.programDay == nil)

        settings.skip = [1]
        let skipped = try #require(ProgramEngine.position(settings: settings, practisedDaysBefore: 0, definition: program))
        #expect(skipped.part == 2 && skipped.stepCount == 1)
        let done = try #require(ProgramEngine.position(settings: settings, practisedDaysBefore: 1, definition: program))
        #expect(done.isComplete)
    }

    // MARK: Speed

    @Test func checkingA200StepProgramIsFast() throws {
        var text = "name = \"long-road\"\ntitle = \"A long road\"\nsteps_by = \"day\"\n"
        for step in 1...200 {
            text += "\n[[step]]\ntitle = \"Step \(step)\"\n"
            text +=
                "intention = [\"What small kindness could today hold, on step \(step)?\", \"Whom could you encourage today?\"]\n"
            text += "nudge = [\"Offer one warm word to someone, and notice how it feels.\"]\n"
            text += "reflection = [\"What kindness did you give or receive today?\"]\n"
        }
        var times: [Double] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            let program = try ProgramFile.check(text, file: "long.toml").get()
            let took = (ContinuousClock.now - start).components
            times.append(Double(took.seconds) * 1000 + Double(took.attoseconds) / 1e15)
            #expect(program.steps.count == 200)
        }
        times.sort()
        print("program check, 200 steps, \(text.utf8.count) bytes, n=20: median \(times[10]) ms, max \(times[19]) ms")
        #expect(times[10] < 250, "median \(times[10]) ms")
    }
}
