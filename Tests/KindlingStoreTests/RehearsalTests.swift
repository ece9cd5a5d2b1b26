import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// A tick's commit rehearsed ahead of its instant (so that the first real commit after a start
/// does no first-time work) leaves no trace: no row, no state, no frame in the WAL, the same
/// generation, and the ids fixed ahead still free.
@Suite("A rehearsed tick")
struct RehearsalTests {
    private func walSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    }

    private func counts(_ journal: AppDatabase) throws -> [Int] {
        try journal.dbWriter.read { db in
            try ["deliveries", "events", "state"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
        }
    }

    @Test func changesNothingAndTheCommitItRehearsedStillLands() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let journal = try AppDatabase.open(path: path)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let id = try journal.nextDeliveryID()
        let new = NewDelivery(
            slot: "water", scheduledAt: now, localDate: "2026-11-30", promptText: "A glass of water.", promptKey: "water",
            programName: nil, programDay: nil, expiresAt: now.addingTimeInterval(3600), id: id)
        let before = (try counts(journal), journal.generation, walSize(path))

        journal.rehearseTick([.fire(new)], at: now, throughKey: "scheduler.through")
        #expect(try counts(journal) == before.0)
        #expect(journal.generation == before.1)
        #expect(walSize(path) == before.2)
        #expect(try journal.nextDeliveryID() == id)
        #expect(try journal.state(forKey: "scheduler.through") == nil)

        let outcomes = try journal.commitTick([.fire(new)], at: now, plannedThrough: now, throughKey: "scheduler.through")
        guard case .fired(let recorded) = outcomes.first else {
            Issue.record("expected the prompt fired, got \(outcomes)")
            return
        }
        #expect(recorded.id == id)
        #expect(try counts(journal) == [before.0[0] + 1, before.0[1] + 1, before.0[2] + 1])
        #expect(journal.generation != before.1)
    }
}
