import Dispatch
import Foundation
import GRDB
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon
@testable import KindlingStore

/// Every change to a prompt goes through ``PromptLifecycle``: one commit holding the change and
/// its event, then the announcements. The timer and the person's commands take the same road.
@Suite(.serialized) struct PromptLifecycleTests {
    typealias Harness = DaemonTests.Harness
    typealias CommitCounter = TickTransactionTests.CommitCounter

    /// A delivery row as the journal holds it, every column but the id.
    struct Row: Equatable, CustomStringConvertible {
        var slot, localDate, promptText, promptKey, status: String
        var scheduledAt, firedAt, expiresAt, statusAt: Int64
        var snoozedUntil: Int64?
        var description: String { "\(slot)@\(scheduledAt) \(status) fired \(firedAt) expires \(expiresAt)" }
    }

    /// An event row, every column but its detail (compared apart).
    struct Logged: Equatable, CustomStringConvertible {
        var kind: String
        var at: Int64
        var deliveryID: Int64?
        var description: String { "\(kind)@\(at) #\(deliveryID ?? 0)" }
    }

    static func rows(_ harness: Harness) throws -> (rows: [Row], events: [Logged], details: [String?]) {
        try harness.daemon.queue.sync {
            try harness.daemon.journal.dbWriter.read { db in
                let rows = try GRDB.Row.fetchAll(db, sql: "SELECT * FROM deliveries ORDER BY id").map {
                    Row(
                        slot: $0["slot"], localDate: $0["local_date"], promptText: $0["prompt_text"], promptKey: $0["prompt_key"],
                        status: $0["status"], scheduledAt: $0["scheduled_at"], firedAt: $0["fired_at"],
                        expiresAt: $0["expires_at"], statusAt: $0["status_at"], snoozedUntil: $0["snoozed_until"])
                }
                let events = try GRDB.Row.fetchAll(db, sql: "SELECT kind, at, delivery_id, detail FROM events ORDER BY id")
                return (
                    rows, events.map { Logged(kind: $0["kind"], at: $0["at"], deliveryID: $0["delivery_id"]) },
                    events.map { $0["detail"] }
                )
            }
        }
    }

    /// A `watch` client on the harness's daemon.
    static func watcher(_ harness: Harness) throws -> ControlClient {
        let client = ControlClient(socketPath: harness.socket)
        _ = try client.send(Request.Watch()).get()
        return client
    }

    /// The next event line, or nil when none comes within a second.
    static func nextEvent(_ client: ControlClient) -> Event? {
        var ready = pollfd(fd: client.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard client.hasBufferedLine || poll(&ready, 1, 1000) > 0, let line = try? client.readLine() else { return nil }
        return try? ControlProtocol.makeDecoder().decode(Event.self, from: Data(line))
    }

    // MARK: - The same road

    @Test func aManualFireAndTheTimerWriteAndAnnounceTheSameRowsAndEventsInTheSameOrder() throws {
        let fireAt = SchedulerTests.at(15.5)
        // The timer: the 15:30 water comes due and the tick delivers it.
        let timed = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let timedWatch = try Self.watcher(timed)
        timed.clock.set(fireAt)
        timed.daemon.queue.sync { timed.daemon.scheduler.tick() }
        // By request: `kindling fire water` at that very instant.
        let manual = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let manualWatch = try Self.watcher(manual)
        manual.clock.set(fireAt)
        let fired = try manual.call(Request.Fire(slot: "water")).get()

        let (timedRows, timedEvents, timedDetails) = try Self.rows(timed)
        let (manualRows, manualEvents, manualDetails) = try Self.rows(manual)
        #expect(timedRows.count == 1, "\(timedRows)")
        #expect(manualRows == timedRows)
        #expect(manualEvents == timedEvents)
        #expect(timedEvents.map(\.kind) == ["fired"])
        // The one difference: the log says who asked.
        #expect(timedDetails == [nil])
        #expect(manualDetails == [#"{"by":"request"}"#])

        let timedSeen = try #require(Self.nextEvent(timedWatch))
        let manualSeen = try #require(Self.nextEvent(manualWatch))
        #expect(timedSeen.event == .fired)
        #expect(manualSeen == timedSeen)
        #expect(manualSeen.id == fired.id)
        // Nothing more is announced on either road (the tick after the fire finds it recorded).
        #expect(Self.nextEvent(timedWatch) == nil)
        #expect(Self.nextEvent(manualWatch) == nil)
    }

    // MARK: - One commit a change

    @Test func everyChangeThePersonMakesIsOneCommitWithItsEvent() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let counter = CommitCounter()
        harness.daemon.queue.sync {
            harness.daemon.journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime)
        }
        func commits(_ change: () throws -> Void) rethrows -> Int {
            let before = harness.daemon.queue.sync { counter.commits }
            try change()
            return harness.daemon.queue.sync { counter.commits } - before
        }
        func lastKind() throws -> String? {
            try Self.rows(harness).events.last?.kind
        }

        let fire = try commits { _ = try harness.call(Request.Fire(slot: "water")).get() }
        #expect(fire == 1, "fire took \(fire) commits")
        #expect(try lastKind() == "fired")

        let snooze = try commits { _ = try harness.call(Request.Snooze(id: nil, duration: "10m")).get() }
        #expect(snooze == 1, "snooze took \(snooze) commits")
        #expect(try lastKind() == "snoozed")

        // Each fire a second apart: one instant holds one prompt of a slot.
        harness.clock.set(harness.clock.now.addingTimeInterval(1))
        _ = try harness.call(Request.Fire(slot: "water")).get()
        let skip = try commits { _ = try harness.call(Request.Skip(id: nil)).get() }
        #expect(skip == 1, "skip took \(skip) commits")
        #expect(try lastKind() == "skipped")

        harness.clock.set(harness.clock.now.addingTimeInterval(1))
        _ = try harness.call(Request.Fire(slot: "water")).get()
        let answer = try commits {
            _ = try harness.call(
                Request.Respond(id: nil, text: "slowly", mood: 3, energy: nil, channel: "cli")
            ).get()
        }
        #expect(answer == 1, "an answer took \(answer) commits")
        #expect(try lastKind() == "answered")

        let pause = try commits { _ = try harness.call(Request.Pause(duration: "1h", until: nil)).get() }
        #expect(pause == 1, "pause took \(pause) commits")
        #expect(try lastKind() == "paused")

        let resume = try commits { _ = try harness.call(Request.Resume()).get() }
        #expect(resume == 1, "resume took \(resume) commits")
        #expect(try lastKind() == "resumed")

        // A resume with no pause, or a tick with nothing to do, writes nothing.
        #expect(try commits { _ = try harness.call(Request.Resume()).get() } == 0)
        #expect(commits { harness.daemon.queue.sync { harness.daemon.scheduler.tick() } } == 0)
    }

    @Test func everyStoreIntentionIsOneTransaction() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let counter = CommitCounter()
        let journal = harness.daemon.queue.sync { harness.daemon.journal! }
        journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime)
        let now = harness.clock.now
        let new = NewDelivery(
            slot: "water", scheduledAt: now, localDate: "2026-11-21", promptText: "A glass.", promptKey: "water",
            programName: nil, programDay: nil, expiresAt: now.addingTimeInterval(3600))
        guard case .fired(let fired) = try journal.fireOnRequest(new, at: now), let id = fired.id else {
            Issue.record("fireOnRequest recorded nothing")
            return
        }
        #expect(counter.commits == 1)
        _ = try journal.snoozePrompt(id: id, until: now.addingTimeInterval(600), length: "10m", at: now)
        #expect(counter.commits == 2)
        _ = try journal.skipPrompt(id: id, at: now)
        #expect(counter.commits == 3)
        _ = try journal.answerPrompt(
            text: "kind", mood: nil, energy: nil, channel: .cli, deliveryID: id, at: now, localDate: "2026-11-21")
        #expect(counter.commits == 4)
        try journal.pausePrompts(value: "indefinite", stateKey: Scheduler.pausedKey, until: nil, endsAt: nil, at: now)
        #expect(counter.commits == 5)
        #expect(try journal.resumePrompts(stateKey: Scheduler.pausedKey, at: now))
        #expect(counter.commits == 6)
        // A prompt that is not there: nothing is written, not even the event.
        #expect(throws: StoreError.self) { try journal.skipPrompt(id: 9999, at: now) }
        let kinds = try journal.events().map(\.kind)
        #expect(kinds == [.fired, .snoozed, .skipped, .answered, .paused, .resumed])
    }
}

extension PromptLifecycleTests {
    // MARK: - Composed ahead

    @Test func theNextPromptIsComposedAheadAndUsedAtItsInstantUnlessTheJournalChanged() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        // Started at noon: the 15:30 water is armed and, once the queue is free, composed.
        harness.daemon.queue.sync {}
        harness.clock.set(SchedulerTests.at(15.5))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(harness.daemon.queue.sync { harness.daemon.lifecycle.composedAheadUsed } == 1)
        let first = try #require(try Self.rows(harness).rows.last)
        #expect(first.promptText == "A glass of water is a small kindness.")

        // At 17:30 the water expires, and tomorrow's 10:30 is composed ahead. Then a note
        // changes the journal: the instant composes afresh rather than trust the older text.
        harness.clock.set(SchedulerTests.at(17.5))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        let tomorrow = SchedulerTests.at(10.5, days: 1)
        #expect(harness.daemon.queue.sync { harness.daemon.lifecycle.composedAhead.map(\.at) } == [tomorrow])
        _ = try harness.call(Request.Note(text: "a kind word", kind: nil)).get()
        harness.clock.set(tomorrow)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(harness.daemon.queue.sync { harness.daemon.lifecycle.composedAheadUsed } == 1)
        #expect(try Self.rows(harness).rows.last?.scheduledAt == Int64(tomorrow.timeIntervalSince1970 * 1000))
    }
}

extension PromptLifecycleTests {
    @Test func aNoteAnEditAndADeletionAreEachOneCommitWithTheirEvent() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let counter = CommitCounter()
        harness.daemon.queue.sync {
            harness.daemon.journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime)
        }
        func commits(_ change: () throws -> Void) rethrows -> Int {
            let before = harness.daemon.queue.sync { counter.commits }
            try change()
            return harness.daemon.queue.sync { counter.commits } - before
        }
        var id: Int64 = 0
        #expect(try commits { id = try harness.call(Request.Note(text: "held a door", kind: "given")).get().id } == 1)
        #expect(
            try commits {
                _ = try harness.call(Request.Edit(id: id, text: "held two doors", mood: nil, energy: nil)).get()
            }
                == 1)
        // A deletion also checkpoints the log so the old words leave the disk: that is not a commit.
        #expect(try commits { _ = try harness.call(Request.Delete(id: id)).get() } == 1)
        let events = try Self.rows(harness)
        #expect(events.events.suffix(3).map(\.kind) == ["noted", "edited", "deleted"])
        #expect(events.details.suffix(3) == [nil, #"{"changed":"text"}"#, #"{"entry_id":"\#(id)","type":"note"}"#])
    }
}
