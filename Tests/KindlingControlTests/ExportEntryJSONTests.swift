import Foundation
import KindlingControl
import Testing

@Suite struct ExportEntryJSONTests {
    static let tricky: [String] = [
        "plain", "", "quote \" and backslash \\ and slash /", "line\nbreak\r\n\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "unicode: café, 😊, 漢字, \u{2028}", "\u{8}\u{C}",
    ]

    @Test(arguments: tricky)
    func theHandWrittenLineIsExactlyWhatJSONEncoderWrites(text: String) throws {
        let entries = [
            ExportEntry(
                type: "answer", id: 42, at: "2026-11-21T21:00:00.000+01:00", localDate: "2026-11-21", text: text,
                slot: "reflection", prompt: "What \"kindness\"?\n", kind: nil, mood: 4, energy: nil, channel: "cli",
                editedAt: nil),
            ExportEntry(
                type: "note", id: nil, at: "2026-11-21T08:00:00.000-03:30", localDate: "2026-11-21", text: text,
                slot: nil, prompt: nil, kind: "given", mood: nil, energy: 5, channel: nil, editedAt: "2026-11-22T00:00:00.000Z"),
        ]
        for entry in entries {
            let reference = try ControlProtocol.makeEncoder().encode(entry)
            #expect(String(decoding: entry.jsonLine(), as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        }
    }
}
