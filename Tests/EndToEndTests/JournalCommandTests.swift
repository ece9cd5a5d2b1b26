import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The journal commands on the built binaries, against a real kindlingd.
@Suite(.serialized)
struct JournalCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func noteJournalEditDeleteAndStats() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }

        let given = try sandbox.kindling("note", "held", "the", "door", "--given")
        #expect(given.status == 0, "\(given)")
        #expect(given.stdout.hasPrefix("Saved as entry "), "\(given)")
        let fromStdin = try run(
            binDirectory + "/kindling", ["note", "--received", "--json"], environment: sandbox.environment,
            stdin: "a neighbour brought soup\n")
        #expect(fromStdin.status == 0, "\(fromStdin)")
        let received = try json(fromStdin.stdout)
        let receivedID = try #require(received["id"] as? Int)
        #expect(received["kind"] as? String == "received")
        #expect(received["text"] as? String == "a neighbour brought soup")

        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.status == 0, "\(journal)")
        let days = try #require(try json(journal.stdout)["days"] as? [[String: Any]])
        #expect(days.count == 1)
        let notes = try #require(days.first?["notes"] as? [[String: Any]])
        #expect(notes.map { $0["text"] as? String } == ["held the door", "a neighbour brought soup"])
        let doorID = try #require(notes.first?["id"] as? Int)
        let plain = try sandbox.kindling("journal", "--since", "today")
        #expect(plain.stdout.contains("[\(doorID)] Given: held the door"), "\(plain)")
        #expect(plain.stdout.contains("Received: a neighbour brought soup"), "\(plain)")

        let edited = try sandbox.kindling("edit", String(doorID), "held the door for a neighbour")
        #expect(edited.status == 0, "\(edited)")
        #expect(edited.stdout == "Saved entry \(doorID).\n")
        // No TEXT: the editor runs on a private file holding the current text.
        var environment = sandbox.environment
        environment["EDITOR"] = "sed -i s/neighbour/friend/"
        let viaEditor = try run(binDirectory + "/kindling", ["edit", String(doorID), "--json"], environment: environment)
        #expect(viaEditor.status == 0, "\(viaEditor)")
        #expect(try json(viaEditor.stdout)["text"] as? String == "held the door for a friend")
        #expect(try json(viaEditor.stdout)["edited_at"] is String)
        environment["EDITOR"] = "true"
        let unchanged = try run(binDirectory + "/kindling", ["edit", String(doorID)], environment: environment)
        #expect(unchanged.status == 0, "\(unchanged)")
        #expect(unchanged.stdout.contains("unchanged; nothing was saved"), "\(unchanged)")

        // Without a terminal and without --yes: refused with exit 2, nothing changed.
        let refused = try sandbox.kindling("delete", String(receivedID))
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--yes"), "\(refused)")
        #expect(try sandbox.kindling("journal", "--search", "soup").stdout.contains("soup"))
        let deleted = try sandbox.kindling("delete", String(receivedID), "--yes")
        #expect(deleted.status == 0, "\(deleted)")
        #expect(deleted.stdout.hasPrefix("Deleted entry \(receivedID) from your journal"), "\(deleted)")
        #expect(try sandbox.kindling("journal", "--search", "soup").stdout.contains("Nothing in your journal matches"))
        #expect(try sandbox.kindling("delete", String(receivedID), "--yes").status == 1)

        let stats = try sandbox.kindling("stats", "--json", "--weeks", "2")
        #expect(stats.status == 0, "\(stats)")
        let object = try json(stats.stdout)
        let streak = try #require(object["streak"] as? [String: Any])
        #expect(streak["current"] as? Int == 1)
        #expect(streak["grace_days_per_week"] as? Int == 2)
        // Everything was written today: this week only, no empty week before it.
        #expect((object["weeks"] as? [Any])?.count == 1)
        let text = try sandbox.kindling("stats")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("Streaks forgive two quiet days a week and step over paused days."), "\(text)")
        #expect(!text.stdout.lowercased().contains("missed") && !text.stdout.lowercased().contains("lost"))
        #expect(!text.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let plainCharacters = text.stdout.allSatisfy(\.isASCII)
        #expect(plainCharacters, "plain characters when stdout is not a terminal: \(text.stdout)")
    }

    @Test func aNoteThatCannotBeSavedIsGivenBack() throws {
        let sandbox = try Sandbox()
        // No daemon: exit 3, and the words come back.
        let unreachable = try sandbox.kindling("note", "text Sam tonight")
        #expect(unreachable.status == 3, "\(unreachable)")
        #expect(unreachable.stderr.contains("NOT saved"), "\(unreachable)")
        #expect(unreachable.stderr.contains("text Sam tonight"), "\(unreachable)")

        // A damaged journal: the daemon runs degraded and answers `storage`; exit 1, words back.
        try FileManager.default.createDirectory(
            atPath: sandbox.root + "/data/kindling", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: sandbox.journal))
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let degraded = try sandbox.kindling("note", "text Sam tonight")
        #expect(degraded.status == 1, "\(degraded)")
        #expect(degraded.stderr.contains("Your note was NOT saved"), "\(degraded)")
        #expect(degraded.stderr.contains("text Sam tonight"), "\(degraded)")
    }
}
