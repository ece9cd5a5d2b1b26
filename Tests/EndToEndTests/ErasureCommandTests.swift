import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the person deletes or replaces is gone from every file Kindling keeps, and from what
/// `journal` and `export` show; what they saved themselves with `backup --output` is theirs.
@Suite(.serialized)
struct ErasureCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    static let intention = "ring Oksana about her hip"
    static let note = "carried groceries for Mr Lindqvist"
    static let reflection = "she sounded lighter afterwards"
    static let newIntention = "send a card to my cousin"

    /// Files under `folder` (recursively) whose bytes contain `text`.
    static func filesHolding(_ text: String, in folder: String) throws -> [String] {
        let needle = Data(text.utf8)
        let names = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return try names.filter { name in
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
            return try Data(contentsOf: URL(fileURLWithPath: path)).range(of: needle) != nil
        }
    }

    private func id(_ outcome: Outcome) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        return "\(try #require(object["id"] as? Int))"
    }

    /// An intention, the reflection that quotes it, and a note; a copy the person keeps, a
    /// snapshot and a before-restore snapshot that all hold them.
    private func writeAndCopy(_ sandbox: Sandbox) throws -> (intention: String, note: String) {
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        let intention = try id(try sandbox.kindling("respond", Self.intention, "--json"))
        let note = try id(try sandbox.kindling("note", Self.note, "--json"))
        #expect(try sandbox.kindling("fire", "reflection").status == 0)
        let pending = try sandbox.kindling("pending", "--json")
        #expect(pending.stdout.contains(Self.intention), "the reflection quotes the intention: \(pending)")
        #expect(try sandbox.kindling("respond", Self.reflection).status == 0)

        #expect(try sandbox.kindling("backup", "--output", sandbox.root + "/mine.sqlite").status == 0)
        #expect(try sandbox.kindling("backup").status == 0)
        #expect(try sandbox.kindling("restore", sandbox.root + "/mine.sqlite", "--yes").status == 0)
        let data = sandbox.root + "/data/kindling"
        let copies = try FileManager.default.contentsOfDirectory(atPath: data + "/snapshots")
        #expect(copies.contains { $0.hasPrefix("journal-before-restore-") }, "\(copies)")
        #expect(try Self.filesHolding(Self.note, in: data).count >= 3, "the words are where the test looks")
        return (intention, note)
    }

    @Test
    func deletedAndEditedWordsAreFoundNowhere() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let ids = try writeAndCopy(sandbox)

        let deleted = try sandbox.kindling("delete", ids.note, "--yes")
        #expect(deleted.status == 0, "\(deleted)")
        #expect(deleted.stdout.contains("backup --output"), "says what it leaves alone: \(deleted)")
        let edited = try sandbox.kindling("edit", ids.intention, Self.newIntention)
        #expect(edited.status == 0, "\(edited)")

        let data = sandbox.root + "/data/kindling"
        for gone in [Self.note, Self.intention] {
            #expect(try Self.filesHolding(gone, in: data) == [], "\(gone)")
            for command in [
                ["journal", "--json"], ["journal"], ["export", "--format", "json"], ["export", "--format", "markdown"],
            ] {
                let shown = try run(binDirectory + "/kindling", command, environment: sandbox.environment)
                #expect(shown.status == 0, "\(shown)")
                #expect(!shown.stdout.contains(gone), "\(command): \(shown.stdout)")
            }
        }
        // The reflection now quotes the new words; everything else is still there.
        let journal = try sandbox.kindling("journal", "--json").stdout
        #expect(journal.contains(Self.newIntention) && journal.contains(Self.reflection), "\(journal)")
        // The copy the person made is theirs, untouched.
        #expect(try Self.filesHolding(Self.note, in: sandbox.root).contains("mine.sqlite"))
    }
}

extension ErasureCommandTests {
    @Test
    func eraseAllLeavesAnEmptyJournalAndNothingOfTheOldOne() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        _ = try writeAndCopy(sandbox)
        let data = sandbox.root + "/data/kindling"

        let withoutAll = try sandbox.kindling("erase", "--yes")
        #expect(withoutAll.status == 2 && withoutAll.stderr.contains("--all"), "\(withoutAll)")
        let unconfirmed = try sandbox.kindling("erase", "--all")
        #expect(unconfirmed.status == 2 && unconfirmed.stderr.contains("--all --yes"), "\(unconfirmed)")
        #expect(try Self.filesHolding(Self.note, in: data).count >= 3, "nothing was erased without --yes")

        let erased = try sandbox.kindling("erase", "--all", "--yes")
        #expect(erased.status == 0, "\(erased)")
        #expect(erased.stdout.contains("backup --output"), "says what it leaves alone: \(erased)")
        for gone in [Self.note, Self.intention, Self.reflection] {
            #expect(try Self.filesHolding(gone, in: data) == [], "\(gone)")
        }
        // The daemon goes on with an empty journal that takes new words.
        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.status == 0 && !journal.stdout.contains(Self.reflection), "\(journal)")
        #expect(try sandbox.kindling("note", "a fresh start").status == 0)
        #expect(try sandbox.kindling("journal").stdout.contains("a fresh start"))
        #expect(try Self.filesHolding(Self.note, in: sandbox.root) == ["mine.sqlite"], "the person's own copy stays")
    }
}

extension ErasureCommandTests {
    /// A copy Kindling cannot clean is named, never glossed over.
    @Test
    func deleteNamesACopyItCouldNotClean() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let note = try id(try sandbox.kindling("note", Self.note, "--json"))
        let broken = sandbox.root + "/data/kindling/snapshots/journal-2020-01-01.sqlite"
        #expect(FileManager.default.createFile(atPath: broken, contents: Data(repeating: 0x4B, count: 8192)))
        let deleted = try sandbox.kindling("delete", note, "--yes")
        #expect(deleted.status == 0, "\(deleted)")
        #expect(deleted.stdout.contains("could not be cleaned") && deleted.stdout.contains(broken), "\(deleted)")
        #expect(!deleted.stdout.contains("and Kindling's snapshots"), "\(deleted)")
    }
}

extension ErasureCommandTests {
    /// Another program's database where the journal should be is never Kindling's to erase.
    @Test
    func eraseLeavesAFileThatIsNotKindlingsAlone() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: sandbox.root + "/data/kindling", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let made = try run(
            "/usr/bin/python3",
            [
                "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table recipes(x)'); c.commit()",
                sandbox.journal,
            ],
            environment: sandbox.environment)
        try #require(made.status == 0, "\(made)")
        chmod(sandbox.journal, 0o600)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let erased = try sandbox.kindling("erase", "--all", "--yes")
        #expect(erased.status == 1 && erased.stderr.contains("nothing was erased"), "\(erased)")
        #expect(FileManager.default.fileExists(atPath: sandbox.journal))
    }
}
