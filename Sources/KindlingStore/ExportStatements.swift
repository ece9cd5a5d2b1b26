// The export's reads, stepped through SQLite's own calls and read column by position. GRDB's
// record decoding found each column by name and looked up its type's metadata for every value:
// 46% of the daemon's CPU in an export of 100,000 entries (perf, call graphs).
import Foundation
import GRDB
import GRDBSQLite

/// A batch of answers or notes after an export cursor, in the order written. Every value is
/// converted as the records' `init(row:)` converts it (the same `fromDatabaseValue` of each type,
/// and for times SQLite's own integer conversion), so a damaged row is the same error for the
/// request as before, never a crash.
struct ExportStatements {
    private let answers: Statement
    private let notes: Statement

    init(_ db: Database) throws {
        // A row-value comparison seeks the (time, rowid) index; the equivalent
        // `t > ? OR (t = ? AND id > ?)` scans it from the start, making each batch slower
        // the further the export gets (measured: 5.1 ms against 0.5 ms at row 50,000).
        answers = try db.cachedStatement(
            sql: """
                SELECT id, delivery_id, slot, prompt_text, text, mood, energy, channel, answered_at, local_date,
                    edited_at
                FROM answers WHERE (answered_at, id) > (?, ?) ORDER BY answered_at, id LIMIT ?
                """)
        notes = try db.cachedStatement(
            sql: """
                SELECT id, text, kind, created_at, local_date, edited_at, mood, energy
                FROM notes WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?
                """)
    }

    /// Up to `limit` answers after (`at`, `id`), `at` in milliseconds.
    func answers(after at: Int64, id: Int64, limit: Int) throws -> [AnswerRecord] {
        try rows(answers, at, id, limit) { row in
            AnswerRecord(
                id: try row.optionalInt64(0), deliveryID: try row.optionalInt64(1), slot: try row.optionalString(2),
                promptText: try row.optionalString(3), text: try row.string(4), mood: try row.optionalInt(5),
                energy: try row.optionalInt(6), channel: EntryChannel(rawValue: try row.string(7)),
                answeredAt: try row.time(8), localDate: try row.string(9), editedAt: row.optionalTime(10))
        }
    }

    /// Up to `limit` notes after (`at`, `id`), `at` in milliseconds.
    func notes(after at: Int64, id: Int64, limit: Int) throws -> [NoteRecord] {
        try rows(notes, at, id, limit) { row in
            NoteRecord(
                id: try row.optionalInt64(0), text: try row.string(1),
                kind: try row.optionalString(2).map { text throws(StoreError) in
                    guard let kind = NoteRecord.Kind(rawValue: text) else { throw StoreError.unreadableRow }
                    return kind
                },
                createdAt: try row.time(3), localDate: try row.string(4), editedAt: row.optionalTime(5),
                mood: try row.optionalInt(6),
                energy: try row.optionalInt(7))
        }
    }

    private func rows<Record>(
        _ statement: Statement, _ at: Int64, _ id: Int64, _ limit: Int, _ record: (Columns) throws -> Record
    ) throws -> [Record] {
        try statement.setArguments([at, id, limit])
        let columns = Columns(statement: statement.sqliteStatement)
        // Rewound however it ends: a statement left mid-row would hold its read snapshot open.
        defer { sqlite3_reset(statement.sqliteStatement) }
        var records: [Record] = []
        while true {
            let code = sqlite3_step(statement.sqliteStatement)
            if code == SQLITE_DONE { return records }
            guard code == SQLITE_ROW else {
                let message = sqlite3_db_handle(statement.sqliteStatement).map { String(cString: sqlite3_errmsg($0)) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
            records.append(try record(columns))
        }
    }

    /// The current row's values, by position.
    private struct Columns {
        let statement: SQLiteStatement

        /// A time in milliseconds, read as the records read it (GRDB's fast path for a concrete
        /// Int64): NULL is refused, anything else is SQLite's own conversion to an integer.
        func time(_ index: Int32) throws(StoreError) -> Date {
            guard let time = optionalTime(index) else { throw .unreadableRow }
            return time
        }

        func optionalTime(_ index: Int32) -> Date? {
            guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return nil }
            return date(milliseconds: sqlite3_column_int64(statement, index))
        }

        func optionalInt64(_ index: Int32) throws(StoreError) -> Int64? { try optional(index, Int64.fromDatabaseValue) }

        func optionalInt(_ index: Int32) throws(StoreError) -> Int? { try optional(index, Int.fromDatabaseValue) }

        /// A text that must be there: NULL is refused as a value of the wrong type is.
        func string(_ index: Int32) throws(StoreError) -> String {
            guard let text = try optionalString(index) else { throw .unreadableRow }
            return text
        }

        func optionalString(_ index: Int32) throws(StoreError) -> String? { try optional(index, String.fromDatabaseValue) }

        /// nil for NULL; otherwise the value as `convert` (a type's `fromDatabaseValue`) makes it,
        /// and a value it refuses is an unreadable row.
        private func optional<Value>(_ index: Int32, _ convert: (DatabaseValue) -> Value?) throws(StoreError) -> Value? {
            let value = DatabaseValue(sqliteStatement: statement, index: index)
            if value.isNull { return nil }
            guard let converted = convert(value) else { throw .unreadableRow }
            return converted
        }
    }
}
