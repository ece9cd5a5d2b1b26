import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import Testing

@testable import KindlingDaemon

/// `import` refuses times, dates, slots and channels a journal must not hold, and what is already
/// in a journal (say, from an old or damaged file) is shown without trapping.
@Suite(.serialized) struct ImportValidationTests {
    typealias Harness = DaemonTests.Harness

    private func refusal(_ harness: Harness, _ entry: ExportEntry) throws -> String? {
        switch try harness.call(Request.Import(entries: [entry])) {
        case .success: return nil
        case .failure(let error):
            #expect(error.code == .badRequest)
            return error.message
        }
    }

    @Test func timesOutside1970To9999AndDatesFarFromTheirTimeAreRefused() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let cases: [(ExportEntry, String)] = [
            (
                ExportEntry(type: "note", at: "-0001-01-01T00:00:00.000+00:00", localDate: "2026-11-20", text: "x"),
                "outside 1970 to 9999"
            ),
            (
                ExportEntry(type: "note", at: "9999-12-31T23:59:59.000-14:00", localDate: "9999-12-31", text: "x"),
                "outside 1970 to 9999"
            ),
            (
                ExportEntry(type: "note", at: "1969-12-31T23:00:00.000+00:00", localDate: "1969-12-31", text: "x"),
                "outside 1970 to 9999"
            ),
            (
                ExportEntry(type: "note", at: "2026-11-20T10:00:00.000+00:00", localDate: "2026-11-25", text: "x"),
                "not the day of its time"
            ),
            (
                ExportEntry(
                    type: "note", at: "2026-11-20T10:00:00.000+00:00", localDate: "2026-11-20", text: "x",
                    editedAt: "0000-01-01T00:00:00.000+00:00"), "edited_at"
            ),
        ]
        for (entry, expected) in cases {
            let message = try refusal(harness, entry)
            #expect(message?.contains(expected) == true, "\(entry.at) \(entry.localDate): \(message ?? "imported")")
        }
        // The edges themselves are fine, and a zone a day away from UTC too.
        let edges = [
            ExportEntry(type: "note", at: "1970-01-01T00:00:00.000+00:00", localDate: "1970-01-01", text: "first"),
            ExportEntry(type: "note", at: "9999-12-31T23:59:59.000+14:00", localDate: "9999-12-31", text: "last"),
            ExportEntry(type: "note", at: "2026-11-20T23:30:00.000-11:00", localDate: "2026-11-20", text: "far west"),
        ]
        #expect(try harness.call(Request.Import(entries: edges)).get() == ImportResult(added: 3, skipped: 0))
    }

    @Test func slotsAndChannelsAreHeldToTheConfigRule() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let osc52 = "\u{1B}]52;c;aGVsbG8=\u{07}"
        for (slot, channel, expected) in [
            (osc52, "cli", "slot name"), ("\u{1B}[2J\u{1B}]0;pwned\u{07}", "cli", "slot name"),
            (String(repeating: "a", count: 33), "cli", "slot name"), ("Water", "cli", "slot name"),
            ("intention", osc52, "channel"), ("intention", "a b", "channel"),
        ] {
            let entry = ExportEntry(
                type: "answer", at: "2026-11-20T10:00:00.000+00:00", localDate: "2026-11-20", text: "x", slot: slot,
                prompt: "?", channel: channel)
            let message = try refusal(harness, entry)
            #expect(message?.contains(expected) == true, "\(slot.debugDescription): \(message ?? "imported")")
        }
        let fine = ExportEntry(
            type: "answer", at: "2026-11-20T10:00:00.000+00:00", localDate: "2026-11-20", text: "x", slot: "stretch-break",
            prompt: "?", channel: "desktop")
        #expect(try harness.call(Request.Import(entries: [fine])).get().added == 1)
    }

    @Test func aTextLongerThan32KiBIsRefused() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let long = ExportEntry(
            type: "note", at: "2026-11-20T10:00:00.000+00:00", localDate: "2026-11-20",
            text: String(repeating: "é", count: 16 * 1024 + 1))
        #expect(try refusal(harness, long)?.contains("longer than 32 KiB") == true)
    }

    @Test func anEntryFromBeforeYearZeroAlreadyInTheJournalIsShownAndExported() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        // As a journal from elsewhere could hold it: straight into the store, past the import checks.
        let ancient = Date(timeIntervalSince1970: -62_198_755_200)  // -0001-01-01T00:00:00Z
        let far = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z
        _ = try harness.daemon.queue.sync {
            try harness.daemon.journal.importEntries(
                [
                    .note(NoteRecord(text: "ancient", kind: nil, createdAt: ancient, localDate: "2026-11-20")),
                    .note(NoteRecord(text: "far", kind: nil, createdAt: far, localDate: "2026-11-20")),
                ], at: harness.clock.now)
        }
        let journal = try harness.call(
            Request.Journal(since: "2026-11-20", until: "2026-11-20", slot: nil, search: nil, limit: nil))
        let notes = try journal.get().days.flatMap(\.notes)
        #expect(notes.map(\.text).sorted() == ["ancient", "far"])
        #expect(notes.contains { $0.at.hasPrefix("-0001-01-01T") }, "\(notes.map(\.at))")

        let client = ControlClient(socketPath: harness.socket)
        _ = try client.send(Request.Export()).get()
        var texts: [String] = []
        let decoder = ControlProtocol.makeDecoder()
        reading: while true {
            switch try decoder.decode(ExportLine.self, from: Data(try client.readLine())) {
            case .entry(let entry): texts.append(entry.text)
            case .end: break reading
            }
        }
        #expect(texts == ["ancient", "far"], "the export leaves nothing out")
    }
}
