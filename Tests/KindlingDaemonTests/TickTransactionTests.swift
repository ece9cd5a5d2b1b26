import Dispatch
import Foundation
import GRDB
import KindlingCore
import Testing

@testable import KindlingDaemon
@testable import KindlingStore

/// One tick, one commit: a fired prompt's delivery row, its event and the scheduler's high-water
/// mark reach the disk together, so no crash can leave one without the others.
@Suite(.serialized) struct TickTransactionTests {
    typealias Harness = DaemonTests.Harness

    /// Counts the commits of one journal connection.
    final class CommitCounter: TransactionObserver, @unchecked Sendable {
        var commits = 0
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits += 1 }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func aFiredPromptIsOneCommitWithItsEvent() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let counter = CommitCounter()
        harness.daemon.queue.sync {
            harness.daemon.journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime)
        }
        harness.clock.set(SchedulerTests.at(15.5))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }

        let (commits, kinds, pending) = try harness.daemon.queue.sync {
            (
                counter.commits, try harness.daemon.journal.events().map(\.kind.rawValue),
                try harness.daemon.journal.pendingDeliveries()
            )
        }
        #expect(pending.count == 1)
        #expect(kinds.filter { $0 == "fired" }.count == 1, "\(kinds)")
        #expect(commits == 1, "one fired prompt took \(commits) commits")

        // Expiry: the state change and its event, once more in one commit.
        harness.clock.set(SchedulerTests.at(17.5))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(harness.daemon.queue.sync { counter.commits } == 2)
    }
}
