import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// The person's program choices: start, stop, moving on and leaving a step out, each one
/// transaction that keeps every program's progress.
@Suite struct ProgramChoiceTests {
    @Test func startingStoppingAndStartingAgainKeepsEachProgramsRuns() throws {
        let db = AppDatabase.inMemory()
        #expect(try db.programChoice() == nil)
        try db.startProgram(
            "gentle-week", over: false, on: "2026-11-21", configName: "widening-circle", firstStart: "2026-11-21", at: t0)
        #expect(try db.programChoice() == ProgramChoiceRecord(program: "gentle-week", configName: "widening-circle"))
        try db.stopProgram(on: "2026-11-23", configName: "widening-circle", at: at(60))
        #expect(try db.programChoice() == ProgramChoiceRecord(program: nil, configName: "widening-circle"))
        try db.startProgram(
            "gentle-week", over: false, on: "2026-11-25", configName: "widening-circle", firstStart: "2026-11-25", at: at(120))
        #expect(
            try db.programRuns() == [
                ProgramRun(program: "gentle-week", startedOn: "2026-11-21", endedOn: "2026-11-23"),
                ProgramRun(program: "gentle-week", startedOn: "2026-11-25", endedOn: nil),
            ])
        #expect(try db.programProgress("gentle-week") == ProgramProgress(), "resuming sets no mark")
    }

    @Test func beginningAgainMarksTheFirstStepAndForgetsTheStepsLeftOut() throws {
        let db = AppDatabase.inMemory()
        try db.startProgram("gentle-week", over: false, on: "2026-11-21", configName: "none", firstStart: "2026-11-21", at: t0)
        #expect(try db.leaveOutProgramStep("gentle-week", step: 4, at: t0))
        #expect(try !db.leaveOutProgramStep("gentle-week", step: 4, at: t0), "already left out")
        try db.leaveOutProgramStep("gentle-week", step: 2, at: t0)
        try db.moveProgram("gentle-week", toStep: 3, on: "2026-11-22", at: at(60))
        var progress = try db.programProgress("gentle-week")
        #expect(progress.skipped == [2, 4] && progress.mark?.step == 3 && progress.mark?.day == "2026-11-22")
        #expect(try db.programProgress("five-day-reset") == ProgramProgress(), "other programs are untouched")

        try db.startProgram(
            "gentle-week", over: true, on: "2026-11-24", configName: "none", firstStart: "2026-11-24", at: at(120))
        progress = try db.programProgress("gentle-week")
        #expect(progress.skipped.isEmpty && progress.mark?.step == 1 && progress.mark?.day == "2026-11-24")
        #expect(try db.programRuns().count == 1, "starting the program in use keeps its run")
    }

    @Test func aFailedWriteChangesNothing() throws {
        let db = AppDatabase.inMemory()
        // Values the tables refuse: the whole write is refused and nothing of it is kept.
        #expect(throws: StoreError.self) {
            try db.moveProgram("gentle-week", toStep: 0, on: "2026-11-22", at: t0)
        }
        #expect(try db.programProgress("gentle-week") == ProgramProgress())
        #expect(throws: StoreError.self) {
            try db.startProgram("", over: false, on: "2026-11-22", configName: "none", firstStart: "2026-11-22", at: t0)
        }
        #expect(try db.programChoice() == nil && db.programRuns().isEmpty, "nothing of the start was kept")
    }

    @Test func theMigrationAddsTablesToAnExistingJournal() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v4-hidden-prompts")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO program_runs (program, started_on) VALUES ('widening-circle', '2026-11-01')")
        }
        try AppDatabase.migrator.migrate(queue)
        let tables = try queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'program_%' ORDER BY name")
        }
        #expect(tables == ["program_choice", "program_marks", "program_runs", "program_skips", "program_state"])
        let runs = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM program_runs") }
        #expect(runs == 1)
    }
}
