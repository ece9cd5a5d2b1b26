// The journal's rows as plain values. Timestamps are stored as INTEGER milliseconds since the Unix epoch
// (UTC); local dates as 'YYYY-MM-DD' in the person's zone at write time, supplied by the caller.
//
// Rows are mapped by hand (`init(row:)`, `encode(to:)`) rather than through Codable: GRDB's Codable
// millisecond strategy floors `1000 * seconds`, which can drift a stored instant by 1 ms on a
// fetch-and-save round trip. The structs stay Codable for export and tests.
import Foundation
import GRDB
import KindlingCore

// MARK: - Time

/// Milliseconds since the Unix epoch, rounded to the nearest millisecond.
@inline(__always)
func milliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// The instant `ms` milliseconds after the Unix epoch. Exact round trip with `milliseconds(_:)`.
@inline(__always)
func date(milliseconds ms: Int64) -> Date {
    Date(timeIntervalSince1970: Double(ms) / 1000)
}

// Every column is read with GRDB's throwing `decode`: its subscript traps on a NULL or a value of the
// wrong type, and one such row (from a damaged or hand-edited file) would then crash the daemon on every
// start. With `decode` it is an error for that one request.
extension Row {
    fileprivate func value<Value: DatabaseValueConvertible>(_ column: String) throws -> Value {
        try decode(Value.self, forColumn: column)
    }

    fileprivate func date(_ column: String) throws -> Date {
        KindlingStore.date(milliseconds: try decode(Int64.self, forColumn: column))
    }

    fileprivate func optionalDate(_ column: String) throws -> Date? {
        try decode(Int64?.self, forColumn: column).map { KindlingStore.date(milliseconds: $0) }
    }
}

// MARK: - Deliveries

/// One prompt occurrence delivered to the person. At most one row per (slot, scheduled instant).
public struct DeliveryRecord: Codable, Hashable, Sendable, Identifiable {
    /// Where the occurrence stands. `pending` and `snoozed` are still waiting for an answer.
    public enum Status: String, Codable, Hashable, Sendable, CaseIterable, DatabaseValueConvertible {
        case pending, answered, snoozed, skipped, missed, expired
    }

    public var id: Int64?
    public var slot: String
    /// The occurrence's scheduled instant (not when it was fired: catch-up and quiet hours delay that).
    public var scheduledAt: Date
    /// The scheduled instant's date in the person's zone, 'YYYY-MM-DD'.
    public var localDate: String
    public var promptText: String
    /// Stable identity of the prompt within its slot, for the no-repeat rotation.
    public var promptKey: String
    public var programName: String?
    public var programDay: Int?
    public var firedAt: Date
    public var expiresAt: Date
    public var status: Status
    public var statusAt: Date
    public var snoozedUntil: Date?

    public init(
        id: Int64? = nil, slot: String, scheduledAt: Date, localDate: String, promptText: String,
        promptKey: String, programName: String? = nil, programDay: Int? = nil, firedAt: Date,
        expiresAt: Date, status: Status = .pending, statusAt: Date? = nil, snoozedUntil: Date? = nil
    ) {
        self.id = id
        self.slot = slot
        self.scheduledAt = scheduledAt
        self.localDate = localDate
        self.promptText = promptText
        self.promptKey = promptKey
        self.programName = programName
        self.programDay = programDay
        self.firedAt = firedAt
        self.expiresAt = expiresAt
        self.status = status
        self.statusAt = statusAt ?? firedAt
        self.snoozedUntil = snoozedUntil
    }
}

extension DeliveryRecord: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { "deliveries" }

    public init(row: Row) throws {
        id = try row.value("id")
        slot = try row.value("slot")
        scheduledAt = try row.date("scheduled_at")
        localDate = try row.value("local_date")
        promptText = try row.value("prompt_text")
        promptKey = try row.value("prompt_key")
        programName = try row.value("program_name")
        programDay = try row.value("program_day")
        firedAt = try row.date("fired_at")
        expiresAt = try row.date("expires_at")
        status = try row.value("status")
        statusAt = try row.date("status_at")
        snoozedUntil = try row.optionalDate("snoozed_until")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["slot"] = slot
        container["scheduled_at"] = milliseconds(scheduledAt)
        container["local_date"] = localDate
        container["prompt_text"] = promptText
        container["prompt_key"] = promptKey
        container["program_name"] = programName
        container["program_day"] = programDay
        container["fired_at"] = milliseconds(firedAt)
        container["expires_at"] = milliseconds(expiresAt)
        container["status"] = status
        container["status_at"] = milliseconds(statusAt)
        container["snoozed_until"] = snoozedUntil.map(milliseconds)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The outcome of `recordDelivery`: a new row, or the row already written for that occurrence.
public enum DeliveryInsertion: Hashable, Sendable {
    case recorded(DeliveryRecord)
    case alreadyDelivered(DeliveryRecord)

    public var delivery: DeliveryRecord {
        switch self {
        case let .recorded(delivery), let .alreadyDelivered(delivery): delivery
        }
    }
}

// MARK: - Answers and notes (entries)

/// Where an answer came from. Open-ended: new channels need no migration.
public struct EntryChannel: RawRepresentable, Codable, Hashable, Sendable, DatabaseValueConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let cli = EntryChannel(rawValue: "cli")
    public static let desktop = EntryChannel(rawValue: "desktop")
    public static let terminal = EntryChannel(rawValue: "terminal")
    public static let imported = EntryChannel(rawValue: "import")
}

/// An answer to a prompt. Its id comes from the `entries` sequence it shares with notes, so an entry id
/// names exactly one answer or note, and is never reused after a deletion.
public struct AnswerRecord: Codable, Hashable, Sendable, Identifiable {
    public var id: Int64?
    /// The delivery it answers; nil for imported answers or once the delivery row is gone.
    public var deliveryID: Int64?
    /// Copies of the delivery's slot and prompt text, so the answer keeps its question on its own.
    public var slot: String?
    public var promptText: String?
    public var text: String
    public var mood: Int?
    public var energy: Int?
    public var channel: EntryChannel
    public var answeredAt: Date
    public var localDate: String
    public var editedAt: Date?

    public init(
        id: Int64? = nil, deliveryID: Int64?, slot: String?, promptText: String?, text: String,
        mood: Int?, energy: Int?, channel: EntryChannel, answeredAt: Date, localDate: String,
        editedAt: Date? = nil
    ) {
        self.id = id
        self.deliveryID = deliveryID
        self.slot = slot
        self.promptText = promptText
        self.text = text
        self.mood = mood
        self.energy = energy
        self.channel = channel
        self.answeredAt = answeredAt
        self.localDate = localDate
        self.editedAt = editedAt
    }
}

extension AnswerRecord: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "answers" }

    public init(row: Row) throws {
        id = try row.value("id")
        deliveryID = try row.value("delivery_id")
        slot = try row.value("slot")
        promptText = try row.value("prompt_text")
        text = try row.value("text")
        mood = try row.value("mood")
        energy = try row.value("energy")
        channel = try row.value("channel")
        answeredAt = try row.date("answered_at")
        localDate = try row.value("local_date")
        editedAt = try row.optionalDate("edited_at")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["delivery_id"] = deliveryID
        container["slot"] = slot
        container["prompt_text"] = promptText
        container["text"] = text
        container["mood"] = mood
        container["energy"] = energy
        container["channel"] = channel
        container["answered_at"] = milliseconds(answeredAt)
        container["local_date"] = localDate
        container["edited_at"] = editedAt.map(milliseconds)
    }
}

/// A quick note, written at any time: an act of kindness given or received, or just a note.
public struct NoteRecord: Codable, Hashable, Sendable, Identifiable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable, DatabaseValueConvertible {
        case given, received
    }

    public var id: Int64?
    public var text: String
    public var kind: Kind?
    public var createdAt: Date
    public var localDate: String
    public var editedAt: Date?
    /// How the person felt when writing it, 1 to 5, when they said.
    public var mood: Int?
    public var energy: Int?

    public init(
        id: Int64? = nil, text: String, kind: Kind?, createdAt: Date, localDate: String,
        editedAt: Date? = nil, mood: Int? = nil, energy: Int? = nil
    ) {
        self.id = id
        self.text = text
        self.kind = kind
        self.createdAt = createdAt
        self.localDate = localDate
        self.editedAt = editedAt
        self.mood = mood
        self.energy = energy
    }
}

extension NoteRecord: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "notes" }

    public init(row: Row) throws {
        id = try row.value("id")
        text = try row.value("text")
        kind = try row.value("kind")
        createdAt = try row.date("created_at")
        localDate = try row.value("local_date")
        editedAt = try row.optionalDate("edited_at")
        mood = try row.value("mood")
        energy = try row.value("energy")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["text"] = text
        container["kind"] = kind
        container["created_at"] = milliseconds(createdAt)
        container["local_date"] = localDate
        container["edited_at"] = editedAt.map(milliseconds)
        container["mood"] = mood
        container["energy"] = energy
    }
}

// MARK: - Events

/// Stored by name. A name this version does not know (a hand-edited file) fails that row's
/// decoding with an error, never a crash.
extension EventKind: DatabaseValueConvertible {}

/// One line of the append-only log of what happened.
public struct EventRecord: Codable, Hashable, Sendable, Identifiable {
    /// What happened: one of the shared vocabulary's kinds (``EventKind``), stored by its name.
    public typealias Kind = EventKind

    public var id: Int64?
    public var kind: Kind
    public var at: Date
    public var deliveryID: Int64?
    public var entryID: Int64?
    /// A JSON object with details (never the person's own text).
    public var detail: String?

    public init(
        id: Int64? = nil, kind: Kind, at: Date, deliveryID: Int64? = nil, entryID: Int64? = nil,
        detail: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.at = at
        self.deliveryID = deliveryID
        self.entryID = entryID
        self.detail = detail
    }
}

extension EventRecord: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { "events" }

    public init(row: Row) throws {
        id = try row.value("id")
        kind = try row.value("kind")
        at = try row.date("at")
        deliveryID = try row.value("delivery_id")
        entryID = try row.value("entry_id")
        detail = try row.value("detail")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["kind"] = kind
        container["at"] = milliseconds(at)
        container["delivery_id"] = deliveryID
        container["entry_id"] = entryID
        container["detail"] = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

// MARK: - Program state

/// How far the person is in a program. Programs advance by practised days.
public struct ProgramStateRecord: Codable, Hashable, Sendable {
    public var program: String
    /// The local date the program started, 'YYYY-MM-DD'.
    public var startedOn: String
    /// Practised days counted so far.
    public var practisedDays: Int
    /// The local date the program last advanced, if it has.
    public var lastAdvancedOn: String?
    /// Program days (or weeks) the person chose to leave out.
    public var skipped: [Int]
    public var updatedAt: Date

    public init(
        program: String, startedOn: String, practisedDays: Int = 0, lastAdvancedOn: String? = nil,
        skipped: [Int] = [], updatedAt: Date
    ) {
        self.program = program
        self.startedOn = startedOn
        self.practisedDays = practisedDays
        self.lastAdvancedOn = lastAdvancedOn
        self.skipped = skipped
        self.updatedAt = updatedAt
    }
}

extension ProgramStateRecord: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "program_state" }

    public init(row: Row) throws {
        program = try row.value("program")
        startedOn = try row.value("started_on")
        practisedDays = try row.value("practised_days")
        lastAdvancedOn = try row.value("last_advanced_on")
        let skippedJSON: String = try row.value("skipped")
        skipped = (try? JSONDecoder().decode([Int].self, from: Data(skippedJSON.utf8))) ?? []
        updatedAt = try row.date("updated_at")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["program"] = program
        container["started_on"] = startedOn
        container["practised_days"] = practisedDays
        container["last_advanced_on"] = lastAdvancedOn
        container["skipped"] = String(decoding: try JSONEncoder().encode(skipped.sorted()), as: UTF8.self)
        container["updated_at"] = milliseconds(updatedAt)
    }
}
