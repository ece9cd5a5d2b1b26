import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import Testing

@testable import KindlingDaemon

/// Degraded mode ends by itself once the journal can be opened again: at the next save (at most
/// once per 30 s) or at `reload`, with the prompts delivered meanwhile still waiting.
@Suite(.serialized) struct JournalRetryTests {
    typealias Harness = DaemonTests.Harness

    /// Puts a file where the journal's folder goes and reopens: the journal is unavailable until
    /// the returned closure puts the folder back.
    private func breakJournal(_ harness: Harness) throws -> () throws -> Void {
        let folder = harness.root + "/data/kindling"
        let aside = harness.root + "/data/aside"
        try harness.daemon.queue.sync {
            try harness.daemon.journal.close()
            try FileManager.default.moveItem(atPath: folder, toPath: aside)
            #expect(FileManager.default.createFile(atPath: folder, contents: Data("not a folder".utf8)))
            harness.daemon.openJournal()
        }
        return {
            try FileManager.default.removeItem(atPath: folder)
            try FileManager.default.moveItem(atPath: aside, toPath: folder)
        }
    }

    private func journalState(_ harness: Harness) throws -> String {
        try harness.call(Request.Status()).get().journal
    }

    @Test func aSaveTriesTheJournalAgainAtMostEvery30Seconds() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        #expect(try harness.call(Request.Note(text: "before", kind: nil)).get().id > 0)
        let repair = try breakJournal(harness)
        #expect(try journalState(harness).contains("is not a folder"))
        let fired = try harness.call(Request.Fire(slot: "intention")).get()

        guard case .failure(let refused) = try harness.call(Request.Note(text: "while away", kind: nil)) else {
            Issue.record("a note was saved while the journal was unavailable")
            return
        }
        #expect(refused.code == .storage)

        try repair()
        // Tried a moment ago: not again yet.
        harness.clock.advance(by: 10)
        guard case .failure = try harness.call(Request.Note(text: "too soon", kind: nil)) else {
            Issue.record("the journal was tried again within 30 s")
            return
        }
        harness.clock.advance(by: 21)
        let saved = try harness.call(Request.Note(text: "back again", kind: nil))
        #expect((try? saved.get().id) != nil, "\(saved)")
        #expect(try journalState(harness) == "ok")

        // The prompt delivered meanwhile is still waiting, now in the journal, and can be answered.
        let pending = try harness.call(Request.Pending()).get().pending
        #expect(pending.map(\.text) == [fired.text], "\(pending)")
        // With the event that says it fired: a prompt's state never stands without its event.
        let kept = try #require(pending.first)
        let events = try harness.daemon.queue.sync { try harness.daemon.journal.events() }
        #expect(events.filter { $0.deliveryID == kept.id }.map(\.kind) == [.fired])
        let answer = try harness.call(
            Request.Respond(id: nil, text: "listen first", mood: nil, energy: nil, channel: "cli"))
        #expect((try? answer.get()) != nil, "\(answer)")
    }

    @Test func reloadTriesTheJournalAgainAtOnce() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let repair = try breakJournal(harness)
        guard case .failure = try harness.call(Request.Note(text: "while away", kind: nil)) else {
            Issue.record("a note was saved while the journal was unavailable")
            return
        }
        try repair()
        #expect((try? harness.call(Request.Reload()).get()) != nil)
        #expect(try journalState(harness) == "ok")
        #expect((try? harness.call(Request.Note(text: "after reload", kind: nil)).get()) != nil)
    }

    @Test func aPauseOrAResumeWhileTheJournalWasAwayStillHoldsWhenItIsBack() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let repair = try breakJournal(harness)
        _ = try harness.call(Request.Pause(duration: "2h", until: nil)).get()
        try repair()
        #expect((try? harness.call(Request.Reload()).get()) != nil)
        #expect(try journalState(harness) == "ok")
        let status = try harness.call(Request.Status()).get()
        #expect(status.paused, "the pause asked for while the journal was away was lost")
        let events = try harness.daemon.queue.sync { try harness.daemon.journal.events() }
        #expect(events.last { $0.kind == .paused || $0.kind == .resumed }?.kind == .paused)

        // Resumed after it came back, as with any pause.
        _ = try harness.call(Request.Resume()).get()
        #expect(try harness.call(Request.Status()).get().paused == false)
    }
}
