import Foundation
import KindlingControl
import Testing

/// Text with shell syntax, quotes, line breaks and terminal escape sequences, through the real
/// CLI and daemon: stored exactly, given back exactly as data (JSON), and never able to drive
/// the terminal when printed (journal, today, pending, markdown export).
@Suite(.serialized) struct HostileTextTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    static let shellish = "called \"Sam\" & 'Ana'; $(touch /tmp/kindling-pwned) `id` $HOME \\n\nline two\n\tline three"
    static let escapes =
        "kind \u{1B}[2J\u{1B}[H words \u{1B}]8;;https://example.com\u{07}link\u{1B}]8;;\u{07} "
        + "\u{1B}]0;title\u{1B}\\ \u{9B}31m C1 \u{07}bell \roverwrite\u{7F}"

    /// No escape, bell, C1 control, carriage return or DEL: only line breaks and tabs pass.
    static func isInert(_ text: String) -> Bool {
        !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    @Test func textSurvivesExactlyAndPrintsInert() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // An intention answered with escapes (as an argument), a note with shell syntax (on stdin).
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        let answered = try sandbox.kindling("respond", Self.escapes)
        #expect(answered.status == 0, "\(answered)")
        let noted = try run(
            binDirectory + "/kindling", ["note", "--given"], environment: sandbox.environment, stdin: Self.shellish)
        #expect(noted.status == 0, "\(noted)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/kindling-pwned"), "text was run by a shell")

        // As data, every byte is kept.
        let json = try sandbox.kindling("journal", "--json")
        let journal = try ControlProtocol.makeDecoder().decode(JournalResult.self, from: Data(json.stdout.utf8))
        let texts = journal.days.flatMap { [$0.intention].compactMap { $0 } + $0.answers + $0.notes }.map(\.text)
        #expect(texts.contains(Self.escapes), "\(texts.map(\.debugDescription))")
        // stdin's final line break is not part of the note.
        #expect(
            texts.contains { $0.hasPrefix(Self.shellish.trimmingCharacters(in: .newlines)) }, "\(texts.map(\.debugDescription))")
        let export = try sandbox.kindling("export", "--format", "json")
        let exported = export.stdout.split(separator: "\n").dropFirst().compactMap {
            try? ControlProtocol.makeDecoder().decode(ExportEntry.self, from: Data($0.utf8)).text
        }
        #expect(exported.contains(Self.escapes))

        // Printed for a person, nothing can drive the terminal.
        for command in [["journal"], ["today"], ["pending"], ["export", "--format", "markdown"], ["status"]] {
            let shown = try run(binDirectory + "/kindling", command, environment: sandbox.environment)
            #expect(shown.status == 0, "\(command): \(shown)")
            #expect(
                Self.isInert(shown.stdout), "kindling \(command.joined(separator: " ")) printed: \(shown.stdout.debugDescription)"
            )
        }
        let plain = try sandbox.kindling("journal").stdout
        #expect(plain.contains("$(touch /tmp/kindling-pwned)") && plain.contains("\"Sam\""), "\(plain)")
        #expect(plain.contains("\u{FFFD}"), "the neutralised characters should be visible")
    }
}
