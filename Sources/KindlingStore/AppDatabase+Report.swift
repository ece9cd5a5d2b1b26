// The one read the summary page needs beyond the statistics' (`activity`): how many notes
// said a kindness was given or received, day by day. Served by the `local_date` index.
import Foundation
import GRDB

/// The notes of one local date marked given or received.
public struct KindnessNotes: Hashable, Sendable {
    /// 'YYYY-MM-DD'.
    public var localDate: String
    public var given: Int
    public var received: Int

    public init(localDate: String, given: Int = 0, received: Int = 0) {
        self.localDate = localDate
        self.given = given
        self.received = received
    }
}

extension AppDatabase {
    /// The statement behind `kindnessNotes` (from, through). Internal: a test checks its plan.
    static let kindnessNotesSQL = """
        SELECT local_date, kind, COUNT(*) AS count FROM notes
        WHERE local_date BETWEEN ? AND ? AND kind IN ('given', 'received')
        GROUP BY local_date, kind
        ORDER BY local_date
        """

    /// Each local date from `from` through `through` (inclusive) with a note marked given or
    /// received, oldest first.
    public func kindnessNotes(from: String, through: String) throws(StoreError) -> [KindnessNotes] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: Self.kindnessNotesSQL, arguments: [from, through])
            var days: [KindnessNotes] = []
            for row in rows {
                let date: String = try row.decode(forColumn: "local_date")
                let kind: String = try row.decode(forColumn: "kind")
                let count: Int = try row.decode(forColumn: "count")
                if days.last?.localDate != date { days.append(KindnessNotes(localDate: date)) }
                if kind == "given" { days[days.count - 1].given += count } else { days[days.count - 1].received += count }
            }
            return days
        }
    }
}
