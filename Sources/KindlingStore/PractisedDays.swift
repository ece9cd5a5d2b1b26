// The practised days (local dates with any answer or note) kept across writes.
//
// Reading them all is a UNION over both entry tables, milliseconds on a ten-year journal, and
// `stats`, `status`, `today` and prompt composition all ask for them. Almost no write changes
// them, so instead of forgetting them at every write, the writer connection itself reports the
// dates a transaction touched: temporary triggers (they live on that one connection, never in
// the file) call back with the date of every answer or note inserted or deleted, and both dates
// of one whose local_date changed, cascades from `entries` included. When the transaction
// commits, each touched date is looked up once (an indexed query) and added to or removed from
// the kept list. No write has to remember to say what it did: SQLite reports for it. As a check
// on the triggers, GRDB's observer counts the rows SQLite's update hook saw inserted or deleted;
// when the two counts disagree, or a transaction touches too many dates (an import), the kept
// list is dropped and read afresh when next asked for.
import GRDB
import Synchronization

/// Keeps ``AppDatabase/practisedDays(since:)`` current across the writes of one journal.
final class PractisedDays: TransactionObserver, Sendable {
    /// More dates than this in one transaction (an import) and the list is read afresh instead.
    static let deltaLimit = 64

    private struct Kept {
        /// Every practised day, ascending; nil until read, and after a wholesale change.
        var days: [String]?
        /// Bumped by every change to what is kept: a reader that began before it does not keep
        /// what it read, which may predate the change.
        var epoch: UInt64 = 0
    }

    /// What the transaction in progress on the writer did to the entry tables.
    private struct Pending {
        var dates: Set<String> = []
        var overflow = false
        /// Rows inserted into or deleted from answers and notes, as SQLite's update hook counts
        /// them and as the triggers do: when the two disagree, something unforeseen happened,
        /// and nothing kept is trusted.
        var changedRows = 0
        var reportedRows = 0
    }

    private let kept = Mutex(Kept())
    private let pending = Mutex(Pending())
    /// How many times the whole list was read from the journal (tests).
    let computations = Atomic<Int>(0)

    /// Installs the triggers, their callback and this observer on the writer connection.
    func install(on writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            db.add(
                function: DatabaseFunction("kindling_practised_touched", argumentCount: 2, pure: false) { [self] values in
                    touched(String.fromDatabaseValue(values[0]), rows: Int.fromDatabaseValue(values[1]) ?? 0)
                    return nil
                })
            for table in ["answers", "notes"] {
                try db.execute(
                    sql: """
                        CREATE TEMP TRIGGER kindling_practised_\(table)_insert AFTER INSERT ON \(table)
                        BEGIN SELECT kindling_practised_touched(NEW.local_date, 1); END;
                        CREATE TEMP TRIGGER kindling_practised_\(table)_delete AFTER DELETE ON \(table)
                        BEGIN SELECT kindling_practised_touched(OLD.local_date, 1); END;
                        CREATE TEMP TRIGGER kindling_practised_\(table)_move AFTER UPDATE OF local_date ON \(table)
                        WHEN OLD.local_date IS NOT NEW.local_date
                        BEGIN
                            SELECT kindling_practised_touched(OLD.local_date, 0);
                            SELECT kindling_practised_touched(NEW.local_date, 0);
                        END;
                        """)
            }
            db.add(transactionObserver: self, extent: .observerLifetime)
        }
    }

    // MARK: - Reading

    /// The kept days from `since` on, or the epoch to hand to ``keep(_:epoch:)`` after reading.
    func lookup(since: String) -> (days: [String]?, epoch: UInt64) {
        kept.withLock { kept in
            guard let days = kept.days else { return (nil, kept.epoch) }
            return (Array(days[Self.start(of: since, in: days)...]), kept.epoch)
        }
    }

    /// Keeps `days` (all of them, ascending), read after ``lookup(since:)`` returned `epoch`,
    /// unless something changed in between.
    func keep(_ days: [String], epoch: UInt64) {
        kept.withLock { kept in
            if kept.epoch == epoch { kept.days = days }
        }
    }

    /// Forgets the kept days: the next read reads them afresh.
    func drop() {
        kept.withLock { kept in
            kept.days = nil
            kept.epoch &+= 1
        }
    }

    /// The index of the first day on or after `since` in the ascending `days`.
    static func start(of since: String, in days: [String]) -> Int {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle] < since { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: - Writing (on the writer connection)

    /// A trigger's report: `date` was touched by a row inserted or deleted (`rows` 1) or moved
    /// to or from it (0).
    private func touched(_ date: String?, rows: Int) {
        pending.withLock { pending in
            pending.reportedRows += rows
            guard !pending.overflow else { return }
            // A NULL date cannot be (the column is NOT NULL); were it, trust nothing.
            guard let date else { return pending.overflow = true }
            pending.dates.insert(date)
            if pending.dates.count > Self.deltaLimit {
                pending.overflow = true
                pending.dates = []
            }
        }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .delete(let table): table == "answers" || table == "notes"
        case .update: false  // a changed local_date reaches the triggers; other columns do not matter
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        pending.withLock { $0.changedRows += 1 }
    }

    func databaseDidRollback(_ db: Database) {
        pending.withLock { $0 = Pending() }
    }

    func databaseDidCommit(_ db: Database) {
        let done = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard done.changedRows > 0 || done.reportedRows > 0 || done.overflow || !done.dates.isEmpty else { return }
        guard !done.overflow, done.changedRows == done.reportedRows, kept.withLock({ $0.days != nil }) else {
            return drop()
        }
        // The journal as just committed, on the writer, before any other write can begin; a
        // date touched by a statement that was rolled back is found as it really is.
        var present: [String: Bool] = [:]
        do {
            let statement = try db.cachedStatement(
                sql: """
                    SELECT EXISTS (SELECT 1 FROM answers WHERE local_date = ?1)
                        OR EXISTS (SELECT 1 FROM notes WHERE local_date = ?1)
                    """)
            for date in done.dates {
                present[date] = try Bool.fetchOne(statement, arguments: [date]) ?? false
            }
        } catch {
            return drop()
        }
        kept.withLock { kept in
            kept.epoch &+= 1
            guard var days = kept.days else { return }
            for (date, isPractised) in present {
                let index = Self.start(of: date, in: days)
                let there = index < days.count && days[index] == date
                if isPractised, !there { days.insert(date, at: index) }
                if !isPractised, there { days.remove(at: index) }
            }
            kept.days = days
        }
    }
}
