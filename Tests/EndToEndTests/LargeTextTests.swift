import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Long texts: one saved text is at most 32 KiB (refused clearly, and given back), while replies
/// may be longer than a request's 64 KiB frame: a day of long entries, an export, a thousand
/// upcoming prompts all still come through.
@Suite(.serialized)
struct LargeTextTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func aTextOverTheLimitIsRefusedClearlyAndGivenBack() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // 33,000 bytes: over 32 KiB, under the 64 KiB request frame, so the daemon itself decides.
        let long = String(repeating: "kind words ", count: 3000)
        for arguments in [["note", long], ["note", "--socket", sandbox.socket, long]] {
            let outcome = try sandbox.kindlingWithin(arguments)
            #expect(outcome.status == 1, "\(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.contains("32 KiB"), "\(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.contains("NOT saved"), "\(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.contains(long.trimmingCharacters(in: .whitespaces)), "the text must be given back")
        }
        // Read from standard input, and far over the frame: refused the same way, no timeout.
        let huge = String(repeating: "é", count: 40_000)
        let piped = try run(binDirectory + "/kindling", ["note"], environment: sandbox.environment, stdin: huge, timeout: 20)
        #expect(piped.status == 1 && piped.stderr.contains("32 KiB"), "\(piped.stderr.prefix(300))")
        #expect(piped.stderr.contains(huge), "the text must be given back")
        #expect(piped.seconds < 5, "\(piped.seconds) s")

        // The daemon holds the same limit for any client, not only this CLI.
        let raw = try run(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(sys.argv[1])
                s.settimeout(10)
                s.sendall(json.dumps({"v": 1, "id": 1, "cmd": "note", "text": "x" * 33000}).encode() + b"\\n")
                print(s.recv(65536).decode())
                """,
                sandbox.socket,
            ], environment: sandbox.environment)
        #expect(raw.stdout.contains("\"too_large\""), "\(raw)")

        let short = try sandbox.kindling("note", "a short one")
        #expect(short.status == 0, "\(short)")
        let id = short.stdout.filter(\.isNumber)
        let edit = try sandbox.kindlingWithin(["edit", id, long])
        #expect(edit.status == 1 && edit.stderr.contains("32 KiB"), "\(edit.stderr.prefix(300))")
        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.status == 0 && !journal.stdout.contains("kind words"), "\(journal.stdout.prefix(300))")
    }

    @Test func longEntriesStillReadExportAndPreview() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // Three notes just under the limit on one day: the day alone is over 64 KiB.
        let texts = (1...3).map { String(repeating: "\($0) gentle ", count: 3600) }
        for text in texts {
            let saved = try sandbox.kindlingWithin(["note", text])
            #expect(saved.status == 0, "\(saved.stderr.prefix(300))")
        }
        let journal = try sandbox.kindlingWithin(["journal"])
        #expect(journal.status == 0, "\(journal.stderr)")
        for text in texts { #expect(journal.stdout.contains(text.trimmingCharacters(in: .whitespaces))) }
        let asJSON = try sandbox.kindlingWithin(["journal", "--json"])
        #expect(asJSON.status == 0, "\(asJSON.stderr)")

        let export = try sandbox.kindlingWithin(["export", "--format", "json"])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 4, "a header and three entries, got \(lines.count) lines")
        #expect(lines.filter { $0.count > 20_000 }.count == 3)

        let next = try sandbox.kindlingWithin(["next", "--count", "1000", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.seconds < 10, "\(next.seconds) s")
        let parsed = try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any]
        #expect((parsed?["occurrences"] as? [Any])?.count == 1000, "\(next.stdout.prefix(300))")
        print(
            "measured: a day of 3 × \(texts[0].utf8.count) bytes read in \(String(format: "%.2f", journal.seconds)) s, "
                + "exported in \(String(format: "%.2f", export.seconds)) s; next --count 1000 in \(String(format: "%.2f", next.seconds)) s"
        )
    }
}

extension DaemonProcessTests.Sandbox {
    /// `kindling ARGS` with a time limit (a CLI that waits for ever fails the test, not hangs it).
    func kindlingWithin(_ arguments: [String], timeout: Double = 30) throws -> Outcome {
        try EndToEndTests.run(binDirectory + "/kindling", arguments, environment: environment, timeout: timeout)
    }
}
