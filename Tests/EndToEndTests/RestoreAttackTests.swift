import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Journal files changed by hand so that they keep Kindling's mark and pass quick_check, handed to
/// `kindling restore` and left in place of the journal: refused, never a crash loop or an erased
/// journal. The changes are made with the sqlite3 shell, as an attacker would.
@Suite(.serialized) struct RestoreAttackTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func sqlite(_ path: String, _ sql: String) throws {
        let outcome = try run("/usr/bin/sqlite3", [path, sql], environment: ["PATH": "/usr/bin:/bin"])
        guard outcome.status == 0 else { throw TestSetupError("sqlite3 \(sql) failed: \(outcome)") }
    }

    /// `deliveries.prompt_text` made nullable, with one pending delivery that has no prompt text.
    static let loosen = """
        PRAGMA writable_schema = ON;
        UPDATE sqlite_master SET sql = replace(sql, 'prompt_text   TEXT    NOT NULL', 'prompt_text   TEXT')
        WHERE name = 'deliveries';
        PRAGMA writable_schema = OFF;
        """
    static let nullPrompt = """
        INSERT INTO deliveries (slot, scheduled_at, local_date, prompt_text, prompt_key, fired_at, expires_at, status_at)
        VALUES ('intention', 0, '2025-11-21', NULL, 'k', 0, 4102444800000, 0);
        """
    /// A trigger that empties the journal at the next note.
    static let wipe = "CREATE TRIGGER notes_wipe AFTER INSERT ON notes BEGIN DELETE FROM entries WHERE id <> NEW.id; END;"

    private func notes(_ sandbox: Sandbox) throws -> [String] {
        let journal = try sandbox.kindling("journal", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [String: Any])
        let days = try #require(object["days"] as? [[String: Any]])
        return days.flatMap { ($0["notes"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }.sorted()
    }

    @Test func restoreRefusesALoosenedColumnAndAnAddedTrigger() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "before the attack").status == 0)
        let loosened = sandbox.root + "/loosened.sqlite"
        let trapped = sandbox.root + "/trapped.sqlite"
        #expect(try sandbox.kindling("backup", "--output", loosened).status == 0)
        #expect(try sandbox.kindling("backup", "--output", trapped).status == 0)
        try sqlite(loosened, Self.loosen)
        try sqlite(loosened, Self.nullPrompt)
        try sqlite(trapped, Self.wipe)

        for (file, says) in [
            (loosened, "the table \"deliveries\" is defined differently"), (trapped, "the trigger \"notes_wipe\" was added"),
        ] {
            let refused = try sandbox.kindling("restore", file, "--yes")
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("nothing was restored"), "\(refused)")
            #expect(refused.stderr.contains(says), "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
            #expect(daemon.isRunning, "the daemon died after restoring \(file)")
            #expect(try sandbox.kindling("status").status == 0)
        }
        #expect(try sandbox.kindling("note", "after the attack").status == 0)
        #expect(try notes(sandbox) == ["after the attack", "before the attack"])
    }

    @Test func aJournalChangedWhileStoppedMeansDegradedModeNotACrashLoop() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.startDaemon()
        #expect(try sandbox.kindling("note", "kept safe").status == 0)
        first.terminate()
        first.waitUntilExit()
        try sqlite(sandbox.journal, Self.loosen)
        try sqlite(sandbox.journal, Self.nullPrompt)
        let before = try Data(contentsOf: URL(fileURLWithPath: sandbox.journal))

        let second = try sandbox.startDaemon()
        defer { second.stopAndWait() }
        let status = try sandbox.kindling("status", "--json")
        #expect(status.status == 0, "\(status)")
        #expect(status.stdout.contains("is defined differently"), "\(status.stdout)")
        let refused = try sandbox.kindling("note", "not to be lost")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("NOT saved") && refused.stderr.contains("not to be lost"), "\(refused)")
        #expect(second.isRunning)
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.journal)) == before, "the journal is left as it was")
    }

    @Test func slotNamesFromARestoredFileReachNoTerminalRaw() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        #expect(try sandbox.kindling("respond", "listen first").status == 0)
        #expect(try sandbox.kindling("fire", "nudge").status == 0)
        let file = sandbox.root + "/escapes.sqlite"
        #expect(try sandbox.kindling("backup", "--output", file).status == 0)
        // OSC 52 (write the clipboard), a screen clear and a window title, as slot names.
        let hostile = "char(27) || ']52;c;aGVsbG8=' || char(7) || char(27) || '[2J' || char(27) || ']0;pwned' || char(7)"
        try sqlite(
            file, "UPDATE answers SET slot = \(hostile); UPDATE deliveries SET slot = \(hostile) WHERE status = 'pending';")
        let restored = try sandbox.kindling("restore", file, "--yes")
        #expect(restored.status == 0, "a sound journal whatever its values: \(restored)")
        for arguments in [["journal"], ["pending"], ["export", "--format", "markdown"], ["stats"]] {
            let outcome = try run(binDirectory + "/kindling", arguments, environment: sandbox.environment)
            #expect(outcome.status == 0, "\(arguments): \(outcome)")
            #expect(
                !outcome.stdout.contains("\u{1B}") && !outcome.stdout.contains("\u{07}"),
                "\(arguments): \(outcome.stdout.debugDescription)")
        }
    }
}
