// Writes, named after what the daemon means to do. Each runs in one transaction and throws only
// StoreError.
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Deliveries

    /// Records that an occurrence was delivered, unless it already was: a restart never delivers the
    /// same (slot, scheduled instant) twice. Returns the new row, or the existing one.
    public func recordDelivery(
        slot: String,
        scheduledAt: Date,
        localDate: String,
        promptText: String,
        promptKey: String,
        programName: String? = nil,
        programDay: Int? = nil,
        firedAt: Date,
        expiresAt: Date
    ) throws(StoreError) -> DeliveryInsertion {
        try write { db in
            if let existing = try Self.delivery(db, slot: slot, scheduledAt: scheduledAt) {
                return .alreadyDelivered(existing)
            }
            var delivery = DeliveryRecord(
                slot: slot, scheduledAt: scheduledAt, localDate: localDate, promptText: promptText,
                promptKey: promptKey, programName: programName, programDay: programDay,
                firedAt: firedAt, expiresAt: expiresAt)
            try delivery.insertCached(db)
            return .recorded(delivery)
        }
    }

    /// Moves a delivery to `status` at `at`. `snoozedUntil` is kept only for `.snoozed`.
    /// Throws `notFound` if there is no such delivery.
    @discardableResult
    public func markDelivery(
        id: Int64, status: DeliveryRecord.Status, at: Date, snoozedUntil: Date? = nil
    ) throws(StoreError) -> DeliveryRecord {
        try write { db in
            try Self.change(id, at: at, db) {
                $0.status = status
                $0.snoozedUntil = status == .snoozed ? snoozedUntil : nil
            }
        }
    }

    /// A deferred prompt (snoozed, or held back by quiet hours) is delivered now: it becomes
    /// pending again with `at` as its fired time. Throws `notFound` if there is no such delivery.
    @discardableResult
    public func markFired(id: Int64, at: Date) throws(StoreError) -> DeliveryRecord {
        try write { db in
            try Self.change(id, at: at, db) {
                $0.status = .pending
                $0.firedAt = at
                $0.snoozedUntil = nil
            }
        }
    }

    // MARK: - Entries

    /// Saves an answer and returns its entry id. With a `deliveryID`, the answer copies the prompt's slot
    /// and text and the delivery is marked answered, in the same transaction; an unknown delivery id
    /// throws `notFound` and saves nothing.
    public func saveAnswer(
        text: String,
        mood: Int? = nil,
        energy: Int? = nil,
        channel: EntryChannel,
        deliveryID: Int64?,
        at: Date,
        localDate: String
    ) throws(StoreError) -> Int64 {
        try write { db in
            try Self.insertAnswer(
                text: text, mood: mood, energy: energy, channel: channel, deliveryID: deliveryID, at: at, localDate: localDate, db
            )
        }
    }

    /// The answer's rows, inside a transaction: the entry, and the delivery marked answered.
    static func insertAnswer(
        text: String, mood: Int?, energy: Int?, channel: EntryChannel, deliveryID: Int64?, at: Date, localDate: String,
        _ db: Database
    ) throws -> Int64 {
        var delivery: DeliveryRecord?
        if let deliveryID {
            guard let found = try DeliveryRecord.fetchOne(db, key: deliveryID) else {
                throw StoreError.notFound("there is no prompt with id \(deliveryID)")
            }
            delivery = found
        }
        let id = try newEntryID(db, kind: "answer")
        let answer = AnswerRecord(
            id: id, deliveryID: deliveryID, slot: delivery?.slot, promptText: delivery?.promptText,
            text: text, mood: mood, energy: energy, channel: channel, answeredAt: at,
            localDate: localDate)
        try answer.insert(db)
        if var delivery {
            try delivery.updateChanges(db) {
                $0.status = .answered
                $0.statusAt = at
                $0.snoozedUntil = nil
            }
        }
        return id
    }

    /// Saves a quick note with its `noted` event, in one transaction, and returns its entry id.
    public func saveNoteRecording(
        text: String, kind: NoteRecord.Kind? = nil, at: Date, localDate: String, mood: Int? = nil, energy: Int? = nil
    ) throws(StoreError) -> Int64 {
        try write { db in
            let id = try Self.newEntryID(db, kind: "note")
            try NoteRecord(id: id, text: text, kind: kind, createdAt: at, localDate: localDate, mood: mood, energy: energy)
                .insert(db)
            try Self.insertEvent(.noted, at: at, entryID: id, detail: nil, db)
            return id
        }
    }

    /// Saves a quick note and returns its entry id.
    public func saveNote(
        text: String, kind: NoteRecord.Kind? = nil, at: Date, localDate: String, mood: Int? = nil, energy: Int? = nil
    ) throws(StoreError) -> Int64 {
        try write { db in
            let id = try Self.newEntryID(db, kind: "note")
            try NoteRecord(id: id, text: text, kind: kind, createdAt: at, localDate: localDate, mood: mood, energy: energy)
                .insert(db)
            return id
        }
    }

    // MARK: - Events and state

    /// Appends an event to the log. `detail` is encoded as a JSON object (sorted keys); it must never
    /// carry the person's own text.
    @discardableResult
    public func recordEvent(
        _ kind: EventRecord.Kind,
        at: Date,
        deliveryID: Int64? = nil,
        entryID: Int64? = nil,
        detail: [String: String]? = nil
    ) throws(StoreError) -> EventRecord {
        let json = try detail.map { detail throws(StoreError) in try Self.detailJSON(detail) }
        return try write { db in
            try Self.insertEvent(kind, at: at, deliveryID: deliveryID, entryID: entryID, detail: json, db)
        }
    }

    /// Sets (or, with nil, removes) a small piece of daemon state, e.g. pause-until.
    public func setState(_ value: String?, forKey key: String, at: Date) throws(StoreError) {
        try write { db in try Self.setState(value, forKey: key, at: at, db) }
    }

    /// Inserts or replaces a program's progress.
    public func saveProgramState(_ state: ProgramStateRecord) throws(StoreError) {
        try write { db in
            try state.upsert(db)
        }
    }

    // MARK: - Helpers

    /// Reserves the next entry id (shared by answers and notes, never reused).
    static func newEntryID(_ db: Database, kind: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO entries (kind) VALUES (?)", arguments: [kind])
        return db.lastInsertedRowID
    }
}
