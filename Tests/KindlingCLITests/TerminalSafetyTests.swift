import Foundation
import KindlingControl
import Testing

@testable import KindlingCLI

/// Text from the journal can hold anything a person (or a pasted snippet) put there. Printed
/// on a terminal it must never drive it: no escape sequences, no bell, no C1 controls, no
/// carriage return overwriting a line.
@Suite struct TerminalSafetyTests {
    /// CSI (clear screen), OSC 8 (a hyperlink) and OSC 0 (window title) ended by BEL and by ST,
    /// a C1 CSI, a carriage return, DEL and a NUL.
    static let hostile =
        "be \u{1B}[2Jkind \u{1B}]8;;https://example.com\u{07}link\u{1B}]8;;\u{07} \u{1B}]0;owned\u{1B}\\ "
        + "\u{9B}31m red \rover\u{7F}\u{0}"
    /// Quotes, a command substitution and line breaks: harmless, and kept as they are.
    static let harmless = "called \"Sam\" and 'Ana' $(rm -rf ~) `id`\nsecond line\n\tthird"

    static func assertInert(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let controls = output.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
        }
        #expect(
            controls.isEmpty, "control characters reach the terminal: \(output.debugDescription)", sourceLocation: sourceLocation)
        #expect(output.contains("\u{FFFD}"), "the neutralised characters should show", sourceLocation: sourceLocation)
    }

    @Test func safeReplacesEveryControlButLineBreaksAndTabs() {
        let safe = Terminal.safe(Self.hostile)
        Self.assertInert(safe)
        #expect(safe.contains("kind") && safe.contains("link") && safe.contains("over"))
        #expect(Terminal.safe(Self.harmless) == Self.harmless)
    }

    @Test func theJournalPrintsStoredTextInert() {
        let answer = JournalEntry(
            id: 7, type: "answer", slot: "reflection", prompt: "What \u{1B}[5mblinks\u{1B}[0m?", text: Self.hostile,
            at: "2026-11-21T21:05:00.000+00:00", localDate: "2026-11-21")
        let note = JournalEntry(
            id: 8, type: "note", kind: "given", text: Self.harmless, at: "2026-11-21T12:00:00.000+00:00", localDate: "2026-11-21")
        let text = JournalText.render(
            JournalResult(days: [.init(date: "2026-11-21", answers: [answer], notes: [note])], more: false), filtered: false)
        Self.assertInert(text)
        #expect(text.contains("called \"Sam\" and 'Ana' $(rm -rf ~) `id`"))
        #expect(text.contains("      second line"), "continuation lines stay indented: \(text)")
    }

    @Test func theMarkdownExportIsInertAndJSONKeepsEveryByte() {
        let entry = ExportEntry(
            type: "answer", id: 2, at: "2026-11-21T08:05:00.000+00:00", localDate: "2026-11-21", text: Self.hostile,
            slot: "intention", prompt: "\u{1B}]0;title\u{07}How will you be kind?", mood: nil, energy: nil, channel: "cli")
        var markdown = ExportRenderer(format: .markdown)
        Self.assertInert(markdown.entry(entry, raw: []))
        // JSON Lines is for import: every byte survives (escaped by JSON itself).
        var json = ExportRenderer(format: .json)
        let line = json.entry(entry, raw: entry.jsonLine())
        let decoded = try? ControlProtocol.makeDecoder().decode(ExportEntry.self, from: Data(line.utf8))
        #expect(decoded?.text == Self.hostile)
    }

    @Test func deletingAsksWithAnInertPreview() {
        Self.assertInert(Delete.preview(Self.hostile, length: 200))
    }
}
