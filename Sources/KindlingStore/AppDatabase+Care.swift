// Reads that let the practice meet the person where they are: the energy they said they have
// today, whether a slot already spoke today, and where their journal begins.
import Foundation
import GRDB

extension AppDatabase {
    /// The energy (1 to 5) most recently given on `localDate`, by an answer or a note; nil when
    /// none was given that day. The latest one counts: how the person feels now.
    public func latestEnergy(localDate: String) throws(StoreError) -> Int? {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT energy FROM (
                            SELECT energy, answered_at AS at, id FROM answers WHERE local_date = ?1 AND energy IS NOT NULL
                            UNION ALL
                            SELECT energy, created_at AS at, id FROM notes WHERE local_date = ?1 AND energy IS NOT NULL
                        )
                        ORDER BY at DESC, id DESC LIMIT 1
                        """),
                arguments: [localDate])
        }
    }

    /// How many prompts of `slot` were delivered for `localDate`.
    public func deliveryCount(slot: String, localDate: String) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM deliveries WHERE slot = ? AND local_date = ?"),
                arguments: [slot, localDate])
                ?? 0
        }
    }

    /// The first local date with an answer or a note, or nil for an empty journal.
    public func firstEntryDate() throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT MIN(d) FROM (SELECT MIN(local_date) AS d FROM answers UNION ALL SELECT MIN(local_date) FROM notes)")
        }
    }
}
