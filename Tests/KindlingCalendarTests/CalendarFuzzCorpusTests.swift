import Foundation
import Testing

@testable import KindlingCalendar

/// The calendar fuzzer's corpus and every input that ever crashed it (Fuzz/corpus/calendar,
/// Fuzz/regressions/calendar), replayed against the fuzzer's rules on every `make test`.
@Suite struct CalendarFuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func inputs(_ folder: String) -> [URL] {
        let url = root.appendingPathComponent("Fuzz/\(folder)/calendar")
        return ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }
    }

    @Test func everySeedAndRegressionHoldsTheRules() throws {
        let files = Self.inputs("corpus") + Self.inputs("regressions")
        #expect(Self.inputs("corpus").count >= 4, "Fuzz/corpus/calendar is missing or thin")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            #expect(CalendarFuzzRules.check(bytes) == nil, "\(file.lastPathComponent)")
        }
    }
}
