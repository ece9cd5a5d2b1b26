// The schema a journal file must have: exactly what the migrations it records create, nothing more.
// A file with Kindling's mark and a clean quick_check can still carry an extra trigger (which runs
// with the daemon's rights on every write) or a column made nullable (which the record types cannot
// decode): both are refused before the file is used.
import GRDB
import Synchronization

extension AppDatabase {
    /// One object of `sqlite_master`, as compared.
    struct SchemaObject: Hashable, Comparable, Sendable {
        var type: String
        var name: String
        var table: String
        /// The CREATE statement with its whitespace normalised; nil for automatic indexes.
        var sql: String?

        static func < (lhs: SchemaObject, rhs: SchemaObject) -> Bool {
            (lhs.type, lhs.name) < (rhs.type, rhs.name)
        }

        /// "the trigger "notes_wipe"", for messages. The name comes from a file we refuse: it is
        /// cut short and stripped of control characters so it stays one printable line.
        var described: String {
            let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.prefix(64).filter { !$0.properties.isControlLike }))
            return "the \(type) \"\(cleaned)\""
        }
    }

    /// Every table, index, trigger and view in `db`, SQLite's own statistics tables aside.
    static func schemaObjects(_ db: Database) throws -> [SchemaObject] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master").compactMap { row in
            let object = SchemaObject(
                type: try row.decode(String.self, forColumn: "type"),
                name: try row.decode(String.self, forColumn: "name"),
                table: try row.decode(String.self, forColumn: "tbl_name"),
                sql: (try row.decode(String?.self, forColumn: "sql")).map(normalisedSQL))
            // sqlite_stat1..4 appear after ANALYZE and only guide the query planner.
            return object.type == "table" && object.name.lowercased().hasPrefix("sqlite_stat") ? nil : object
        }
        .sorted()
    }

    /// The schema a fresh journal has after exactly the migrations `applied` (a prefix of the
    /// migrator's list), built in memory from the migrations themselves.
    static func expectedSchema(upTo last: String) throws -> [SchemaObject] {
        if let known = expectedSchemas.withLock({ $0[last] }) { return known }
        let queue = try DatabaseQueue()
        // Never freed: freeing a GRDB queue uses a global dispatch queue, which would start
        // libdispatch's 1 Hz monitor in the daemon (see ConnectionParking).
        defer { ConnectionParking.keep(queue) }
        try migrator.migrate(queue, upTo: last)
        let schema = try queue.read(schemaObjects)
        expectedSchemas.withLock { $0[last] = schema }
        return schema
    }

    /// The expected schema after each last migration, computed once.
    private static let expectedSchemas = Mutex<[String: [SchemaObject]]>([:])

    /// Throws `corrupt` naming the first difference between the file's schema and the expected one.
    static func checkSchema(_ db: Database, path: String) throws {
        let applied = try migrator.appliedMigrations(db)
        let known = migrator.migrations
        guard let last = applied.last, Array(known.prefix(applied.count)) == applied else {
            throw StoreError.corrupt(
                path: path, reason: "its migrations (\(applied.joined(separator: ", "))) are not in Kindling's order")
        }
        let found = try schemaObjects(db)
        let expected = try expectedSchema(upTo: last)
        if let difference = schemaDifference(found: found, expected: expected) {
            throw StoreError.corrupt(path: path, reason: "its schema is not the one Kindling creates: \(difference)")
        }
    }

    /// The first difference, in words, or nil when the two schemas are the same.
    static func schemaDifference(found: [SchemaObject], expected: [SchemaObject]) -> String? {
        let expectedByKey = Dictionary(expected.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let foundByKey = Dictionary(found.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
        for object in found {
            guard let twin = expectedByKey[Key(object)] else { return "\(object.described) was added" }
            if twin != object { return "\(object.described) is defined differently" }
        }
        for object in expected where foundByKey[Key(object)] == nil {
            return "\(object.described) is missing"
        }
        return found.count == expected.count ? nil : "an object appears twice"
    }

    private struct Key: Hashable {
        var type: String
        var name: String
        init(_ object: SchemaObject) {
            type = object.type
            name = object.name.lowercased()
        }
    }

    /// Collapses each run of whitespace outside quotes to one space and trims the ends, so the
    /// comparison ignores layout but not a single character that SQLite would read differently.
    static func normalisedSQL(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count)
        var quote: Character?
        var pendingSpace = false
        for character in sql {
            if let open = quote {
                out.append(character)
                if character == open || (open == "[" && character == "]") { quote = nil }
                continue
            }
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(character)
            if character == "'" || character == "\"" || character == "`" || character == "[" { quote = character }
        }
        return out
    }
}

extension Unicode.Scalar.Properties {
    /// C0 and C1 controls, DEL, and the bidirectional overrides that can disguise a line.
    var isControlLike: Bool {
        generalCategory == .control || generalCategory == .format
    }
}
