// The person's own program choices: `kindling program start`, `stop` and `skip`. Each write is
// one transaction named after what the person meant; none of them counts or records a day
// that was not practised.
import Foundation
import GRDB

/// The program the person chose with `kindling program start` or `stop`.
public struct ProgramChoiceRecord: Equatable, Sendable {
    /// The program, or nil after `stop`.
    public var program: String?
    /// `[program] name` when the choice was made: a config that names another program since
    /// takes over again.
    public var configName: String

    public init(program: String?, configName: String) {
        self.program = program
        self.configName = configName
    }
}

/// Where one program's progress counts from, and the steps the person left out.
public struct ProgramProgress: Equatable, Sendable {
    /// Step `step` began on `day` ('YYYY-MM-DD'); nil when the program counts from its first run.
    public var mark: (step: Int, day: String)?
    /// Steps left out, ascending.
    public var skipped: [Int]

    public init(mark: (step: Int, day: String)? = nil, skipped: [Int] = []) {
        self.mark = mark
        self.skipped = skipped
    }

    public static func == (a: ProgramProgress, b: ProgramProgress) -> Bool {
        a.mark?.step == b.mark?.step && a.mark?.day == b.mark?.day && a.skipped == b.skipped
    }
}

extension AppDatabase {
    /// The person's choice, or nil when they never used `kindling program start` or `stop`.
    public func programChoice() throws(StoreError) -> ProgramChoiceRecord? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT program, config_name FROM program_choice WHERE id = 1")).map { row in
                ProgramChoiceRecord(
                    program: try row.decode(String?.self, forColumn: "program"),
                    configName: try row.decode(String.self, forColumn: "config_name"))
            }
        }
    }

    /// `program`'s mark and skipped steps.
    public func programProgress(_ program: String) throws(StoreError) -> ProgramProgress {
        try read { db in
            let mark = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT from_step, from_day FROM program_marks WHERE program = ?"), arguments: [program]
            ).map { row in
                (step: try row.decode(Int.self, forColumn: "from_step"), day: try row.decode(String.self, forColumn: "from_day"))
            }
            let skipped = try Int.fetchAll(
                db.cachedStatement(sql: "SELECT step FROM program_skips WHERE program = ? ORDER BY step"), arguments: [program])
            return ProgramProgress(mark: mark, skipped: skipped)
        }
    }

    /// The person starts `program` on `day`: it becomes the one in use, resuming where it was,
    /// or from its first step with nothing left out when `over` is true. `configName` is
    /// `[program] name` now; `firstStart` dates the very first run (see ``useProgram(_:on:firstStart:)``).
    public func startProgram(
        _ program: String, over: Bool, on day: String, configName: String, firstStart: String, at now: Date
    ) throws(StoreError) {
        try write { db in
            try Self.choose(db, program, configName: configName, at: now)
            try Self.switchRun(db, to: program, on: day, firstStart: firstStart)
            if over {
                try db.execute(sql: "DELETE FROM program_skips WHERE program = ?", arguments: [program])
                try Self.mark(db, program, step: 1, on: day, at: now)
            }
        }
    }

    /// The person stops their program on `day`: no program shapes the days from then on, and
    /// every program's progress is kept for when they start it again.
    public func stopProgram(on day: String, configName: String, at now: Date) throws(StoreError) {
        try write { db in
            try Self.choose(db, nil, configName: configName, at: now)
            try Self.switchRun(db, to: nil, on: day, firstStart: "")
        }
    }

    /// The person moves on: `program` is at the first day of `step` on `day`, and only the days
    /// practised from then on count towards its later steps.
    public func moveProgram(_ program: String, toStep step: Int, on day: String, at now: Date) throws(StoreError) {
        try write { db in try Self.mark(db, program, step: step, on: day, at: now) }
    }

    /// The person leaves `step`, still ahead, out of `program`. Returns false when it was left
    /// out already.
    @discardableResult
    public func leaveOutProgramStep(_ program: String, step: Int, at now: Date) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT INTO program_skips (program, step, skipped_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [program, step, milliseconds(now)])
            return db.changesCount > 0
        }
    }

    private static func choose(_ db: Database, _ program: String?, configName: String, at now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO program_choice (id, program, config_name, chosen_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET program = excluded.program, config_name = excluded.config_name,
                    chosen_at = excluded.chosen_at
                """,
            arguments: [program, configName, milliseconds(now)])
    }

    private static func mark(_ db: Database, _ program: String, step: Int, on day: String, at now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO program_marks (program, from_step, from_day, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (program) DO UPDATE SET from_step = excluded.from_step, from_day = excluded.from_day,
                    updated_at = excluded.updated_at
                """,
            arguments: [program, step, day, milliseconds(now)])
    }
}
