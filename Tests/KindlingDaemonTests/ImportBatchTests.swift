import Dispatch
import Foundation
import GRDB
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon
@testable import KindlingStore

/// A large import is saved in a few large transactions, not one per request, and a failure part
/// way leaves exactly what the replies counted: whole transactions, never part of one.
@Suite(.serialized) struct ImportBatchTests {
    typealias Harness = DaemonTests.Harness
    typealias CommitCounter = TickTransactionTests.CommitCounter

    /// Requests the size the CLI sends (well under 64 KiB each).
    static let perRequest = 200

    /// `count` distinct notes, a minute apart from 2026-01-01 UTC.
    static func notes(_ count: Int, from first: Int = 0) -> [ExportEntry] {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let utc = TimeZone(identifier: "UTC")!
        return (first..<first + count).map { index in
            let at = start.addingTimeInterval(Double(index) * 60)
            return ExportEntry(
                type: "note", at: Timestamp.string(at, in: utc), localDate: String(Timestamp.string(at, in: utc).prefix(10)),
                text: "a kind word, number \(index)")
        }
    }

    /// Sends `entries` as the CLI does, `more` on every request but the last (when `finish`).
    static func send(_ entries: [ExportEntry], on client: ControlClient, finish: Bool) throws -> [Result<
        ImportResult, ControlError
    >] {
        var replies: [Result<ImportResult, ControlError>] = []
        var start = 0
        while start < entries.count {
            let end = min(start + perRequest, entries.count)
            let more = !(finish && end == entries.count)
            replies.append(
                try client.send(Request.Import(entries: Array(entries[start..<end]), more: more)))
            start = end
        }
        return replies
    }

    private func observe(_ harness: Harness) -> CommitCounter {
        let counter = CommitCounter()
        harness.daemon.queue.sync { harness.daemon.journal.dbWriter.add(transactionObserver: counter, extent: .observerLifetime) }
        return counter
    }

    private func entryCount(_ harness: Harness) throws -> Int {
        try harness.daemon.queue.sync {
            try harness.daemon.journal.dbWriter.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") ?? 0 }
        }
    }

    @Test func aLargeImportCommitsOnceForEachLargeBatch() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let counter = observe(harness)
        let count = 2 * HeldImport.entriesPerTransaction + 500
        let client = ControlClient(socketPath: harness.socket)
        let replies = try Self.send(Self.notes(count), on: client, finish: true).map { try $0.get() }

        #expect(replies.count == count / Self.perRequest + 1)
        #expect(replies.reduce(0) { $0 + $1.added } == count)
        // Three transactions: two full batches, then the rest with the last request.
        #expect(replies.filter { $0.added > 0 }.count == 3, "\(replies.filter { $0.added > 0 })")
        #expect(harness.daemon.queue.sync { counter.commits } == 3, "\(count) entries took \(counter.commits) commits")
        #expect(try entryCount(harness) == count)

        // Again: every one is already there, and skipped.
        let again = try Self.send(Self.notes(count), on: client, finish: true).map { try $0.get() }
        #expect(again.reduce(0) { $0 + $1.skipped } == count)
        #expect(again.reduce(0) { $0 + $1.added } == 0)
        #expect(try entryCount(harness) == count)
    }

    @Test func aBadEntryPartWayKeepsOnlyTheTransactionsAlreadySaved() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let saved = HeldImport.entriesPerTransaction
        let client = ControlClient(socketPath: harness.socket)
        // One full transaction's worth and 300 more, all held back for the next one...
        let first = try Self.send(Self.notes(saved + 300), on: client, finish: false).map { try $0.get() }
        #expect(first.reduce(0) { $0 + $1.added } == saved)
        // ...then a batch with an invalid entry in its middle.
        var bad = Self.notes(20, from: saved + 300)
        bad[10].mood = 9
        guard case .failure(let error) = try client.send(Request.Import(entries: bad, more: true)) else {
            Issue.record("a batch with a mood of 9 was accepted")
            return
        }
        #expect(error.code == .badRequest)
        #expect(error.message.contains("entry 11 of the batch"), "\(error.message)")
        // Neither the 300 held nor the bad batch's good entries were saved: what the replies
        // counted is exactly what the journal holds.
        #expect(try entryCount(harness) == saved)
        // Nothing is held any more: ending the import saves nothing further.
        let end = try client.send(Request.Import(entries: [], more: false)).get()
        #expect(end == ImportResult(added: 0, skipped: 0))
        #expect(try entryCount(harness) == saved)
    }

    /// The CLI posts each `more` request before it reads the answer to the one before. When
    /// a batch is refused, the request behind it is already on its way: the daemon takes it as
    /// the start of a new hold, which one request can never fill, so nothing of it is saved
    /// unless the client goes on.
    @Test func aRequestBehindARefusedBatchSavesNothingByItself() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        do {
            let client = ControlClient(socketPath: harness.socket)
            var bad = Self.notes(20, from: 300)
            bad[5].mood = 9
            try client.post(Request.Import(entries: Self.notes(300), more: true))
            try client.post(Request.Import(entries: bad, more: true))
            try client.post(Request.Import(entries: Self.notes(300, from: 400), more: true))
            #expect(try client.receive(Request.Import.self).get() == ImportResult(added: 0, skipped: 0))
            guard case .failure(let error) = try client.receive(Request.Import.self) else {
                Issue.record("a batch with a mood of 9 was accepted")
                return
            }
            #expect(error.message.contains("entry 6 of the batch"), "\(error.message)")
            #expect(try client.receive(Request.Import.self).get() == ImportResult(added: 0, skipped: 0))
        }  // The client stops at the refusal, as the CLI does, and its connection closes.
        #expect(try entryCount(harness) == 0)

        // One request, however its 64 KiB are spent, holds fewer entries and bytes than a
        // transaction: the smallest entry the CLI can send is a note with no text.
        let smallest = ExportEntry(type: "note", at: "2026-01-01T00:00:00Z", localDate: "2026-01-01", text: "")
        let mostPerRequest = ControlProtocol.maxLineBytes / (smallest.jsonLine().count + 1)
        #expect(mostPerRequest < HeldImport.entriesPerTransaction, "\(mostPerRequest) entries fit in one request")
        #expect(ControlProtocol.maxLineBytes < HeldImport.bytesPerTransaction)
    }

    @Test func aConnectionThatClosesMidImportSavesNothingItHeld() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        do {
            let client = ControlClient(socketPath: harness.socket)
            let replies = try Self.send(Self.notes(1_000), on: client, finish: false).map { try $0.get() }
            #expect(replies.allSatisfy { $0 == ImportResult(added: 0, skipped: 0) })
        }  // The client goes, and its connection closes, with 1,000 entries held.
        #expect(try entryCount(harness) == 0)
        // A new import of the same entries saves them all.
        let replies = try Self.send(Self.notes(1_000), on: ControlClient(socketPath: harness.socket), finish: true)
        #expect(try replies.map { try $0.get() }.reduce(0) { $0 + $1.added } == 1_000)
    }
}
