import Dispatch
import Foundation
import GRDB
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon
@testable import KindlingStore

/// A scheduled instant is prepared ahead and, at its time, announced from what was prepared,
/// then committed with the ids it was announced with. Anything that changed in between sends
/// the instant the ordinary way (plan, commit, announce), with the same rows and events.
@Suite(.serialized) struct PreparedInstantTests {
    typealias Harness = DaemonTests.Harness
    typealias Lifecycle = PromptLifecycleTests

    /// A daemon with the 10:30 and 15:30 water, started at noon: the 15:30 instant is prepared.
    static func harness() throws -> Harness {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        // The preparation runs once the queue is free after the first tick.
        harness.daemon.queue.sync {}
        return harness
    }

    static func used(_ harness: Harness) -> Int {
        harness.daemon.queue.sync { harness.daemon.lifecycle.preparedInstantsUsed }
    }

    @Test func theTimersInstantIsAnnouncedFromWhatWasPreparedAndRecordedWithTheSameId() throws {
        let harness = try Self.harness()
        let deadline = SchedulerTests.at(15.5)
        let prepared = try #require(harness.daemon.queue.sync { harness.daemon.lifecycle.prepared })
        #expect(prepared.deadline == deadline)
        #expect(prepared.writes.map(\.id) == [1])
        let watch = try Lifecycle.watcher(harness)
        let counter = TickTransactionTests.CommitCounter()
        harness.daemon.queue.sync { harness.daemon.journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime) }

        // The timer runs a little late, as a real one does.
        let now = deadline.addingTimeInterval(0.0004)
        harness.clock.set(now)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(Self.used(harness) == 1)
        #expect(harness.daemon.queue.sync { counter.commits } == 1)

        let seen = try #require(Lifecycle.nextEvent(watch))
        #expect(seen.event == .fired)
        #expect(seen.id == 1)
        #expect(seen.firedAt == Timestamp.string(now, in: TimeZone(identifier: "UTC")!))
        #expect(seen.text == "A glass of water is a small kindness.")
        let (rows, events, _) = try Lifecycle.rows(harness)
        #expect(rows.count == 1)
        #expect(rows.first?.firedAt == Int64((now.timeIntervalSince1970 * 1000).rounded()))
        #expect(events.map(\.kind) == ["fired"])
        #expect(events.map(\.deliveryID) == [1])
        #expect(Lifecycle.nextEvent(watch) == nil)
        // The high-water mark is the instant's own, as a tick planning at `now` keeps it.
        let through = try harness.daemon.queue.sync { try harness.daemon.journal.state(forKey: Scheduler.throughKey) }
        #expect(through == String(Int64((now.timeIntervalSince1970 * 1000).rounded())))
        // The next instant, the 17:30 expiry, takes the ordinary road; after it, tomorrow's
        // 10:30 is prepared, its id the next one.
        #expect(harness.daemon.queue.sync { harness.daemon.lifecycle.prepared } == nil)
        harness.clock.set(SchedulerTests.at(17.5))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(Self.used(harness) == 1)
        #expect(Lifecycle.nextEvent(watch)?.event == .expired)
        let next = harness.daemon.queue.sync { harness.daemon.lifecycle.prepared }
        #expect(next?.deadline == SchedulerTests.at(10.5, days: 1))
        #expect(next?.writes.map(\.id) == [2])
    }

    /// The hook is worked out with the instant, and started from that at the instant, with the
    /// environment the ordinary road gives it. One worked out while the screen lock said
    /// otherwise (here: a plan made to carry the words, where the words may no longer go) is
    /// not used: the hook is worked out again at the instant.
    @Test func theHookIsWorkedOutAheadAndAgainWhenTheScreenLockChangedMeanwhile() throws {
        for lockChanged in [false, true] {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-hook-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let channels = DeliveryChannelTests()
            let script = try channels.recorder(in: scratch, output: scratch + "/hook.out")
            let discretion = lockChanged ? "discreet = { hook = true }\n" : ""
            let harness = try Harness(
                config: SchedulerTests.config(SchedulerTests.water) + "\n[delivery]\n\(discretion)command = \"\(script)\"\n")
            harness.daemon.queue.sync {}
            let hook = try #require(harness.daemon.queue.sync { harness.daemon.lifecycle.prepared?.hooks.first ?? nil })
            #expect(hook.launch.arguments == [script])
            #expect(hook.showsText == !lockChanged)
            if lockChanged {
                // As if worked out before the screen locked: with the words, which must not go.
                harness.daemon.queue.sync {
                    harness.daemon.lifecycle.prepared?.hooks[0]?.showsText = true
                    harness.daemon.lifecycle.prepared?.hooks[0]?.launch.environment["KINDLING_TEXT"] = "stale words"
                }
            }
            harness.clock.set(SchedulerTests.at(15.5).addingTimeInterval(0.0004))
            harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
            #expect(Self.used(harness) == 1)
            let output = try #require(channels.lines(of: scratch + "/hook.out"), "the hook did not run")
            #expect(output.contains("KINDLING_ID=1"))
            #expect(output.contains("KINDLING_SOCKET=\(harness.socket)"))
            #expect(output.contains { $0.hasPrefix("KINDLING_EXPIRES_AT=") })
            if lockChanged {
                #expect(!output.contains { $0.hasPrefix("KINDLING_TEXT=") }, "\(output)")
                #expect(output.contains("KINDLING_SLOT=custom"), "\(output)")
            } else {
                #expect(output.contains("KINDLING_TEXT=A glass of water is a small kindness."), "\(output)")
                #expect(output.contains("KINDLING_SLOT=water"), "\(output)")
            }
        }
    }

    @Test func aWriteInBetweenALateTimerOrDoNotDisturbSendTheInstantTheOrdinaryWay() throws {
        let deadline = SchedulerTests.at(15.5)
        // A note changes the journal: the prepared text and ids are not trusted.
        let noted = try Self.harness()
        _ = try noted.call(Request.Note(text: "a kind word", kind: nil)).get()
        // A timer far behind its time: the plan at `now` may differ from the deadline's.
        let late = try Self.harness()
        // Do-not-disturb came on: nothing reaches the person.
        let quiet = try Self.harness()
        quiet.daemon.queue.sync { quiet.daemon.doNotDisturbOverride = true }

        for (harness, now) in [(noted, deadline), (late, deadline.addingTimeInterval(1.5)), (quiet, deadline)] {
            let watch = try Lifecycle.watcher(harness)
            harness.clock.set(now)
            harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
            #expect(Self.used(harness) == 0)
            let (rows, events, _) = try Lifecycle.rows(harness)
            if harness === quiet {
                #expect(rows.isEmpty)
                continue
            }
            #expect(rows.count == 1)
            #expect(events.map(\.kind).filter { $0 == "fired" } == ["fired"])
            let seen = try #require(Lifecycle.nextEvent(watch))
            #expect(seen.event == .fired)
            #expect(seen.id == events.last?.deliveryID)
        }
    }

    @Test func theIdFixedAheadIsNeverOneADeletedRowHad() throws {
        let journal = AppDatabase.inMemory()
        #expect(try journal.nextDeliveryID() == 1)
        let now = SchedulerTests.at(12)
        let new = NewDelivery(
            slot: "water", scheduledAt: now, localDate: "2026-11-21", promptText: "Water.", promptKey: "w",
            programName: nil, programDay: nil, expiresAt: now.addingTimeInterval(3600))
        _ = try journal.commitTick([.fire(new)], at: now, plannedThrough: now, throughKey: "through")
        #expect(try journal.nextDeliveryID() == 2)
        try journal.dbWriter.write { db in try db.execute(sql: "DELETE FROM deliveries") }
        #expect(try journal.nextDeliveryID() == 2)
        // Inserted with the id fixed ahead, the row has it, and the next is one past it.
        var later = new
        later.scheduledAt = now.addingTimeInterval(60)
        later.id = 2
        let outcomes = try journal.commitTick([.fire(later)], at: now, plannedThrough: now, throughKey: "through")
        #expect(outcomes.count == 1)
        if case .fired(let delivery) = outcomes.first { #expect(delivery.id == 2) } else { Issue.record("\(outcomes)") }
        #expect(try journal.nextDeliveryID() == 3)
    }
}
