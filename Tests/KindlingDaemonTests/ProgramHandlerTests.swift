import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// `program add | start | stop | skip` against a real in-process daemon and journal with the
/// clock injected, and the planner taking the step in hand from the program the person chose.
@Suite(.serialized) struct ProgramHandlerTests {
    typealias Harness = DaemonTests.Harness

    /// Three steps by day, each with its own intention.
    static let threeDays = """
        name = "three-days"
        title = "Three days"
        steps_by = "day"

        [[step]]
        title = "first"
        intention = ["First step: whom could you thank today?"]

        [[step]]
        title = "second"
        intention = ["Second step: what could you let go of today?"]

        [[step]]
        title = "third"
        intention = ["Third step: where could you rest today?"]

        """

    /// Writes `text` to a file in the harness's folder and returns its path.
    private func file(_ harness: Harness, _ name: String, _ text: String) throws -> String {
        let path = harness.root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The intention the planner composes today.
    private func intention(_ harness: Harness) -> String {
        harness.daemon.queue.sync {
            let day = harness.daemon.journalDate(of: harness.clock.now)
            return harness.daemon.compose(slot: "intention", day: day, scheduledAt: harness.clock.now).text
        }
    }

    /// Whether `text` is shaped by the step titled `title`: its own prompt ("First step: …") on
    /// a variety day, or the practice's own question naming the step's focus on the others.
    private func shows(_ text: String, step title: String) -> Bool {
        text.lowercased().hasPrefix(title + " step") || text.hasSuffix("focus: \(title).")
    }

    /// Practises today (a note) and moves the clock to the next day.
    private func practiseAndSleep(_ harness: Harness) throws {
        try harness.daemon.queue.sync {
            let day = harness.daemon.journalDate(of: harness.clock.now)
            _ = try harness.daemon.journal.saveNote(
                text: "A kind word", kind: .given, at: harness.clock.now, localDate: day.description)
        }
        harness.clock.advance(by: 86_400)
    }

    @Test func theChosenProgramsStepShapesThePromptAndSkipStopAndStartMoveIt() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"none\"\n")
        let added = try harness.call(Request.ProgramAdd(path: try file(harness, "p.toml", Self.threeDays)))
            .get()
        #expect(added.path == harness.root + "/data/kindling/programs/three-days.toml")
        #expect(!shows(intention(harness), step: "first"), "no program is in use yet")

        let started = try harness.call(Request.ProgramStart(name: "three-days")).get()
        #expect(started.program == "three-days" && started.step == 1, "\(started)")
        #expect(started.message.contains("begins today"))
        #expect(shows(intention(harness), step: "first"), "\(intention(harness))")

        let skipped = try harness.call(Request.ProgramSkip(step: nil)).get()
        #expect(skipped.step == 2, "\(skipped)")
        #expect(shows(intention(harness), step: "second"), "\(intention(harness))")

        try practiseAndSleep(harness)
        #expect(shows(intention(harness), step: "third"), "\(intention(harness))")

        let stopped = try harness.call(Request.ProgramStop()).get()
        #expect(stopped.program == nil && stopped.message.contains("carries on where you left it"), "\(stopped)")
        #expect(!shows(intention(harness), step: "third"), "\(intention(harness))")

        // Days away, practised or not, never move a stopped program.
        try practiseAndSleep(harness)
        try practiseAndSleep(harness)
        let resumed = try harness.call(Request.ProgramStart(name: "three-days")).get()
        #expect(resumed.step == 3 && resumed.message.contains("carries on"), "\(resumed)")

        let over = try harness.call(Request.ProgramStart(name: "three-days", over: true)).get()
        #expect(over.step == 1 && over.message.contains("begins again"), "\(over)")
    }

    @Test func aStepAheadCanBeLeftOutAndAFinishedProgramBeginsAgain() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"none\"\n")
        _ = try harness.call(Request.ProgramAdd(path: try file(harness, "p.toml", Self.threeDays))).get()
        _ = try harness.call(Request.ProgramStart(name: "three-days")).get()
        let left = try harness.call(Request.ProgramSkip(step: 2)).get()
        #expect(left.step == 1 && left.message.contains("Day 2 will be left out"), "\(left)")
        let shown = try harness.call(Request.ProgramShow(name: "three-days")).get()
        #expect(shown.steps.map(\.skipped) == [false, true, false] && shown.currentStep == 1, "\(shown)")

        try practiseAndSleep(harness)
        #expect(shows(intention(harness), step: "third"), "the left-out step is passed by")
        let behind = try harness.call(Request.ProgramSkip(step: 1)).get()
        #expect(behind.step == 3 && behind.message.contains("already behind you"), "\(behind)")

        try practiseAndSleep(harness)
        let list = try harness.call(Request.ProgramList()).get()
        #expect(list.active == "three-days")
        #expect(list.programs.first { $0.name == "three-days" }?.position?.contains("complete") == true, "\(list)")
        let again = try harness.call(Request.ProgramStart(name: "three-days")).get()
        #expect(again.step == 1 && again.message.contains("begins again"), "\(again)")
    }

    @Test func theConfigNamingAnotherProgramTakesOverAgain() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"none\"\n")
        _ = try harness.call(Request.ProgramStart(name: "five-day-reset")).get()
        #expect(try harness.call(Request.ProgramList()).get().active == "five-day-reset")
        try "timezone = \"UTC\"\n[program]\nname = \"widening-circle\"\n".write(
            toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        #expect(try harness.call(Request.ProgramList()).get().active == "widening-circle")
    }

    @Test func theConfigMayNameAnAddedProgram() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"three-days\"\n")
        #expect(!shows(intention(harness), step: "first"), "not added yet: the everyday prompts")
        _ = try harness.call(Request.ProgramAdd(path: try file(harness, "p.toml", Self.threeDays))).get()
        #expect(shows(intention(harness), step: "first"), "\(intention(harness))")
        let status = try harness.call(Request.Status()).get()
        #expect(status.program == "Three days, day 1 of 3: first", "\(String(describing: status.program))")
    }

    @Test func anAddedFileEditedByHandIsReadAgain() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"three-days\"\n")
        _ = try harness.call(Request.ProgramAdd(path: try file(harness, "p.toml", Self.threeDays))).get()
        #expect(shows(intention(harness), step: "first"))
        let copy = harness.root + "/data/kindling/programs/three-days.toml"
        try Self.threeDays.replacingOccurrences(of: "First step", with: "Edited first step")
            .replacingOccurrences(of: "title = \"first\"", with: "title = \"edited first\"").write(
                toFile: copy, atomically: true, encoding: .utf8)
        #expect(shows(intention(harness), step: "edited first"), "\(intention(harness))")
        try "name = \"three-days\"\n".write(toFile: copy, atomically: true, encoding: .utf8)
        let list = try harness.call(Request.ProgramList()).get()
        let broken = list.programs.first { $0.name == "three-days" }
        #expect(broken?.problem?.contains("three-days.toml:") == true, "\(String(describing: broken))")
        #expect(list.active == nil && !intention(harness).contains("dited first"), "a broken program shapes nothing")
    }

    @Test func refusalsSayWhatToDoAndChangeNothing() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[program]\nname = \"none\"\n")
        #expect(try harness.failure(Request.ProgramStart(name: "no-such"))?.code == .notFound)
        #expect(try harness.failure(Request.ProgramShow(name: "../journal"))?.code == .notFound)
        #expect(try harness.failure(Request.ProgramSkip(step: nil))?.code == .notFound)

        let path = try file(harness, "p.toml", Self.threeDays)
        _ = try harness.call(Request.ProgramAdd(path: path)).get()
        let again = try harness.failure(Request.ProgramAdd(path: path))
        #expect(again?.code == .conflict && again?.message.contains("--force") == true, "\(String(describing: again))")
        let replaced = try harness.call(Request.ProgramAdd(path: path, replace: true)).get()
        #expect(replaced.replaced)

        let bad = try file(harness, "bad.toml", Self.threeDays.replacingOccurrences(of: "steps_by", with: "step_by"))
        let refused = try harness.failure(Request.ProgramAdd(path: bad))
        #expect(refused?.code == .badRequest && refused?.message.contains("bad.toml:") == true, "\(String(describing: refused))")
        let folder = try FileManager.default.contentsOfDirectory(atPath: harness.root + "/data/kindling/programs")
        #expect(folder == ["three-days.toml"], "\(folder)")
        var info = stat()
        #expect(stat(harness.root + "/data/kindling/programs/three-days.toml", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }
}
