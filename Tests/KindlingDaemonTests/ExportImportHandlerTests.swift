import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import Testing

@testable import KindlingDaemon

/// export (a stream) and import against a real in-process daemon and journal. The harness starts on
/// Saturday 2026-11-21, 12:00 UTC.
@Suite(.serialized) struct ExportImportHandlerTests {
    typealias Harness = DaemonTests.Harness

    /// `count` notes, one a minute from 2026-11-01, written straight to the journal in one transaction.
    private func fill(_ harness: Harness, count: Int) throws {
        let start = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01 00:00 UTC
        let records = (0..<count).map { index in
            EntryRecord.note(
                NoteRecord(
                    text: "note \(index): " + String(repeating: "kind words, ", count: 15), kind: index % 2 == 0 ? .given : nil,
                    createdAt: start.addingTimeInterval(Double(index) * 60), localDate: "2026-11-01"))
        }
        _ = try harness.daemon.queue.sync { try harness.daemon.journal.importEntries(records, at: harness.clock.now) }
    }

    /// Sends `export` and reads the stream to its end.
    private func export(_ client: ControlClient) throws -> (ExportHeader, [ExportEntry], ExportEnd) {
        let header = try client.send(Request.Export()).get()
        var entries: [ExportEntry] = []
        let decoder = ControlProtocol.makeDecoder()
        while true {
            switch try decoder.decode(ExportLine.self, from: Data(try client.readLine())) {
            case .entry(let entry): entries.append(entry)
            case .end(let end): return (header, entries, end)
            }
        }
    }

    @Test func exportStreamsAHeaderEveryEntryInOrderAndAnEnd() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let note = try harness.call(Request.Note(text: "held the door", kind: "given")).get()
        let fired = try harness.call(Request.Fire(slot: "intention")).get()
        harness.clock.advance(by: 60)
        let answer = try harness.call(
            Request.Respond(id: fired.id, text: "listen first", mood: 4, energy: 2, channel: "cli")
        ).get()

        let client = ControlClient(socketPath: harness.socket)
        let (header, entries, end) = try export(client)
        #expect(header.kindlingExport == 1)
        #expect(header.version == KindlingVersion.string)
        #expect(header.exportedAt == "2026-11-21T12:01:00.000+00:00")
        #expect(end == ExportEnd(count: 2))
        #expect(
            entries == [
                ExportEntry(
                    type: "note", id: note.id, at: "2026-11-21T12:00:00.000+00:00", localDate: "2026-11-21",
                    text: "held the door",
                    kind: "given"),
                ExportEntry(
                    type: "answer", id: answer.id, at: "2026-11-21T12:01:00.000+00:00", localDate: "2026-11-21",
                    text: "listen first", slot: "intention", prompt: fired.text, mood: 4, energy: 2, channel: "cli"),
            ])
        // The connection still serves requests after the stream.
        #expect(try client.send(Request.Status()).get().journal == "ok")
    }

    @Test func aLargeExportToASlowReaderIsHeldBackAndNeverBlocksTheDaemon() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let count = 3 * ExportStream.batchSize * 4 + 7
        try fill(harness, count: count)
        let slow = ControlClient(socketPath: harness.socket)
        _ = try slow.send(Request.Export()).get()
        // The reader stalls; the daemon goes on answering everyone else.
        usleep(200_000)
        for _ in 0..<3 { #expect(try harness.call(Request.Status()).get().journal == "ok") }
        var texts: [String] = []
        let decoder = ControlProtocol.makeDecoder()
        reading: while true {
            switch try decoder.decode(ExportLine.self, from: Data(try slow.readLine())) {
            case .entry(let entry): texts.append(entry.text)
            case .end(let end):
                #expect(end.count == count)
                #expect(end.error == nil)
                break reading
            }
        }
        #expect(texts.count == count)
        #expect(texts.enumerated().allSatisfy { index, text in text.hasPrefix("note \(index): ") })
    }

    @Test func importAddsWhatIsNewAndSkipsWhatIsThere() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let entries = [
            ExportEntry(
                type: "note", at: "2026-11-20T09:30:00.250+01:00", localDate: "2026-11-20", text: "soup", kind: "received"),
            ExportEntry(
                type: "answer", at: "2026-11-20T21:00:05.000+00:00", localDate: "2026-11-20", text: "a quiet day",
                slot: "reflection",
                prompt: "What went well?", mood: 3, energy: nil, channel: "desktop"),
        ]
        #expect(try harness.call(Request.Import(entries: entries)).get() == ImportResult(added: 2, skipped: 0))
        #expect(try harness.call(Request.Import(entries: entries)).get() == ImportResult(added: 0, skipped: 2))
        let (_, exported, _) = try export(ControlClient(socketPath: harness.socket))
        // Times are kept to the millisecond (shown in the daemon's zone, UTC here).
        #expect(exported.map(\.at) == ["2026-11-20T08:30:00.250+00:00", "2026-11-20T21:00:05.000+00:00"])
        #expect(exported.map { $0.with(id: nil) } == [entries[0].with(id: nil, at: "2026-11-20T08:30:00.250+00:00"), entries[1]])

        // One bad entry: the whole batch is refused, nothing saved.
        var bad = entries
        bad.append(ExportEntry(type: "answer", at: "2026-11-21T10:00:00Z", localDate: "2026-11-21", text: "x", mood: 9))
        bad.insert(ExportEntry(type: "note", at: "2026-11-21T10:00:00Z", localDate: "2026-11-21", text: "new"), at: 0)
        guard case .failure(let error) = try harness.call(Request.Import(entries: bad)) else {
            Issue.record("a batch with a mood of 9 was imported")
            return
        }
        #expect(error.code == .badRequest)
        #expect(error.message.contains("entry 4"), "\(error.message)")
        let (_, after, _) = try export(ControlClient(socketPath: harness.socket))
        #expect(after.count == 2)
    }

    @Test func exportAndImportAreRefusedInDegradedMode() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        harness.daemon.queue.sync {
            harness.daemon.journalProblem = "the journal at /x is damaged"
            // Just tried: a request does not try the (sound) file again within 30 s.
            harness.daemon.lastJournalRetry = harness.clock.now
        }
        defer { harness.daemon.queue.sync { harness.daemon.journalProblem = nil } }
        guard case .failure(let export) = try harness.call(Request.Export()) else {
            Issue.record("a degraded journal was exported")
            return
        }
        #expect(export.code == .storage)
        guard case .failure(let imported) = try harness.call(Request.Import(entries: [])) else {
            Issue.record("an import succeeded in degraded mode")
            return
        }
        #expect(imported.code == .storage)
    }

    @Test func importEntriesTravelAsJSONObjects() throws {
        let entry = ExportEntry(
            type: "note", at: "2026-11-21T10:00:00.000+00:00", localDate: "2026-11-21", text: "a \"quoted\" / text")
        let request = Request.Import(entries: [entry, entry])
        #expect(
            try RequestEnvelope.decode(RequestEnvelope(id: 1, request: request).encoded()).get().request as? Request.Import
                == request)
        for line in [#"{"v":1,"id":2,"cmd":"import"}"#, #"{"v":1,"id":3,"cmd":"import","entries":[{"type":"note"}]}"#] {
            guard case .failure(let failure) = RequestEnvelope.decode(Data(line.utf8)) else {
                Issue.record("\(line) was accepted")
                continue
            }
            #expect(failure.error.code == .badRequest)
        }
    }
}

extension ExportEntry {
    fileprivate func with(id: Int64?, at: String? = nil) -> ExportEntry {
        var copy = self
        copy.id = id
        if let at { copy.at = at }
        return copy
    }
}
