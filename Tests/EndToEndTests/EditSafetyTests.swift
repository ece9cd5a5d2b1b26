import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling edit ID` through $EDITOR: an edit made elsewhere meanwhile is never overwritten
/// (the daemon answers `conflict` and the person's new text comes back), and a signal during
/// the editor leaves neither the plaintext copy nor the editor behind.
@Suite(.serialized)
struct EditSafetyTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func script(_ sandbox: Sandbox, _ name: String, _ body: String) throws -> String {
        let path = sandbox.root + "/" + name
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func noteID(_ outcome: Outcome) throws -> String {
        let digits = outcome.stdout.filter(\.isNumber)
        try #require(outcome.status == 0 && !digits.isEmpty, "\(outcome)")
        return digits
    }

    @Test func anEditMadeMeanwhileIsNotOverwritten() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let id = try noteID(try sandbox.kindling("note", "the first words"))
        // While this editor is open, "another terminal" saves its own edit of the same entry.
        let editor = try script(
            sandbox, "slow-editor",
            """
            "\(binDirectory)/kindling" edit \(id) "changed in another terminal" >/dev/null || exit 9
            printf 'my careful rewrite\\n' > "$1"
            """)
        var environment = sandbox.environment
        environment["EDITOR"] = editor
        let outcome = try run(binDirectory + "/kindling", ["edit", id], environment: environment, timeout: 30)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stderr.contains("changed"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("NOT saved"), "\(outcome.stderr)")
        #expect(outcome.stderr.hasSuffix("my careful rewrite\n"), "the person's text must come back: \(outcome.stderr)")
        let journal = try sandbox.kindling("journal")
        #expect(journal.stdout.contains("changed in another terminal"), "\(journal)")
        #expect(!journal.stdout.contains("my careful rewrite"), "\(journal)")

        // Without a concurrent change the editor's text is saved as before.
        environment["EDITOR"] = try script(sandbox, "plain-editor", "printf 'settled words\\n' > \"$1\"\n")
        let saved = try run(binDirectory + "/kindling", ["edit", id], environment: environment, timeout: 30)
        #expect(saved.status == 0 && saved.stdout == "Saved entry \(id).\n", "\(saved)")
    }

    /// An entry near the 32 KiB limit can still be edited in $EDITOR: the request carries a
    /// fingerprint of the text it started from, not a second copy of it.
    @Test func aLongEntryCanBeEditedInTheEditor() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // 32,400 bytes, 4,800 of them quotes that JSON escapes: one copy fits a request, two do not.
        let long = String(repeating: "a \"long\" and \"quoted\" day, ", count: 1_200)
        let id = try noteID(try run(binDirectory + "/kindling", ["note"], environment: sandbox.environment, stdin: long))
        var environment = sandbox.environment
        // The new text is as long as the old one: with two copies, escaped, the line would not fit.
        environment["EDITOR"] = try script(sandbox, "append-editor", "printf ' and then rest' >> \"$1\"\n")
        let saved = try run(binDirectory + "/kindling", ["edit", id], environment: environment, timeout: 30)
        #expect(saved.status == 0, "\(saved)")
        #expect(try sandbox.kindling("journal").stdout.contains("and then rest"))
    }

    @Test(arguments: [SIGHUP, SIGTERM, SIGINT])
    func aSignalDuringTheEditorLeavesNoCopyAndNoEditor(signal: Int32) throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let id = try noteID(try sandbox.kindling("note", "words that are nobody else's"))
        let info = sandbox.root + "/editor-info"
        let editor = try script(sandbox, "waiting-editor", "printf '%s\\n%s\\n' \"$1\" \"$$\" > \(info)\nexec sleep 300\n")
        var environment = sandbox.environment
        environment["EDITOR"] = editor
        let log = sandbox.root + "/edit.log"
        let cli = try spawnSessionLeader(binDirectory + "/kindling", ["edit", id], environment: environment, logPath: log)
        defer { stopSessionLeader(cli) }
        let started = waitUntil(timeout: 10) {
            ((try? String(contentsOfFile: info, encoding: .utf8)) ?? "").split(separator: "\n").count == 2
        }
        try #require(started, "the editor did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let lines = try String(contentsOfFile: info, encoding: .utf8).split(separator: "\n").map(String.init)
        let copy = lines[0]
        let editorPID = try #require(pid_t(lines[1]))
        #expect(FileManager.default.fileExists(atPath: copy), "the plaintext copy the editor works on")

        #expect(kill(cli, signal) == 0)
        #expect(waitUntil(timeout: 10) { !isAlive(cli) }, "kindling edit did not end after signal \(signal)")
        #expect(!FileManager.default.fileExists(atPath: copy), "the plaintext copy was left at \(copy)")
        let folder = (copy as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: folder), "its private folder was left at \(folder)")
        let editorGone = waitUntil(timeout: 5) { !FileManager.default.fileExists(atPath: "/proc/\(editorPID)") }
        #expect(editorGone, "the editor (pid \(editorPID)) was left running")
        if !editorGone { kill(editorPID, SIGKILL) }
        let journal = try sandbox.kindling("journal")
        #expect(journal.stdout.contains("words that are nobody else's"), "the entry must be unchanged: \(journal)")
    }
}
