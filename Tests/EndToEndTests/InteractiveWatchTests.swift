import Foundation
import Testing

/// `kindling watch` at a real terminal (a pseudo-terminal from util-linux's `script`):
/// prompts appear as they fire, and a typed line answers the one shown last.
@Suite(.serialized) struct InteractiveWatchTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func aPersonAnswersAndSkipsWhileWatching() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let first = try sandbox.kindling("fire", "intention")
        let second = try sandbox.kindling("fire", "nudge")
        #expect(first.status == 0 && second.status == 0)
        let firstID = try #require(first.stdout.split(separator: "]").first.map { $0.dropFirst() }.flatMap { Int($0) })
        let secondID = try #require(second.stdout.split(separator: "]").first.map { $0.dropFirst() }.flatMap { Int($0) })

        // The nudge came last: /skip lets it go; the next line answers the intention.
        // A third prompt fired while watching shows up in the stream.
        let typing = """
            sleep 1; printf '/skip\\n'; sleep 0.6; printf 'Be patient with my brother\\n'; sleep 0.6
            \(binDirectory)/kindling fire reflection >/dev/null; sleep 1
            """
        let session = try run(
            "/bin/sh",
            ["-c", "(\(typing)) | timeout 6 script -q -c '\(binDirectory)/kindling watch' /dev/null; true"],
            environment: sandbox.environment)
        #expect(session.stdout.contains("[\(firstID)] intention:"), "\(session)")
        #expect(session.stdout.contains("type your answer and press Enter"))
        #expect(session.stdout.contains("[\(secondID)] skipped"))
        #expect(session.stdout.contains("Saved as entry"))
        #expect(session.stdout.contains("] reflection:"), "a prompt fired while watching was not shown: \(session.stdout)")

        let pending = try sandbox.kindling("pending", "--json")
        #expect(!pending.stdout.contains("\"id\" : \(firstID),"), "the typed answer did not answer the intention")
        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.stdout.contains("Be patient with my brother"))
    }
}
