import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling import` on files a careless script or an attacker could hand it: bytes that are not
/// UTF-8, a line of many megabytes, times and slot names no journal should hold.
@Suite(.serialized) struct ImportAttackTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// The header line of a real export from `sandbox`.
    private func header(_ sandbox: Sandbox) throws -> Data {
        let exported = sandbox.root + "/header.jsonl"
        // Called more than once in a test: the earlier header is replaced on purpose.
        #expect(try sandbox.kindling("export", "--output", exported, "--force").status == 0)
        let text = try String(contentsOfFile: exported, encoding: .utf8)
        return Data((text.split(separator: "\n").first ?? "").utf8) + Data("\n".utf8)
    }

    private func entry(_ text: String, at: String = "2026-11-20T10:00:00.000+00:00", date: String = "2026-11-20") -> Data {
        Data(#"{"type":"note","at":"\#(at)","local_date":"\#(date)","text":"\#(text)"}"#.utf8) + Data("\n".utf8)
    }

    @Test func aLineThatIsNotUTF8IsRefusedNamingTheLine() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        var file = try header(sandbox)
        file += entry("caf\u{E9} with a friend")
        // The same word as Latin-1: é is the lone byte 0xE9.
        file +=
            Data(#"{"type":"note","at":"2026-11-20T11:00:00.000+00:00","local_date":"2026-11-20","text":"caf"#.utf8)
            + Data([0xE9]) + Data(#""}"#.utf8) + Data("\n".utf8)
        let path = sandbox.root + "/latin1.jsonl"
        try file.write(to: URL(fileURLWithPath: path))
        let refused = try sandbox.kindling("import", path)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("line 3 of \(path) is not valid UTF-8"), "\(refused)")
        let journal = try sandbox.kindling("journal", "--json")
        #expect(!journal.stdout.contains("\u{FFFD}"), "a replacement character was saved: \(journal.stdout)")
    }

    @Test func aLineOfManyMegabytesIsRefusedWithoutReadingItWhole() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let path = sandbox.root + "/huge.jsonl"
        var file = try header(sandbox)
        file += entry("a short note")
        file += entry(String(repeating: "a", count: 64 * 1024 * 1024))
        try file.write(to: URL(fileURLWithPath: path))
        file = Data()
        let measured = try run(
            "/usr/bin/time", ["-f", "maxrss_kib %M", binDirectory + "/kindling", "import", path], environment: sandbox.environment
        )
        #expect(measured.status == 1, "\(measured)")
        #expect(measured.stderr.contains("line 3 of \(path) is longer than 64 KiB"), "\(measured)")
        let rss = measured.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss_kib ") }.flatMap { Int($0.dropFirst(11)) }
        let kib = try #require(rss, "\(measured.stderr)")
        print("measured: kindling import of a 64 MiB line peaked at \(kib) KiB resident (1 run)")
        #expect(kib < 48 * 1024, "the line was read into memory: \(kib) KiB")
    }

    @Test func badTimesAndEscapesInSlotNamesAreRefusedAndTheDaemonLives() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let cases: [(Data, String)] = [
            (entry("old", at: "-0001-01-01T00:00:00.000+00:00", date: "2026-11-20"), "outside 1970 to 9999"),
            (entry("late", at: "9999-12-31T23:59:59.000-14:00", date: "9999-12-31"), "outside 1970 to 9999"),
            (
                Data(
                    #"{"type":"answer","at":"2026-11-20T10:00:00.000+00:00","local_date":"2026-11-20","text":"x","slot":"\u001b]52;c;aGk=\u0007"}"#
                        .utf8) + Data("\n".utf8), "slot name"
            ),
        ]
        for (index, (line, says)) in cases.enumerated() {
            let path = sandbox.root + "/bad-\(index).jsonl"
            try (try header(sandbox) + line).write(to: URL(fileURLWithPath: path))
            let refused = try sandbox.kindling("import", path)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains(says), "\(refused)")
        }
        let journal = try sandbox.kindling("journal")
        #expect(journal.status == 0, "\(journal)")
        #expect(daemon.isRunning)
    }

    @Test func aBadLineFarIntoALargeFileKeepsWhatWholeTransactionsSaved() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // 10,000 entries make one transaction; 500 more wait for the next when line 10,502 is refused.
        var file = try header(sandbox)
        for index in 0..<10_500 {
            let at =
                String(format: "2026-11-%02d", 1 + index / 1000)
                + "T10:\(String(format: "%02d:%02d", index / 60 % 60, index % 60)).000+00:00"
            file += entry("kind word \(index)", at: at, date: String(at.prefix(10)))
        }
        file += Data("not an entry\n".utf8)
        let path = sandbox.root + "/large-bad.jsonl"
        try file.write(to: URL(fileURLWithPath: path))
        let refused = try sandbox.kindling("import", path)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("line 10502 of \(path) is not an exported entry"), "\(refused.stderr)")
        // What the message counts is exactly what the journal holds: the first transaction (the
        // request that reached 10,000 entries closes it), nothing of the one under way.
        let counted = try #require(
            refused.stderr.components(separatedBy: "stopped after importing ").dropFirst().first?.split(separator: " ").first
                .flatMap { Int($0) }, "\(refused.stderr)")
        #expect((10_000..<10_500).contains(counted), "\(counted)")
        let exported = sandbox.root + "/after.jsonl"
        #expect(try sandbox.kindling("export", "--output", exported).status == 0)
        let lines = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + counted, "\(lines.count - 1) entries in the journal, \(counted) counted")

        // The same file without its bad line: the first 10,000 are skipped, the rest brought in.
        try file.dropLast("not an entry\n".utf8.count).write(to: URL(fileURLWithPath: path))
        let again = try sandbox.kindling("import", path)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("Imported \(10_500 - counted) entries; skipped \(counted)"), "\(again.stdout)")
    }
}
