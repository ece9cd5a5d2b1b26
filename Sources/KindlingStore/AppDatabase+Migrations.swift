// The journal's schema. A migration that has shipped is never edited: changes go in a new one.
import GRDB

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
        migrator.registerMigration("hidden-prompts") { db in
            try db.execute(sql: hiddenPrompts)
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
