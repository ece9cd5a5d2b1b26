import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// backup, restore, export, import and uninstall --purge on the built binaries, against a real kindlingd.
@Suite(.serialized)
struct BackupCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o7777
    }

    private func notes(_ sandbox: Sandbox) throws -> [String] {
        let journal = try sandbox.kindling("journal", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [String: Any])
        let days = try #require(object["days"] as? [[String: Any]])
        return days.flatMap { ($0["notes"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }.sorted()
    }

    @Test
    func backupAndRestore() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // The first tick took today's snapshot.
        let snapshots = sandbox.root + "/data/kindling/snapshots"
        let daily = try FileManager.default.contentsOfDirectory(atPath: snapshots).filter { $0.hasPrefix("journal-") }
        #expect(daily.count == 1, "\(daily)")
        #expect(mode(snapshots) == 0o700)

        #expect(try sandbox.kindling("note", "before the backup").status == 0)
        // A relative --output is the CLI's current directory, not the daemon's.
        let backup = try run(
            "/bin/sh",
            ["-c", "cd \"$1\" && exec \"$2\" backup --output copy.sqlite", "sh", sandbox.root, binDirectory + "/kindling"],
            environment: sandbox.environment)
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stdout == sandbox.root + "/copy.sqlite\n", "\(backup)")
        #expect(mode(sandbox.root + "/copy.sqlite") == 0o600)
        let snapshot = try sandbox.kindling("backup", "--json")
        #expect(snapshot.status == 0, "\(snapshot)")
        #expect(snapshot.stdout.contains(snapshots + "/journal-"), "\(snapshot)")

        #expect(try sandbox.kindling("note", "after the backup").status == 0)

        // Without a terminal and without --yes: exit 2, nothing changed.
        let refused = try sandbox.kindling("restore", sandbox.root + "/copy.sqlite")
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--yes"), "\(refused)")
        #expect(try notes(sandbox) == ["after the backup", "before the backup"])

        let garbage = sandbox.root + "/garbage.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: garbage))
        let bad = try sandbox.kindling("restore", garbage, "--yes")
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.contains("nothing was restored"), "\(bad)")

        let restored = try sandbox.kindling("restore", sandbox.root + "/copy.sqlite", "--yes", "--json")
        #expect(restored.status == 0, "\(restored)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(restored.stdout.utf8)) as? [String: Any])
        #expect(object["path"] as? String == sandbox.journal)
        let previous = try #require(object["previous_snapshot"] as? String)
        #expect(previous.contains("/snapshots/journal-before-restore-"))
        #expect(mode(previous) == 0o600)
        #expect(try notes(sandbox) == ["before the backup"])
    }

    @Test
    func exportThenImportIntoAFreshJournalReproducesIt() throws {
        let first = try Sandbox()
        let daemon = try first.startDaemon()
        #expect(try first.kindling("note", "held the door", "--given").status == 0)
        #expect(try first.kindling("note", "a neighbour, a \"kind\" word, soup").status == 0)
        #expect(try first.kindling("fire", "intention").status == 0)
        #expect(try first.kindling("respond", "listen before speaking", "--mood", "4").status == 0)
        let exported = first.root + "/export.jsonl"
        let export = try first.kindling("export", "--format", "json", "--output", exported)
        #expect(export.status == 0, "\(export)")
        #expect(mode(exported) == 0o600)
        let lines = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.first?.contains(#""kindling_export":1"#) == true)
        let csv = try first.kindling("export", "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        #expect(csv.stdout.hasPrefix("type,id,at,local_date,"))
        #expect(csv.stdout.contains(#""a neighbour, a ""kind"" word, soup""#), "\(csv.stdout)")
        let markdown = try first.kindling("export", "--format", "markdown")
        #expect(markdown.status == 0, "\(markdown)")
        #expect(markdown.stdout.contains("### Intention, "), "\(markdown.stdout)")
        #expect(try first.kindling("export", "--format", "pdf").status == 2)
        daemon.terminate()
        daemon.waitUntilExit()

        let second = try Sandbox()
        let fresh = try second.startDaemon()
        defer { fresh.stopAndWait() }
        let imported = try second.kindling("import", exported)
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout == "Imported 3 entries; skipped 0 already in your journal.\n", "\(imported)")
        let again = try second.kindling("import", exported, "--json")
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains(#""skipped" : 3"#) || again.stdout.contains(#""skipped":3"#), "\(again)")

        // The same entries, field for field (ids aside).
        let reexported = second.root + "/again.jsonl"
        #expect(try second.kindling("export", "--output", reexported).status == 0)
        func entries(_ path: String) throws -> [NSDictionary] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return object.filter { $0.key != "id" } as NSDictionary
            }
        }
        #expect(try entries(reexported) == entries(exported))

        let notAnExport = second.root + "/not.jsonl"
        try "hello\n".write(toFile: notAnExport, atomically: true, encoding: .utf8)
        let refused = try second.kindling("import", notAnExport)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("not a Kindling export"), "\(refused)")
    }

    @Test func purgeWithoutATerminalOrYesChangesNothing() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: sandbox.journal))
        let refused = try sandbox.kindling("uninstall", "--purge")
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--purge --yes"), "\(refused)")
        #expect(FileManager.default.fileExists(atPath: sandbox.journal))
        #expect(try sandbox.kindling("uninstall", "--yes").status == 2)
    }

    @Test func purgeErasesTheJournalAndItsSnapshots() throws {
        let manager = try UserManager()
        defer { manager.stop() }
        try ServiceLifecycleTests.installService(manager)
        let folder = manager.dataHome + "/kindling"
        #expect(FileManager.default.fileExists(atPath: folder + "/journal.sqlite"))
        // The first daily snapshot is taken by the first tick, just after READY.
        #expect(waitUntil(timeout: 5) { FileManager.default.fileExists(atPath: folder + "/snapshots") })

        // Copies an interrupted restore or backup would leave behind hold the journal's words too.
        for leftover in ["/.journal-restore-4242.sqlite", "/.journal.sqlite.tmp-4242-7"] {
            #expect(FileManager.default.createFile(atPath: folder + leftover, contents: Data("words".utf8)))
        }

        let purge = try manager.kindling("uninstall", "--purge", "--yes")
        #expect(purge.status == 0, "\(purge)")
        #expect(purge.stdout.contains("Erased your journal"), "\(purge)")
        #expect(purge.stdout.contains("backup --output"), "says what is left alone: \(purge)")
        // Nothing of the journal is left, so the folder itself went too.
        #expect(
            !FileManager.default.fileExists(atPath: folder),
            "\((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])")
        #expect(!FileManager.default.fileExists(atPath: manager.configHome + "/systemd/user/kindling.service"))
    }
}
