// The journal's schema. A migration that has shipped is never edited: changes go in a new one.
import Foundation
import GRDB
import KindlingCore

extension AppDatabase {
    /// `PRAGMA application_id` of every Kindling journal: 'KIND'.
    public static let applicationID: Int32 = 0x4B49_4E44

    /// The migrations this binary knows, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Never `eraseDatabaseOnSchemaChange`: the journal holds the person's private writing.
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-note-mood-energy") { db in
            try db.execute(sql: v2NoteMoodEnergy)
        }
        migrator.registerMigration("v3-pauses-and-program-runs") { db in
            try db.execute(sql: pausesAndProgramRuns)
            try recoverPauses(db)
        }
        migrator.registerMigration("v4-hidden-prompts") { db in
            try db.execute(sql: hiddenPrompts)
        }
        migrator.registerMigration("v5-program-choices") { db in
            try db.execute(sql: programChoices)
        }
        migrator.registerMigration("v6-leaner-indexes") { db in
            try db.execute(sql: leanerIndexes)
        }
        return migrator
    }

    /// The first schema. Times are INTEGER milliseconds since the Unix epoch (UTC); `local_date` is the
    /// date in the person's zone at write time ('YYYY-MM-DD').
    static let v1 = """
        PRAGMA application_id = \(applicationID);

        -- One row per prompt occurrence delivered. UNIQUE(slot, scheduled_at): an occurrence is never
        -- delivered twice, even across restarts.
        CREATE TABLE deliveries (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            slot          TEXT    NOT NULL CHECK (length(slot) > 0),
            scheduled_at  INTEGER NOT NULL,
            local_date    TEXT    NOT NULL
                          CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            prompt_text   TEXT    NOT NULL,
            prompt_key    TEXT    NOT NULL,
            program_name  TEXT,
            program_day   INTEGER CHECK (program_day IS NULL OR program_day >= 1),
            fired_at      INTEGER NOT NULL,
            expires_at    INTEGER NOT NULL,
            status        TEXT    NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'answered', 'snoozed', 'skipped', 'missed', 'expired')),
            status_at     INTEGER NOT NULL,
            snoozed_until INTEGER,
            UNIQUE (slot, scheduled_at)
        );
        CREATE INDEX deliveries_status ON deliveries (status);
        CREATE INDEX deliveries_local_date ON deliveries (local_date);

        -- Entry ids, shared by answers and notes: `kindling edit ID` names exactly one entry, and an id
        -- is never reused after a deletion (AUTOINCREMENT). Deleting an entry deletes its row here.
        CREATE TABLE entries (
            id   INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('answer', 'note'))
        );

        -- Answers to prompts. slot and prompt_text are copied from the delivery so an answer keeps its
        -- question after import or once its delivery row is gone.
        CREATE TABLE answers (
            id          INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
            delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
            slot        TEXT,
            prompt_text TEXT,
            text        TEXT    NOT NULL,
            mood        INTEGER CHECK (mood IS NULL OR (typeof(mood) = 'integer' AND mood BETWEEN 1 AND 5)),
            energy      INTEGER CHECK (energy IS NULL OR (typeof(energy) = 'integer' AND energy BETWEEN 1 AND 5)),
            channel     TEXT    NOT NULL,
            answered_at INTEGER NOT NULL,
            local_date  TEXT    NOT NULL
                        CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            edited_at   INTEGER
        );
        CREATE INDEX answers_local_date ON answers (local_date);
        CREATE INDEX answers_answered_at ON answers (answered_at);
        CREATE INDEX answers_delivery_id ON answers (delivery_id);

        -- Quick notes: an act of kindness given or received, or just a note (kind NULL).
        CREATE TABLE notes (
            id         INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
            text       TEXT    NOT NULL,
            kind       TEXT    CHECK (kind IN ('given', 'received')),
            created_at INTEGER NOT NULL,
            local_date TEXT    NOT NULL
                       CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            edited_at  INTEGER
        );
        CREATE INDEX notes_local_date ON notes (local_date);
        CREATE INDEX notes_created_at ON notes (created_at);

        -- Append-only log of what happened (fired, answered, snoozed, skipped, paused, reloaded...).
        -- detail is a JSON object and never holds the person's own text. Rows may be deleted (erasure),
        -- and their references cleared by ON DELETE SET NULL, but never rewritten.
        CREATE TABLE events (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            kind        TEXT    NOT NULL,
            at          INTEGER NOT NULL,
            delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
            entry_id    INTEGER REFERENCES entries (id) ON DELETE SET NULL,
            detail      TEXT
        );
        CREATE INDEX events_at ON events (at);
        CREATE INDEX events_delivery_id ON events (delivery_id);
        CREATE INDEX events_entry_id ON events (entry_id);
        CREATE TRIGGER events_append_only BEFORE UPDATE OF id, kind, at, detail ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only');
        END;

        -- Progress through a program, which advances by practised days. skipped: JSON array of the
        -- program days (or weeks) the person leaves out.
        CREATE TABLE program_state (
            program          TEXT    PRIMARY KEY NOT NULL,
            started_on       TEXT    NOT NULL
                             CHECK (started_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            practised_days   INTEGER NOT NULL DEFAULT 0 CHECK (practised_days >= 0),
            last_advanced_on TEXT,
            skipped          TEXT    NOT NULL DEFAULT '[]',
            updated_at       INTEGER NOT NULL
        );

        -- Small daemon state that must survive a restart (e.g. pause-until).
        CREATE TABLE state (
            key        TEXT    PRIMARY KEY NOT NULL,
            value      TEXT    NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """

    /// A note can say how the person feels (`kindling note --mood N --energy N`): a low energy
    /// turns the day's nudge and reflection gentle. Same checks as the answers' columns.
    static let v2NoteMoodEnergy = """
        ALTER TABLE notes ADD COLUMN mood INTEGER
            CHECK (mood IS NULL OR (typeof(mood) = 'integer' AND mood BETWEEN 1 AND 5));
        ALTER TABLE notes ADD COLUMN energy INTEGER
            CHECK (energy IS NULL OR (typeof(energy) = 'integer' AND energy BETWEEN 1 AND 5));
        """

    /// Rest never costs: each pause with its span, so streaks can step over paused days, and each
    /// program's own runs, so switching programs keeps every program's progress apart.
    static let pausesAndProgramRuns = """
        -- One row per pause. until_at: the end it was given (NULL: until resume). ended_at: when it
        -- ended early (resume, or a new pause); NULL while it runs or when it ran to until_at.
        CREATE TABLE pauses (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at INTEGER NOT NULL,
            until_at   INTEGER CHECK (until_at IS NULL OR until_at >= started_at),
            ended_at   INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at)
        );
        CREATE INDEX pauses_started_at ON pauses (started_at);

        -- The days each program shaped: [started_on, ended_on), ended_on NULL while it is the one
        -- in use. A program's progress is the practised days inside its own runs, so switching to
        -- another program starts that one where it was (or at day 1) and leaves this one waiting.
        CREATE TABLE program_runs (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            program    TEXT NOT NULL CHECK (length(program) > 0),
            started_on TEXT NOT NULL
                       CHECK (started_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            ended_on   TEXT CHECK (ended_on IS NULL OR (ended_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
                                                        AND ended_on >= started_on))
        );
        CREATE INDEX program_runs_program ON program_runs (program);

        """

    /// Pauses taken before spans were kept, read back from the event log (`paused` with its
    /// `until`, `resumed`), so an upgrade costs no streak either. A pause still running keeps
    /// its end from the daemon's state even when its events were erased.
    static func recoverPauses(_ db: Database) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT kind, at, detail FROM events WHERE kind IN ('paused', 'resumed') ORDER BY at, id")
        for row in rows {
            let at: Int64 = try row.decode(Int64.self, forColumn: "at")
            try db.execute(
                sql: """
                    UPDATE pauses SET ended_at = max(started_at, ?1)
                    WHERE ended_at IS NULL AND (until_at IS NULL OR until_at > ?1)
                    """,
                arguments: [at])
            guard try row.decode(String.self, forColumn: "kind") == "paused" else { continue }
            let detail = try row.decode(String?.self, forColumn: "detail")
            let until = detail.flatMap(pauseEnd).map { max(milliseconds($0), at) }
            try db.execute(sql: "INSERT INTO pauses (started_at, until_at) VALUES (?, ?)", arguments: [at, until])
        }
        guard
            let running = try Row.fetchOne(
                db, sql: "SELECT value, updated_at FROM state WHERE key = 'scheduler.paused_until'")
        else { return }
        let value: String = try running.decode(String.self, forColumn: "value")
        let began: Int64 =
            try Int64.fetchOne(db, sql: "SELECT max(started_at) FROM pauses WHERE ended_at IS NULL")
            ?? running.decode(Int64.self, forColumn: "updated_at")
        let until: Int64? = value == "indefinite" ? nil : Int64(value).map { max($0, began) }
        // The state is the truth about the pause that runs now: its last row takes that end.
        try db.execute(
            sql: "UPDATE pauses SET until_at = ? WHERE id = (SELECT max(id) FROM pauses) AND ended_at IS NULL",
            arguments: [until])
        if db.changesCount == 0 {
            try db.execute(sql: "INSERT INTO pauses (started_at, until_at) VALUES (?, ?)", arguments: [began, until])
        }
    }

    /// The `until` of a `paused` event's detail (`{"until":"2026-11-22T12:00:00.000+01:00"}`).
    private static func pauseEnd(_ detail: String) -> Date? {
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(detail.utf8)),
            let text = object["until"]
        else { return nil }
        return Timestamp.parse(text)
    }
}

extension AppDatabase {
    /// Built-in prompts the person turned off one by one (`kindling prompt hide KEY`). Only keys
    /// (e.g. "nudge.hold-a-door"), never anything the person wrote.
    static let hiddenPrompts = """
        CREATE TABLE hidden_prompts (
            key       TEXT    PRIMARY KEY NOT NULL CHECK (length(key) > 0),
            hidden_at INTEGER NOT NULL
        );
        """
}

extension AppDatabase {
    /// The person's own program choices (`kindling program start | stop | skip`): which program
    /// they chose, where a program's progress counts from after beginning again or moving on, and
    /// the steps they chose to leave out. Names and numbers only, never anything they wrote.
    static let programChoices = """
        -- At most one row: the program the person chose (NULL: they stopped). config_name is
        -- `[program] name` when they chose; once the config names another program, it wins again.
        CREATE TABLE program_choice (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            program     TEXT    CHECK (program IS NULL OR length(program) > 0),
            config_name TEXT    NOT NULL,
            chosen_at   INTEGER NOT NULL
        );

        -- Where a program's progress counts from: step from_step begins on from_day, and only the
        -- practised days from then on move it further (`start --over`, skipping the step in hand).
        CREATE TABLE program_marks (
            program    TEXT    PRIMARY KEY NOT NULL CHECK (length(program) > 0),
            from_step  INTEGER NOT NULL CHECK (from_step >= 1),
            from_day   TEXT    NOT NULL
                       CHECK (from_day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            updated_at INTEGER NOT NULL
        );

        -- Steps still ahead that the person chose to leave out (`kindling program skip STEP`).
        CREATE TABLE program_skips (
            program    TEXT    NOT NULL CHECK (length(program) > 0),
            step       INTEGER NOT NULL CHECK (step >= 1),
            skipped_at INTEGER NOT NULL,
            PRIMARY KEY (program, step)
        );
        """
}

extension AppDatabase {
    /// Fewer pages a save, fewer pages a count. Every page a transaction changes is written to the
    /// WAL (and, in an encrypted journal, encrypted and signed), and every page a read needs after
    /// a write is read again (and decrypted). Same queries, same results: only the indexes change.
    static let leanerIndexes = """
        -- An event names a delivery or an entry, seldom both, and an answer given at the command
        -- line names no delivery: index only the rows that name one, so that a saved note writes
        -- no page of the deliveries' index and a fired prompt none of the entries'. A lookup by id
        -- (`delivery_id = ?`, as ON DELETE SET NULL makes) still uses them.
        DROP INDEX events_delivery_id;
        CREATE INDEX events_delivery_id ON events (delivery_id) WHERE delivery_id IS NOT NULL;
        DROP INDEX events_entry_id;
        CREATE INDEX events_entry_id ON events (entry_id) WHERE entry_id IS NOT NULL;
        DROP INDEX answers_delivery_id;
        CREATE INDEX answers_delivery_id ON answers (delivery_id) WHERE delivery_id IS NOT NULL;

        -- The day's index carries what stats and the report count by day (slot, kind, mood,
        -- energy), so they read a few index pages instead of every row of the weeks they show.
        DROP INDEX answers_local_date;
        CREATE INDEX answers_local_date ON answers (local_date, slot, mood, energy);
        DROP INDEX notes_local_date;
        CREATE INDEX notes_local_date ON notes (local_date, kind, mood, energy);
        """
}
