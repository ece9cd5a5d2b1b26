// What the person does to a prompt, and to the practice as a whole, written as intentions: each
// method changes the state and appends the event that says so in one transaction (one commit, one
// fsync), so the log never holds an event without its change, or the reverse, whatever stops the
// process. The scheduler's own changes go through `commitTick` (AppDatabase+Lifecycle).
import Foundation
import GRDB
import KindlingCore

extension AppDatabase {
    // MARK: - A prompt

    /// A prompt fired by request (`kindling fire`): the same row and `fired` event as one the
    /// timer fires, the event's detail saying it was asked for. Returns `.fired`, or
    /// `.alreadyRecorded` when that slot already has a prompt scheduled at that very instant.
    public func fireOnRequest(_ new: NewDelivery, at now: Date) throws(StoreError) -> TickOutcome {
        try write { db in try Self.apply(.fire(new), at: now, eventDetail: Self.byRequest, db) }
    }

    /// The prompt comes back at `until`; `length` (as the person gave it) goes in the event.
    /// Throws `notFound` if there is no such prompt.
    public func snoozePrompt(id: Int64, until: Date, length: String, at now: Date) throws(StoreError) -> DeliveryRecord {
        let detail = try Self.detailJSON(["for": length])
        return try write { db in
            let snoozed = try Self.change(id, at: now, db) {
                $0.status = .snoozed
                $0.snoozedUntil = until
            }
            try Self.insertEvent(.snoozed, at: now, deliveryID: id, detail: detail, db)
            return snoozed
        }
    }

    /// The person lets the prompt go. Throws `notFound` if there is no such prompt.
    public func skipPrompt(id: Int64, at now: Date) throws(StoreError) -> DeliveryRecord {
        try write { db in
            let skipped = try Self.change(id, at: now, db) {
                $0.status = .skipped
                $0.snoozedUntil = nil
            }
            try Self.insertEvent(.skipped, at: now, deliveryID: id, detail: nil, db)
            return skipped
        }
    }

    /// Saves an answer to a prompt (see ``saveAnswer(text:mood:energy:channel:deliveryID:at:localDate:)``)
    /// with its `answered` event. Returns the entry id.
    public func answerPrompt(
        text: String, mood: Int?, energy: Int?, channel: EntryChannel, deliveryID: Int64?, at now: Date, localDate: String
    ) throws(StoreError) -> Int64 {
        try write { db in
            let entry = try Self.insertAnswer(
                text: text, mood: mood, energy: energy, channel: channel, deliveryID: deliveryID, at: now,
                localDate: localDate, db)
            try Self.insertEvent(.answered, at: now, deliveryID: deliveryID, entryID: entry, detail: nil, db)
            return entry
        }
    }

    /// A prompt delivered while this journal was unavailable (kept in memory meanwhile) joins it,
    /// waiting as it was, with the events that say so: `fired` at its fired time, then `snoozed`
    /// when it is snoozed. Returns the row, or nil when the journal already holds that occurrence.
    @discardableResult
    public func keepPrompt(_ delivery: DeliveryRecord) throws(StoreError) -> DeliveryRecord? {
        try write { db in
            if try Self.delivery(db, slot: delivery.slot, scheduledAt: delivery.scheduledAt) != nil { return nil }
            var kept = delivery
            kept.id = nil
            try kept.insertCached(db)
            try Self.insertEvent(.fired, at: delivery.firedAt, deliveryID: kept.id, detail: Self.keptDetail, db)
            if kept.status == .snoozed {
                try Self.insertEvent(.snoozed, at: delivery.statusAt, deliveryID: kept.id, detail: Self.keptDetail, db)
            }
            return kept
        }
    }

    // MARK: - The practice

    /// Stores a pause (`value` under `stateKey`) with its `paused` event, whose detail carries
    /// `until` as shown to the person (nil: until resumed).
    public func pausePrompts(value: String, stateKey: String, until: String?, endsAt: Date?, at now: Date) throws(StoreError) {
        let detail = try until.map { until throws(StoreError) in try Self.detailJSON(["until": until]) }
        try write { db in
            try Self.setState(value, forKey: stateKey, at: now, db)
            // Its span too: streaks step over paused days.
            try Self.insertPause(db, at: now, until: endsAt)
            try Self.insertEvent(.paused, at: now, detail: detail, db)
        }
    }

    /// Ends the pause stored under `stateKey` with a `resumed` event. Returns false, writing
    /// nothing, when there was no pause.
    @discardableResult
    public func resumePrompts(stateKey: String, at now: Date) throws(StoreError) -> Bool {
        // Looked at first: even an empty write transaction is a commit.
        guard try state(forKey: stateKey) != nil else { return false }
        return try write { db in
            guard try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [stateKey]) != nil else {
                return false
            }
            try Self.setState(nil, forKey: stateKey, at: now, db)
            try Self.closeOpenPauses(db, at: now)
            try Self.insertEvent(.resumed, at: now, detail: nil, db)
            return true
        }
    }

    // MARK: - Inside a transaction

    /// The detail of a manual `fire`.
    static let byRequest = #"{"by":"request"}"#
    /// The detail of the events of a prompt kept from the time the journal was away.
    static let keptDetail = #"{"kept":"true"}"#

    /// `detail` as the event log stores it: a JSON object with sorted keys.
    static func detailJSON(_ detail: [String: String]) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(detail), as: UTF8.self)
        } catch {
            throw .rejected("the event detail cannot be encoded as JSON")
        }
    }

    @discardableResult
    static func insertEvent(
        _ kind: EventKind, at: Date, deliveryID: Int64? = nil, entryID: Int64? = nil, detail: String?, _ db: Database
    ) throws -> EventRecord {
        var event = EventRecord(kind: kind, at: at, deliveryID: deliveryID, entryID: entryID, detail: detail)
        try event.insertCached(db)
        return event
    }

    /// Applies `update` to delivery `id` and stamps its status time; `notFound` when it is gone.
    ///
    /// Only the columns that change are written: SQLite rewrites an index's entry for every
    /// column an UPDATE sets, even to the value it had, so writing the whole row would also
    /// rewrite a page of the slot-and-time and the day indexes, which a change of status never
    /// moves (two more pages in the WAL, each encrypted and signed in an encrypted journal).
    static func change(_ id: Int64, at now: Date, _ db: Database, _ update: (inout DeliveryRecord) -> Void) throws
        -> DeliveryRecord
    {
        guard var delivery = try DeliveryRecord.fetchOne(db, key: id) else {
            throw StoreError.notFound("there is no prompt with id \(id)")
        }
        try delivery.updateChanges(db) {
            update(&$0)
            $0.statusAt = now
        }
        return delivery
    }

    static func setState(_ value: String?, forKey key: String, at now: Date, _ db: Database) throws {
        if let value {
            // Cached: the planner's mark is set by every tick's commit.
            try db.cachedStatement(
                sql: """
                    INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """
            ).execute(arguments: [key, value, milliseconds(now)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM state WHERE key = ?").execute(arguments: [key])
        }
    }
}
