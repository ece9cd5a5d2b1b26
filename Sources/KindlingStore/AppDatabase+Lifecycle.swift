// What the scheduler decided for one instant, written in one transaction: each prompt's change
// of state together with its event, and the high-water mark of what was planned. One commit (one
// fsync) a tick, and no state change without its event, or the reverse, whatever stops the process.
import Foundation
import GRDB
import KindlingCore

/// A prompt occurrence about to be recorded: everything its delivery row needs but the times the
/// tick supplies.
public struct NewDelivery: Sendable, Hashable {
    public var slot: String
    public var scheduledAt: Date
    public var localDate: String
    public var promptText: String
    public var promptKey: String
    public var programName: String?
    public var programDay: Int?
    public var expiresAt: Date
    /// The row id to insert with, fixed ahead (``AppDatabase/nextDeliveryID()``) when the prompt is
    /// announced before its commit; nil lets SQLite pick the next one.
    public var id: Int64?

    public init(
        slot: String, scheduledAt: Date, localDate: String, promptText: String, promptKey: String, programName: String?,
        programDay: Int?, expiresAt: Date, id: Int64? = nil
    ) {
        self.id = id
        self.slot = slot
        self.scheduledAt = scheduledAt
        self.localDate = localDate
        self.promptText = promptText
        self.promptKey = promptKey
        self.programName = programName
        self.programDay = programDay
        self.expiresAt = expiresAt
    }
}

/// One change a tick makes to the journal.
public enum TickWrite: Sendable, Hashable {
    /// The pause is over: the pause state goes, a `resumed` event is written.
    case endPause(stateKey: String)
    case expire(id: Int64)
    /// A snoozed prompt is shown again: pending, fired now.
    case returnSnoozed(id: Int64)
    /// A snoozed prompt waits a little longer (quiet hours).
    case holdSnoozed(id: Int64, until: Date)
    case fire(NewDelivery)
    /// Recorded and held back until `until` (quiet hours): a `deferred` event.
    case hold(NewDelivery, until: Date)
    /// Recorded as missed; `reason` goes in the event's detail.
    case miss(NewDelivery, reason: String?)
    /// Recorded as skipped because of a pause.
    case skipWhilePaused(NewDelivery)
}

/// What a ``TickWrite`` left in the journal, for the announcements that follow the commit.
public enum TickOutcome: Sendable, Hashable {
    case resumed
    case expired(DeliveryRecord)
    case returned(DeliveryRecord)
    case held(DeliveryRecord)
    case fired(DeliveryRecord)
    case missed(DeliveryRecord)
    case skipped(DeliveryRecord)
    /// The occurrence already had its row (a clock set back, a second daemon): nothing changed.
    case alreadyRecorded
    /// The prompt named is gone (answered or erased meanwhile): nothing changed.
    case gone
}

extension AppDatabase {
    /// The id SQLite will give the next delivery row as long as nothing is written before it:
    /// one past the highest ever given (`deliveries` is AUTOINCREMENT, so a deleted row's id is
    /// never reused), for a prompt announced before its row is committed.
    public func nextDeliveryID() throws(StoreError) -> Int64 {
        try read { db in
            let given =
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'")) ?? 0
            let highest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM deliveries")) ?? 0
            return max(given, highest) + 1
        }
    }

    /// Applies one tick's writes and stores `plannedThrough` under `throughKey`, all in one
    /// transaction, at `now`. Returns one outcome per write, in order.
    public func commitTick(
        _ writes: [TickWrite], at now: Date, plannedThrough: Date, throughKey: String
    ) throws(StoreError) -> [TickOutcome] {
        try write { db in
            var outcomes: [TickOutcome] = []
            for change in writes { outcomes.append(try Self.apply(change, at: now, eventDetail: nil, db)) }
            try Self.setState(String(milliseconds(plannedThrough)), forKey: throughKey, at: now, db)
            return outcomes
        }
    }

    /// Does ``commitTick(_:at:plannedThrough:throughKey:)``'s work for `writes` in a transaction
    /// that is then rolled back: the journal does not change (nor its ``generation``) and nothing
    /// reaches the disk, but the writer connection has read the schema and prepared the
    /// statements, and the process has made the types, that the commit needs. A daemon's first
    /// commit was ten times its later ones (about 4.4 million instructions against 0.4 million,
    /// callgrind), and a hook started just before it waited for the CPU behind it; rehearsed
    /// ahead of the instant, the first commit is like any other. Fails quietly: a journal that
    /// cannot be written to now will say so at the real commit.
    public func rehearseTick(_ writes: [TickWrite], at now: Date, throughKey: String) {
        guard !integrityCheckPending else { return }
        try? dbWriter.unsafeReentrantWrite { db in
            try db.inTransaction {
                for change in writes { _ = try Self.apply(change, at: now, eventDetail: nil, db) }
                try Self.setState(String(milliseconds(now)), forKey: throughKey, at: now, db)
                return .rollback
            }
        }
    }

    /// One write inside the caller's transaction. `eventDetail`, when given, replaces the detail
    /// of the event the write appends (a manual fire says it was asked for).
    static func apply(_ change: TickWrite, at now: Date, eventDetail: String?, _ db: Database) throws -> TickOutcome {
        func event(_ kind: EventKind, _ id: Int64?, _ detail: String? = nil) throws {
            try insertEvent(kind, at: now, deliveryID: id, detail: eventDetail ?? detail, db)
        }
        func update(_ id: Int64, _ change: (inout DeliveryRecord) -> Void) throws -> DeliveryRecord? {
            guard var delivery = try DeliveryRecord.fetchOne(db, key: id) else { return nil }
            // Only the changed columns, as in ``AppDatabase/change(_:at:_:_:)``.
            try delivery.updateChanges(db) {
                change(&$0)
                $0.statusAt = now
            }
            return delivery
        }
        func insert(_ new: NewDelivery, _ status: DeliveryRecord.Status, until: Date? = nil) throws -> DeliveryRecord? {
            if try Self.delivery(db, slot: new.slot, scheduledAt: new.scheduledAt) != nil { return nil }
            var delivery = DeliveryRecord(
                id: new.id, slot: new.slot, scheduledAt: new.scheduledAt, localDate: new.localDate, promptText: new.promptText,
                promptKey: new.promptKey, programName: new.programName, programDay: new.programDay, firedAt: now,
                expiresAt: new.expiresAt)
            delivery.status = status
            delivery.snoozedUntil = until
            try delivery.insertCached(db)
            return delivery
        }
        let reasonDetail = { (reason: String) in #"{"reason":"\#(reason)"}"# }

        switch change {
        case .endPause(let key):
            try db.execute(sql: "DELETE FROM state WHERE key = ?", arguments: [key])
            try event(.resumed, nil)
            return .resumed
        case .expire(let id):
            guard
                let expired = try update(
                    id,
                    {
                        $0.status = .expired; $0.snoozedUntil = nil
                    })
            else { return .gone }
            try event(.expired, id)
            return .expired(expired)
        case .returnSnoozed(let id):
            // Shown (again): a `fired` event, as the watch stream says, so the prompt's last event
            // agrees with its state; a prompt held by quiet hours is shown here for the first time.
            let returning = { (delivery: inout DeliveryRecord) in
                delivery.status = .pending
                delivery.firedAt = now
                delivery.snoozedUntil = nil
            }
            guard let returned = try update(id, returning) else { return .gone }
            try event(.fired, id, #"{"returned":"true"}"#)
            return .returned(returned)
        case .holdSnoozed(let id, let until):
            guard
                let held = try update(
                    id,
                    {
                        $0.status = .snoozed; $0.snoozedUntil = until
                    })
            else { return .gone }
            return .held(held)
        case .fire(let new):
            guard let fired = try insert(new, .pending) else { return .alreadyRecorded }
            try event(.fired, fired.id)
            return .fired(fired)
        case .hold(let new, let until):
            guard let held = try insert(new, .snoozed, until: until) else { return .alreadyRecorded }
            try event(.deferred, held.id, reasonDetail("quiet hours"))
            return .held(held)
        case .miss(let new, let reason):
            guard let missed = try insert(new, .missed) else { return .alreadyRecorded }
            try event(.missed, missed.id, reason.map(reasonDetail))
            return .missed(missed)
        case .skipWhilePaused(let new):
            guard let skipped = try insert(new, .skipped) else { return .alreadyRecorded }
            try event(.skipped, skipped.id, reasonDetail("paused"))
            return .skipped(skipped)
        }
    }
}
