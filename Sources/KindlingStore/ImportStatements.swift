// The statements an import runs for each entry, bound and stepped through SQLite's own calls.
// GRDB's record insert builds its column list and arguments anew for every row: at 100,000
// entries that cost twice what SQLite spent storing them (measured with callgrind).
import Foundation
import GRDB
import GRDBSQLite

/// Compiled once per import batch (GRDB caches them per connection), used for every entry, inside
/// the caller's transaction. Column for column what `AnswerRecord` and `NoteRecord` write.
struct ImportStatements {
    private let db: Database
    private let answerExists: Statement
    private let noteExists: Statement
    private let newEntry: Statement
    private let newAnswer: Statement
    private let newNote: Statement

    init(_ db: Database) throws {
        self.db = db
        // An entry is already there when one of the same type has the same instant and text:
        // the time index finds the few rows of that millisecond.
        answerExists = try db.cachedStatement(
            sql: "SELECT EXISTS (SELECT 1 FROM answers WHERE answered_at = ? AND text = ?)")
        noteExists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM notes WHERE created_at = ? AND text = ?)")
        newEntry = try db.cachedStatement(sql: "INSERT INTO entries (kind) VALUES (?)")
        newAnswer = try db.cachedStatement(
            sql: """
                INSERT INTO answers (id, delivery_id, slot, prompt_text, text, mood, energy, channel, answered_at,
                    local_date, edited_at)
                VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        newNote = try db.cachedStatement(
            sql: """
                INSERT INTO notes (id, text, kind, created_at, local_date, edited_at, mood, energy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Saves `entry` unless the journal has it; true when it was saved. An imported answer
    /// answers no delivery of this journal, so its delivery is NULL whatever the record says.
    func insertIfNew(_ entry: EntryRecord) throws -> Bool {
        switch entry {
        case .answer(let answer):
            let at = milliseconds(answer.answeredAt)
            if try exists(answerExists, at, answer.text) { return false }
            let id = try insertEntry("answer")
            let s = newAnswer
            try reset(s)
            try bind(s, 1, id)
            try bind(s, 2, answer.slot)
            try bind(s, 3, answer.promptText)
            try bind(s, 4, answer.text)
            try bind(s, 5, answer.mood.map(Int64.init))
            try bind(s, 6, answer.energy.map(Int64.init))
            try bind(s, 7, answer.channel.rawValue)
            try bind(s, 8, at)
            try bind(s, 9, answer.localDate)
            try bind(s, 10, answer.editedAt.map(milliseconds))
            try stepDone(s)
        case .note(let note):
            let at = milliseconds(note.createdAt)
            if try exists(noteExists, at, note.text) { return false }
            let id = try insertEntry("note")
            let s = newNote
            try reset(s)
            try bind(s, 1, id)
            try bind(s, 2, note.text)
            try bind(s, 3, note.kind?.rawValue)
            try bind(s, 4, at)
            try bind(s, 5, note.localDate)
            try bind(s, 6, note.editedAt.map(milliseconds))
            try bind(s, 7, note.mood.map(Int64.init))
            try bind(s, 8, note.energy.map(Int64.init))
            try stepDone(s)
        }
        return true
    }

    private func exists(_ s: Statement, _ at: Int64, _ text: String) throws -> Bool {
        try reset(s)
        try bind(s, 1, at)
        try bind(s, 2, text)
        let code = sqlite3_step(s.sqliteStatement)
        guard code == SQLITE_ROW else { throw failure(code, s) }
        let found = sqlite3_column_int64(s.sqliteStatement, 0) != 0
        finish(s)
        return found
    }

    private func insertEntry(_ kind: String) throws -> Int64 {
        try reset(newEntry)
        try bind(newEntry, 1, kind)
        try stepDone(newEntry)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    private func reset(_ s: Statement) throws {
        // A statement left by a failed step is rewound here; its error was already thrown.
        sqlite3_reset(s.sqliteStatement)
    }

    /// Rewinds a statement as soon as it is done: one left mid-row would hold a read snapshot
    /// open after the commit and keep checkpoints from moving the WAL into the journal. Its
    /// bindings go too, so that no entry's text stays copied in SQLite.
    private func finish(_ s: Statement) {
        sqlite3_reset(s.sqliteStatement)
        sqlite3_clear_bindings(s.sqliteStatement)
    }

    private func bind(_ s: Statement, _ index: Int32, _ value: Int64?) throws {
        let code =
            if let value { sqlite3_bind_int64(s.sqliteStatement, index, value) } else {
                sqlite3_bind_null(s.sqliteStatement, index)
            }
        guard code == SQLITE_OK else { throw failure(code, s) }
    }

    private func bind(_ s: Statement, _ index: Int32, _ value: String?) throws {
        guard let value else { return try bind(s, index, Int64?.none) }
        // As GRDB binds a String (up to its first NUL), so stored texts and the duplicate test are
        // unchanged; SQLITE_TRANSIENT: SQLite copies the text before this call returns.
        let code = value.withCString {
            sqlite3_bind_text(s.sqliteStatement, index, $0, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        guard code == SQLITE_OK else { throw failure(code, s) }
    }

    private func stepDone(_ s: Statement) throws {
        let code = sqlite3_step(s.sqliteStatement)
        guard code == SQLITE_DONE else { throw failure(code, s) }
        finish(s)
    }

    /// The error GRDB itself would throw for this statement, so callers see no difference.
    private func failure(_ code: Int32, _ s: Statement) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        finish(s)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: s.sql)
    }
}
