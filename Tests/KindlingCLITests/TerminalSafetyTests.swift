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

    /// A slot name as an import or a restored file could bring it: OSC 52 (write the clipboard),
    /// a screen clear and a window title.
    static let hostileSlot = "\u{1B}]52;c;aGVsbG8=\u{07}\u{1B}[2J\u{1B}]0;pwned\u{07}"

    @Test func slotNamesArePrintedInertEverywhere() {
        let answer = JournalEntry(
            id: 7, type: "answer", slot: Self.hostileSlot, prompt: "?", text: "x", at: "2026-11-21T21:05:00.000+00:00",
            localDate: "2026-11-21")
        Self.assertInert(
            JournalText.render(
                JournalResult(days: [.init(date: "2026-11-21", answers: [answer], notes: [])], more: false), filtered: false))
        Self.assertInert(
            Pending.describe(
                .init(id: 3, slot: Self.hostileSlot, text: "a prompt", firedAt: "2026-11-21T08:00:00.000+00:00", expiresAt: nil)))
        Self.assertInert(Watch.describe(Event(event: .fired, id: 3, slot: Self.hostileSlot, text: "a prompt")))
        Self.assertInert(Watch.describe(Event(event: .pending, id: 3, slot: Self.hostileSlot, text: "a prompt")))
        var markdown = ExportRenderer(format: .markdown)
        let entry = ExportEntry(
            type: "answer", id: 2, at: "2026-11-21T08:05:00.000+00:00", localDate: "2026-11-21", text: "x", slot: Self.hostileSlot
        )
        Self.assertInert(markdown.entry(entry, raw: []))
        let stats = StatsResult(
            today: "2026-11-21", from: "2026-11-16",
            streak: .init(current: 1, currentSince: nil, best: 1, bestSince: nil, bestUntil: nil, graceDaysPerWeek: 2),
            practisedDays: 1,
            weeks: [.init(start: "2026-11-16", answers: [.init(slot: Self.hostileSlot, count: 1)], notes: 0, practisedDays: 1)],
            days: [])
        Self.assertInert(StatsText.perSlot(stats))
    }
}
