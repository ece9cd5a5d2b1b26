import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// The fired prompt's rows inserted through cached statements (Records+CachedInsert.swift) are
/// the rows GRDB's record insert writes: the same columns, the same values, the same ids.
@Suite("Cached inserts")
struct CachedInsertTests {
    private static let now = Date(timeIntervalSince1970: 1_796_000_000.123)

    /// Every field set, so that a column written one way and not the other shows.
    private static func delivery(id: Int64?, day: Int = 0) -> DeliveryRecord {
        DeliveryRecord(
            id: id, slot: "reflection", scheduledAt: now.addingTimeInterval(Double(day) * 86400), localDate: "2026-11-30",
            promptText: "What was kind today?",
            promptKey: "reflection.3", programName: "widening-circle", programDay: 9, firedAt: now.addingTimeInterval(0.004),
            expiresAt: now.addingTimeInterval(7200), status: .snoozed, statusAt: now.addingTimeInterval(60),
            snoozedUntil: now.addingTimeInterval(600))
    }

    private static func event(deliveryID: Int64?) -> EventRecord {
        EventRecord(kind: .snoozed, at: now.addingTimeInterval(60), deliveryID: deliveryID, detail: #"{"reason":"test"}"#)
    }

    private func rows(_ journal: AppDatabase, _ table: String) throws -> [[DatabaseValue]] {
        try journal.dbWriter.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id").map { Array($0.databaseValues) }
        }
    }

    @Test func writeTheRowsTheRecordInsertWrites() throws {
        let scratch = try ScratchFolder()
        let byRecord = try AppDatabase.open(path: scratch.path("record.sqlite"))
        let byCache = try AppDatabase.open(path: scratch.path("cached.sqlite"))
        for (day, id) in [Int64(7), nil].enumerated() {
            var first = Self.delivery(id: id, day: day)
            var second = Self.delivery(id: id, day: day)
            try byRecord.dbWriter.write { db in
                try first.insert(db)
                var event = Self.event(deliveryID: first.id)
                try event.insert(db)
            }
            try byCache.dbWriter.write { db in
                try second.insertCached(db)
                var event = Self.event(deliveryID: second.id)
                try event.insertCached(db)
                #expect(event.id != nil)
            }
            #expect(first.id == second.id)
        }
        #expect(try rows(byCache, "deliveries") == rows(byRecord, "deliveries"))
        #expect(try rows(byCache, "events") == rows(byRecord, "events"))
        #expect(try rows(byCache, "deliveries").count == 2)
    }

    /// Every column a record's `encode(to:)` writes is one the cached insert writes.
    @Test func nameEveryColumnTheRecordsWrite() throws {
        #expect(Set(try Self.delivery(id: 1).databaseDictionary.keys) == Set(DeliveryRecord.insertColumns))
        #expect(Set(try Self.event(deliveryID: 1).databaseDictionary.keys) == Set(EventRecord.insertColumns))
    }
}
