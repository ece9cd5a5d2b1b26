import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import Testing

@testable import KindlingDaemon

/// The import fuzzer's corpus and every input that ever crashed it (Fuzz/corpus/import,
/// Fuzz/regressions/import), replayed on every `make test` against the rules of
/// Fuzz/Sources/FuzzImport/FuzzImport.swift; keep the two in step.
@Suite struct ImportFuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String) -> [String] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent("import")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    static let zones = [
        TimeZone(identifier: "UTC")!, TimeZone(secondsFromGMT: 14 * 3600)!, TimeZone(secondsFromGMT: -12 * 3600)!,
    ]

    @Test func theCorpusIsThere() {
        #expect(Self.inputs("corpus").count >= 5, "Fuzz/corpus/import is missing or empty")
    }

    @Test(arguments: inputs("corpus") + inputs("regressions"))
    func holdsTheFuzzerRules(_ path: String) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.count >= 8 {
            let bits = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let date = Date(timeIntervalSince1970: Double(bitPattern: bits))
            for zone in Self.zones { #expect(Timestamp.string(date, in: zone).contains("T")) }
        }
        guard bytes.count <= ControlProtocol.maxLineBytes, let text = String(validating: bytes, as: UTF8.self),
            let entry = try? ControlProtocol.makeDecoder().decode(ExportEntry.self, from: Data(text.utf8))
        else { return }
        switch ImportRules.record(entry) {
        case .failure(let invalid):
            #expect(!invalid.reason.isEmpty && !invalid.reason.unicodeScalars.contains { $0.value < 0x20 })
        case .success(let record):
            let (slot, channel, at): (String?, String?, Date) =
                switch record {
                case .answer(let answer): (answer.slot, answer.channel.rawValue, answer.answeredAt)
                case .note(let note): (nil, nil, note.createdAt)
                }
            for name in [slot, channel].compactMap({ $0 }) {
                #expect(Configuration.isValidSlotName(name), "\(name.debugDescription)")
            }
            #expect(Timestamp.journalRange.contains(at))
            let journal = AppDatabase.inMemory()
            #expect(try journal.importEntries([record], at: Date()).added == 1)
            #expect(try journal.importEntries([record], at: Date()).skipped == 1)
            let saved = try #require(try journal.exportBatch(after: .start, limit: 10).first)
            let savedAt: Date =
                switch saved {
                case .answer(let answer): answer.answeredAt
                case .note(let note): note.createdAt
                }
            for zone in Self.zones {
                let printed = Timestamp.string(savedAt, in: zone)
                let parsed = try #require(Timestamp.parse(printed), "\(printed)")
                #expect((parsed.timeIntervalSince1970 * 1000).rounded() == (savedAt.timeIntervalSince1970 * 1000).rounded())
            }
        }
    }
}
