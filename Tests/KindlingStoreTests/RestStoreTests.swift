import Foundation
import GRDB
import KindlingCore
import Testing

@testable import KindlingStore

/// An ISO 8601 instant, as the daemon writes a pause's `until`.
private func instantText(_ ms: Int64) -> String {
    KindlingCore.Timestamp.string(Date(timeIntervalSince1970: Double(ms) / 1000), in: TimeZone(identifier: "UTC")!)
}

/// Pauses kept with their spans, and each program's runs.
@Suite struct RestStoreTests {
    @Test func aPauseEndsAtItsTimeOrWhenResumedAndANewOneClosesTheOld() throws {
        let db = AppDatabase.inMemory()
        try db.recordPauseStarted(at: t0, until: t0.addingTimeInterval(3600))
        try db.recordPauseStarted(at: t0.addingTimeInterval(7200), until: nil)
        try db.recordPauseStarted(at: t0.addingTimeInterval(9000), until: nil)  // replaces the open-ended one
        try db.recordPauseEnded(at: t0.addingTimeInterval(10_000))
        try db.recordPauseEnded(at: t0.addingTimeInterval(20_000))  // nothing left to end
        #expect(
            try db.pauseSpans() == [
                PauseSpan(start: t0, end: t0.addingTimeInterval(3600)),
                PauseSpan(start: t0.addingTimeInterval(7200), end: t0.addingTimeInterval(9000)),
                PauseSpan(start: t0.addingTimeInterval(9000), end: t0.addingTimeInterval(10_000)),
            ])
        #expect(try db.pauseSpans(since: t0.addingTimeInterval(9500)).count == 1)
    }

    @Test func aPauseRunningWhenTheMigrationRunsIsKept() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v1")
        let began = Int64(1_763_700_000_000)
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO events (kind, at) VALUES ('paused', ?)", arguments: [began])
            try db.execute(
                sql: "INSERT INTO state (key, value, updated_at) VALUES ('scheduler.paused_until', ?, ?)",
                arguments: [String(began + 86_400_000), began])
        }
        try AppDatabase.migrator.migrate(queue)
        let row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT started_at, until_at, ended_at FROM pauses") }
        #expect(row?["started_at"] == began)
        #expect(row?["until_at"] == began + 86_400_000)
        #expect(row?["ended_at"] == nil as Int64?)
    }

    @Test func pausesTakenBeforeTheMigrationAreReadBackFromTheEventLog() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v1")
        let hour: Int64 = 3_600_000
        let start = Int64(1_763_700_000_000)
        try queue.write { db in
            // Paused for a day, resumed after two hours; paused until resume, resumed a day later;
            // paused for an hour that ran out (the daemon writes `resumed` when it notices).
            let events: [(String, Int64, String?)] = [
                ("paused", start, #"{"until":"2025-11-22T05:40:00.000+01:00"}"#),
                ("resumed", start + 2 * hour, nil),
                ("paused", start + 10 * hour, nil),
                ("resumed", start + 34 * hour, nil),
                ("paused", start + 40 * hour, #"{"until":"\#(instantText(start + 41 * hour))"}"#),
                ("resumed", start + 45 * hour, nil),
            ]
            for (kind, at, detail) in events {
                try db.execute(
                    sql: "INSERT INTO events (kind, at, detail) VALUES (?, ?, ?)", arguments: [kind, at, detail])
            }
        }
        try AppDatabase.migrator.migrate(queue)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT started_at, until_at, ended_at FROM pauses ORDER BY id")
        }
        #expect(rows.count == 3)
        #expect(rows.map { $0["started_at"] as Int64 } == [start, start + 10 * hour, start + 40 * hour])
        #expect(rows.map { $0["ended_at"] as Int64? } == [start + 2 * hour, start + 34 * hour, nil])
        #expect(rows[2]["until_at"] == start + 41 * hour)
    }

    @Test func switchingProgramsEndsOneRunAndResumesAnother() throws {
        let db = AppDatabase.inMemory()
        #expect(
            try db.useProgram("widening-circle", on: "2026-11-21", firstStart: "2026-11-01") == [
                ProgramRun(program: "widening-circle", startedOn: "2026-11-01", endedOn: nil)
            ])
        try db.useProgram("five-day-reset", on: "2026-12-01", firstStart: "2026-11-01")
        try db.useProgram("five-day-reset", on: "2026-12-02", firstStart: "2026-11-01")  // already in use
        try db.useProgram(nil, on: "2026-12-03", firstStart: "")
        let runs = try db.useProgram("widening-circle", on: "2026-12-05", firstStart: "2026-11-01")
        #expect(
            runs == [
                ProgramRun(program: "widening-circle", startedOn: "2026-11-01", endedOn: "2026-12-01"),
                ProgramRun(program: "five-day-reset", startedOn: "2026-12-01", endedOn: "2026-12-03"),
                ProgramRun(program: "widening-circle", startedOn: "2026-12-05", endedOn: nil),
            ])
        #expect(runs[0].contains("2026-11-30") && !runs[0].contains("2026-12-01"))
    }
}
