import Foundation
import KindlingControl
import Testing

/// `journal` and `stats` are written and read by hand (Results+JournalJSON): the bytes must be
/// exactly JSONEncoder's, and reading them back must give the same values.
@Suite struct JournalJSONTests {
    static func entry(_ id: Int64, text: String, answer: Bool) -> JournalEntry {
        answer
            ? JournalEntry(
                id: id, type: "answer", slot: "reflection", prompt: "What \"kindness\"? /\n", text: text, mood: 4, energy: nil,
                at: "2026-11-21T21:00:00.000+01:00", localDate: "2026-11-21", editedAt: "2026-11-22T08:00:00.000+01:00")
            : JournalEntry(
                id: id, type: "note", kind: "given", text: text, energy: 2, at: "2026-11-21T08:00:00.000-03:30",
                localDate: "2026-11-21")
    }

    static let journal = JournalResult(
        days: ExportEntryJSONTests.tricky.enumerated().map { index, text in
            JournalResult.Day(
                date: "2026-11-\(10 + index)", intention: index % 2 == 0 ? entry(1, text: text, answer: true) : nil,
                answers: (0..<index).map { entry(Int64(10 + $0), text: text, answer: true) },
                notes: [entry(99, text: text, answer: false)],
                reflection: index % 3 == 0 ? nil : entry(5, text: text, answer: true),
                mood: index % 2 == 0 ? 3 : nil, energy: index % 3 == 0 ? nil : 5, omitted: index == 2 ? 7 : nil)
        }, more: true)

    static func stats(streaks: Bool) -> StatsResult {
        var stats = StatsResult(
            today: "2026-11-21", from: "2026-10-05",
            streak: StatsResult.Streak(
                current: 3, currentSince: "2026-11-19", best: 40, bestSince: nil, bestUntil: "2026-10-01", graceDaysPerWeek: 2),
            practisedDays: 12,
            weeks: [
                StatsResult.Week(
                    start: "2026-10-05", answers: [.init(slot: "intention", count: 3), .init(slot: "other \"x\"", count: 1)],
                    notes: 2, practisedDays: 4),
                StatsResult.Week(start: "2026-10-12", answers: [], notes: 0, practisedDays: 0),
            ],
            days: [
                StatsResult.Day(date: "2026-10-05", answers: 2, notes: 1, mood: 3.5, energy: 4),
                StatsResult.Day(date: "2026-10-06", answers: 0, notes: 0, mood: nil, energy: 2.33),
                StatsResult.Day(date: "2026-10-07", answers: 1, notes: 0, mood: 1.67, energy: nil),
            ])
        if !streaks {
            stats.streak = nil
            stats.practisedDays = nil
            for index in stats.weeks.indices { stats.weeks[index].practisedDays = nil }
        }
        return stats
    }

    @Test func aJournalIsWrittenAsJSONEncoderWritesItAndReadBack() throws {
        var bytes: [UInt8] = []
        Self.journal.appendJSON(to: &bytes)
        let reference = try ControlProtocol.makeEncoder().encode(Self.journal)
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        let json = try #require(JSONValue.parse(bytes))
        #expect(JournalResult(json: json) == Self.journal)
        // `--json` prints it indented, as printJSON (JSONEncoder) did.
        let encoder = ControlProtocol.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        #expect(json.prettyPrinted() == Array(try encoder.encode(Self.journal)))
    }

    @Test(arguments: [true, false])
    func statsAreWrittenAsJSONEncoderWritesThemAndReadBack(streaks: Bool) throws {
        let stats = Self.stats(streaks: streaks)
        var bytes: [UInt8] = []
        stats.appendJSON(to: &bytes)
        let reference = try ControlProtocol.makeEncoder().encode(stats)
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        let json = try #require(JSONValue.parse(bytes))
        #expect(StatsResult(json: json) == stats)
        let encoder = ControlProtocol.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        #expect(json.prettyPrinted() == Array(try encoder.encode(stats)))
    }

    @Test func theResponseLinesAreTheEnvelopesJSONEncoderWrites() throws {
        let journalLine = Self.journal.responseLine(id: 7)
        #expect(journalLine == Array(try ControlProtocol.makeEncoder().encode(ResponseEnvelope(id: 7, result: Self.journal))))
        let stats = Self.stats(streaks: true)
        #expect(
            stats.responseLine(id: 8) == Array(try ControlProtocol.makeEncoder().encode(ResponseEnvelope(id: 8, result: stats))))
    }

    @Test func aResultMissingAKeyIsNotRead() throws {
        var bytes: [UInt8] = []
        Self.journal.appendJSON(to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"local_date\":", with: "\"local_dates\":")
        #expect(JournalResult(json: try #require(JSONValue.parse(Array(text.utf8)))) == nil)
        #expect(StatsResult(json: try #require(JSONValue.parse(Array("{\"today\":\"x\"}".utf8)))) == nil)
    }
}
