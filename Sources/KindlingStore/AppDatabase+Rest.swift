// Rest never costs: pauses kept with their spans (streaks step over paused days) and each program's
// own runs (a program's progress is the practised days inside its runs). Neither table holds words
// the person wrote.
import Foundation
import GRDB

/// One pause: from `start` until `end`, or still running when `end` is nil.
public struct PauseSpan: Equatable, Sendable {
    public var start: Date
    /// When it ended or will end: the earlier of its given end and an early resume; nil while it
    /// runs with no end given.
    public var end: Date?

    public init(start: Date, end: Date?) {
        self.start = start
        self.end = end
    }
}

/// The days one program shaped: `startedOn` up to, not including, `endedOn` (nil: still in use).
public struct ProgramRun: Equatable, Sendable {
    public var program: String
    public var startedOn: String
    public var endedOn: String?

    public init(program: String, startedOn: String, endedOn: String?) {
        self.program = program
        self.startedOn = startedOn
        self.endedOn = endedOn
    }

    /// Whether the local date `day` ('YYYY-MM-DD') falls inside this run.
    public func contains(_ day: String) -> Bool {
        day >= startedOn && endedOn.map { day < $0 } != false
    }
}

extension AppDatabase {
    // MARK: - Pauses

    /// A pause begins at `at`, until `until` (nil: until resume). A pause still running ends
    /// where the new one begins, so spans never overlap.
    public func recordPauseStarted(at: Date, until: Date?) throws(StoreError) {
        try write { db in try Self.insertPause(db, at: at, until: until) }
    }

    /// Inside a transaction: a pause from `at` to `until` (nil: until resumed) replaces one running.
    static func insertPause(_ db: Database, at: Date, until: Date?) throws {
        try closeOpenPauses(db, at: at)
        try db.execute(
            sql: "INSERT INTO pauses (started_at, until_at) VALUES (?, ?)",
            arguments: [milliseconds(at), until.map { max(milliseconds($0), milliseconds(at)) }])
    }

    /// The pause running at `at`, if any, ends there.
    public func recordPauseEnded(at: Date) throws(StoreError) {
        try write { db in try Self.closeOpenPauses(db, at: at) }
    }

    static func closeOpenPauses(_ db: Database, at: Date) throws {
        let now = milliseconds(at)
        try db.execute(
            sql: """
                UPDATE pauses SET ended_at = max(started_at, ?1)
                WHERE ended_at IS NULL AND (until_at IS NULL OR until_at > ?1)
                """,
            arguments: [now])
    }

    /// Every pause that reached `since` or later, oldest first.
    public func pauseSpans(since: Date? = nil) throws(StoreError) -> [PauseSpan] {
        try read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT started_at, CASE WHEN ended_at IS NULL THEN until_at
                                                WHEN until_at IS NULL THEN ended_at
                                                ELSE min(ended_at, until_at) END AS end_at
                        FROM pauses
                        WHERE end_at IS NULL OR end_at >= ?
                        ORDER BY started_at, id
                        """),
                arguments: [since.map(milliseconds) ?? Int64.min])
            return try rows.map { row in
                PauseSpan(
                    start: date(milliseconds: try row.decode(Int64.self, forColumn: "started_at")),
                    end: try row.decode(Int64?.self, forColumn: "end_at").map { date(milliseconds: $0) })
            }
        }
    }

    /// How many prompts were due at or after `instant` (those due inside a pause were let go,
    /// and are due before its end): the first prompt after a pause may welcome the person back.
    public func deliveryCount(scheduledSince instant: Date) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM deliveries WHERE scheduled_at >= ?"),
                arguments: [milliseconds(instant)]) ?? 0
        }
    }

    // MARK: - Program runs

    /// Every program run, oldest first.
    public func programRuns() throws(StoreError) -> [ProgramRun] {
        try read { db in
            try Self.programRuns(db)
        }
    }

    private static func programRuns(_ db: Database) throws -> [ProgramRun] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT program, started_on, ended_on FROM program_runs ORDER BY started_on, id")
        )
        .map { row in
            ProgramRun(
                program: try row.decode(String.self, forColumn: "program"),
                startedOn: try row.decode(String.self, forColumn: "started_on"),
                endedOn: try row.decode(String?.self, forColumn: "ended_on"))
        }
    }

    /// Makes `program` (nil: none) the one in use from `day` on: the run in use, if it is another
    /// program's, ends on `day`, and a new run of `program` begins there. Nothing changes when
    /// `program` is already in use. `firstStart` dates the very first run (the day the program
    /// began before runs were kept). Returns the runs after the change.
    @discardableResult
    public func useProgram(_ program: String?, on day: String, firstStart: String) throws(StoreError) -> [ProgramRun] {
        try write { db in
            try Self.switchRun(db, to: program, on: day, firstStart: firstStart)
            return try Self.programRuns(db)
        }
    }

    /// Inside a transaction: the run in use ends on `day` unless it is `program`'s, and a run of
    /// `program` (nil: none) begins there.
    static func switchRun(_ db: Database, to program: String?, on day: String, firstStart: String) throws {
        let open = try String.fetchOne(db, sql: "SELECT program FROM program_runs WHERE ended_on IS NULL")
        guard open != program else { return }
        let none = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM program_runs") == 0
        try db.execute(
            sql: "UPDATE program_runs SET ended_on = max(started_on, ?) WHERE ended_on IS NULL", arguments: [day])
        if let program {
            try db.execute(
                sql: "INSERT INTO program_runs (program, started_on) VALUES (?, ?)",
                arguments: [program, none ? min(firstStart, day) : day])
        }
    }
}
