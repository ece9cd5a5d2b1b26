// The rows a fired prompt's commit appends, inserted through statements each connection
// prepares once.
//
// GRDB's record insert works out the table's columns and builds its INSERT for every row (its
// DAO, a PersistenceContainer, the statement cache looked up by SQL text): on a fired prompt's
// commit that was about 120,000 instructions for the delivery and its event, more than SQLite's
// own work on both rows (callgrind, release build). These write the same columns with the same
// values as the records' `encode(to:)`; CachedInsertTests holds the two to the same rows.
import GRDB

extension DeliveryRecord {
    /// The columns ``insertCached(_:)`` writes, in its order: every column `encode(to:)` writes.
    static let insertColumns = [
        "id", "slot", "scheduled_at", "local_date", "prompt_text", "prompt_key", "program_name", "program_day", "fired_at",
        "expires_at", "status", "status_at", "snoozed_until",
    ]
    private static let insertSQL = CachedInsert.sql(table: databaseTableName, columns: insertColumns)

    /// Inserts this row as `insert(_:)` would, and takes the id SQLite gave it.
    mutating func insertCached(_ db: Database) throws {
        try db.cachedStatement(sql: Self.insertSQL).execute(arguments: [
            id, slot, milliseconds(scheduledAt), localDate, promptText, promptKey, programName, programDay,
            milliseconds(firedAt), milliseconds(expiresAt), status, milliseconds(statusAt), snoozedUntil.map(milliseconds),
        ])
        id = db.lastInsertedRowID
    }
}

extension EventRecord {
    /// The columns ``insertCached(_:)`` writes, in its order: every column `encode(to:)` writes.
    static let insertColumns = ["id", "kind", "at", "delivery_id", "entry_id", "detail"]
    private static let insertSQL = CachedInsert.sql(table: databaseTableName, columns: insertColumns)

    /// Inserts this row as `insert(_:)` would, and takes the id SQLite gave it.
    mutating func insertCached(_ db: Database) throws {
        try db.cachedStatement(sql: Self.insertSQL).execute(arguments: [
            id, kind, milliseconds(at), deliveryID, entryID, detail,
        ])
        id = db.lastInsertedRowID
    }
}

enum CachedInsert {
    static func sql(table: String, columns: [String]) -> String {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT INTO \"\(table)\" (\(names)) VALUES (\(marks))"
    }
}
