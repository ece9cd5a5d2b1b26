// Reads (on the writer connection: see `AppDatabase.read(_:)`). Each throws only StoreError.
// The ones `status`, `pending` and the scheduler run all the time use cached statements:
// preparing the SQL again on every call cost more than running it.
import Foundation
import GRDB
import KindlingCore

extension AppDatabase {
    /// Deliveries still waiting for an answer (pending or snoozed), oldest first.
    public func pendingDeliveries() throws(StoreError) -> [DeliveryRecord] {
        try read { db in
            try DeliveryRecord.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM deliveries \(Self.waitingRows)"))
        }
    }

    /// What the planner needs of the deliveries still waiting (``pendingDeliveries()``'s rows,
    /// in its order): four columns read by position, not every column by name, since it runs
    /// for every prompt fired and every instant readied.
    public func waitingPrompts() throws(StoreError) -> [WaitingPrompt] {
        try read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: "SELECT id, slot, expires_at, snoozed_until FROM deliveries \(Self.waitingRows)"))
            var waiting: [WaitingPrompt] = []
            while let row = try rows.next() {
                waiting.append(
                    WaitingPrompt(
                        id: try row.decode(Int64.self, atIndex: 0), slot: try row.decode(String.self, atIndex: 1),
                        expiresAt: date(milliseconds: try row.decode(Int64.self, atIndex: 2)),
                        snoozedUntil: try row.decode(Int64?.self, atIndex: 3).map { date(milliseconds: $0) }))
            }
            return waiting
        }
    }

    /// The deliveries still waiting, oldest first: one clause for both reads above.
    private static let waitingRows = "WHERE status IN ('pending', 'snoozed') ORDER BY fired_at, id"

    /// The delivery with this id, if any.
    public func delivery(id: Int64) throws(StoreError) -> DeliveryRecord? {
        try read { db in
            try DeliveryRecord.fetchOne(db, key: id)
        }
    }

    /// The delivery of this occurrence, if it was delivered.
    public func delivery(slot: String, scheduledAt: Date) throws(StoreError) -> DeliveryRecord? {
        try read { db in
            try Self.delivery(db, slot: slot, scheduledAt: scheduledAt)
        }
    }

    /// The prompt keys most recently delivered for `slot`, newest first (for the no-repeat rotation).
    public func recentPromptKeys(slot: String, limit: Int) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(
                db.cachedStatement(sql: "SELECT prompt_key FROM deliveries WHERE slot = ? ORDER BY scheduled_at DESC LIMIT ?"),
                arguments: [slot, limit])
        }
    }

    /// The answer with this entry id, if any.
    public func answer(id: Int64) throws(StoreError) -> AnswerRecord? {
        try read { db in try AnswerRecord.fetchOne(db, key: id) }
    }

    /// The note with this entry id, if any.
    public func note(id: Int64) throws(StoreError) -> NoteRecord? {
        try read { db in try NoteRecord.fetchOne(db, key: id) }
    }

    /// How many entries (answers and notes) the journal holds.
    public func entryCount() throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM notes)") ?? 0
        }
    }

    /// The local dates ('YYYY-MM-DD', ascending) with at least one answer or note, from `since`
    /// (inclusive) if given.
    /// Kept across writes, and changed only by those that add or remove a day (see
    /// ``PractisedDays``): a ten-year journal's list takes several milliseconds to read.
    public func practisedDays(since: String? = nil) throws(StoreError) -> [String] {
        let since = since ?? ""
        // The epoch is taken before the read begins: a change committed meanwhile is not lost.
        let (kept, epoch) = practised.lookup(since: since)
        if let kept { return kept }
        let days = try readPractisedDays()
        practised.keep(days, epoch: epoch)
        return Array(days[PractisedDays.start(of: since, in: days)...])
    }

    /// Every practised day, read afresh from the journal.
    func readPractisedDays() throws(StoreError) -> [String] {
        practised.computations.add(1, ordering: .relaxed)
        return try read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT local_date FROM answers
                        UNION
                        SELECT local_date FROM notes
                        ORDER BY 1
                        """))
        }
    }

    /// A piece of daemon state, e.g. pause-until.
    public func state(forKey key: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM state WHERE key = ?"), arguments: [key])
        }
    }

    /// A program's progress, if it has started.
    public func programState(named program: String) throws(StoreError) -> ProgramStateRecord? {
        try read { db in try ProgramStateRecord.fetchOne(db, key: program) }
    }

    /// Events in the order they happened, optionally from `since` (inclusive).
    public func events(since: Date? = nil) throws(StoreError) -> [EventRecord] {
        try read { db in
            try EventRecord.fetchAll(
                db,
                sql: "SELECT * FROM events WHERE at >= ? ORDER BY at, id",
                arguments: [since.map(milliseconds) ?? Int64.min])
        }
    }

    // MARK: - Helpers

    /// The latest answer to a prompt of `slot` delivered on `localDate` (the evening reflection
    /// quotes the morning's intention with it).
    public func answerText(slot: String, localDate: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT answers.text FROM answers
                        JOIN deliveries ON deliveries.id = answers.delivery_id
                        WHERE deliveries.slot = ? AND deliveries.local_date = ?
                        ORDER BY answers.answered_at DESC LIMIT 1
                        """),
                arguments: [slot, localDate])
        }
    }

    static func delivery(_ db: Database, slot: String, scheduledAt: Date) throws -> DeliveryRecord? {
        try DeliveryRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM deliveries WHERE slot = ? AND scheduled_at = ?"),
            arguments: [slot, milliseconds(scheduledAt)])
    }
}
