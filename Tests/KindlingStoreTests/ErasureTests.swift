import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// Erased words leave every file: the journal and its WAL, the reflections that quoted them, and
/// snapshots. Each test looks for the old bytes in the files themselves.
@Suite("Erasing edited and deleted words")
struct ErasureTests {
    static let day = "2025-11-21"
    static let intention = "phone Aunt Marguerite about the garden"
    static let reflectionPrompt = "What kindness did you give or receive today?"

    /// A morning intention answered, then an evening reflection that quotes it, as the daemon writes them.
    private func intentionAndReflection(_ db: AppDatabase) throws -> (intention: Int64, reflection: Int64) {
        let morning = try db.recordDelivery(
            slot: "intention", scheduledAt: t0, localDate: Self.day, promptText: "Whom could you encourage today?",
            promptKey: "intention.k", firedAt: t0, expiresAt: at(3600)
        ).delivery
        let intention = try db.saveAnswer(
            text: Self.intention, channel: .cli, deliveryID: morning.id, at: at(60), localDate: Self.day)
        let evening = try db.recordDelivery(
            slot: "reflection", scheduledAt: at(36_000), localDate: Self.day,
            promptText: "This morning you meant to: “\(Self.intention)”. " + Self.reflectionPrompt,
            promptKey: "reflection.k", firedAt: at(36_000), expiresAt: at(50_000)
        ).delivery
        let reflection = try db.saveAnswer(
            text: "she laughed a lot", channel: .cli, deliveryID: evening.id, at: at(36_100), localDate: Self.day)
        return (intention, reflection)
    }

    private func promptTexts(_ db: AppDatabase) throws -> [String] {
        try db.dbWriter.read { db in
            try String.fetchAll(db, sql: "SELECT prompt_text FROM deliveries WHERE slot = 'reflection'")
                + String.fetchAll(db, sql: "SELECT prompt_text FROM answers WHERE slot = 'reflection'")
        }
    }

    /// Files in `folder` (recursively) whose bytes contain `text`.
    private func filesHolding(_ text: String, in folder: String) throws -> [String] {
        let needle = Data(text.utf8)
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return try files.filter { name in
            let path = folder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                return false
            }
            return try contents(path).range(of: needle) != nil
        }
    }

    @Test func editingAnIntentionRequotesTheEveningReflection() throws {
        let db = AppDatabase.inMemory()
        let ids = try intentionAndReflection(db)
        try db.editEntry(id: ids.intention, text: "write to my brother", at: at(40_000))
        // The reflection was written in an earlier version's words; the new quote is in today's.
        #expect(
            try promptTexts(db)
                == Array(
                    repeating: "This morning you set an intention: “write to my brother”. " + Self.reflectionPrompt,
                    count: 2))
    }

    @Test func deletingAnIntentionDropsTheQuote() throws {
        let db = AppDatabase.inMemory()
        let ids = try intentionAndReflection(db)
        try db.deleteEntry(id: ids.intention)
        #expect(try promptTexts(db) == [Self.reflectionPrompt, Self.reflectionPrompt])
    }

    @Test func aQuoteOfAnEarlierVersionStillGoes() throws {
        // Written before edits rewrote reflections: the quote no longer matches the intention.
        let db = AppDatabase.inMemory()
        let ids = try intentionAndReflection(db)
        try db.dbWriter.write { db in
            try db.execute(sql: "UPDATE answers SET text = 'a later wording' WHERE id = ?", arguments: [ids.intention])
        }
        try db.deleteEntry(id: ids.intention)
        #expect(try promptTexts(db) == [Self.reflectionPrompt, Self.reflectionPrompt])
    }

    @Test func aReflectionQuotingAnotherIntentionOfTheDayIsLeftAlone() throws {
        let db = AppDatabase.inMemory()
        let ids = try intentionAndReflection(db)
        // A second intention that day, at 13:00, and the reflection at 22:00 that quotes it.
        let second = try db.saveAnswer(
            text: "thank the night nurse", channel: .cli, deliveryID: nil, at: at(18_000), localDate: Self.day)
        _ = try db.dbWriter.write { db in
            try db.execute(sql: "UPDATE answers SET slot = 'intention' WHERE id = ?", arguments: [second])
        }
        let other = "This morning you meant to: “thank the night nurse”. " + Self.reflectionPrompt
        _ = try db.recordDelivery(
            slot: "reflection", scheduledAt: at(40_000), localDate: Self.day, promptText: other, promptKey: "reflection.k",
            firedAt: at(40_000), expiresAt: at(50_000))
        try db.deleteEntry(id: ids.intention)
        #expect(try promptTexts(db).sorted() == [other, Self.reflectionPrompt, Self.reflectionPrompt].sorted())
    }

    @Test func deletedAndReplacedWordsLeaveTheJournalFileAndItsWAL() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        defer { try? db.close() }
        let ids = try intentionAndReflection(db)
        let note = try db.saveNote(text: "left soup on the porch for Ilse", at: at(500), localDate: Self.day)
        #expect(try filesHolding("Aunt Marguerite", in: scratch.url.path).count >= 1, "the test can see the words")

        try db.deleteEntry(id: note)
        try db.editEntry(id: ids.intention, text: "write to my brother", at: at(40_000))
        #expect(db.checkpointAndTruncate())

        #expect(try filesHolding("soup on the porch", in: scratch.url.path) == [])
        #expect(try filesHolding("Aunt Marguerite", in: scratch.url.path) == [])
        #expect(try filesHolding("write to my brother", in: scratch.url.path) == ["journal.sqlite"])
    }

    @Test func aSnapshotLosesTheSameWordsAndKeepsTheRest() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        defer { try? db.close() }
        let ids = try intentionAndReflection(db)
        let note = try db.saveNote(text: "left soup on the porch for Ilse", at: at(500), localDate: Self.day)
        let kept = try db.saveNote(text: "thanked the bus driver", at: at(600), localDate: Self.day)
        try FileManager.default.createDirectory(atPath: scratch.path("snapshots"), withIntermediateDirectories: true)
        let snapshot = scratch.path("snapshots", "journal-2025-11-21.sqlite")
        try db.backup(to: snapshot)

        let deleted = try db.deleteEntry(id: note)
        let edited = try db.editEntry(id: ids.intention, text: "write to my brother", at: at(40_000))
        #expect(try AppDatabase.scrubSnapshot(at: snapshot, applying: EntryChange(entry: deleted, replacement: nil)))
        #expect(
            try AppDatabase.scrubSnapshot(
                at: snapshot, applying: EntryChange(entry: edited, replacement: "write to my brother")))

        let folder = scratch.path("snapshots")
        #expect(try filesHolding("soup on the porch", in: folder) == [])
        #expect(try filesHolding("Aunt Marguerite", in: folder) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["journal-2025-11-21.sqlite"])
        let copy = try AppDatabase.open(path: snapshot)
        defer { try? copy.close() }
        #expect(try copy.entry(id: kept) != nil)
        #expect(try copy.entry(id: note) == nil)
        #expect(try promptTexts(copy).allSatisfy { $0.contains("write to my brother") })
    }

    @Test func anotherJournalsEntryWithTheSameIDIsLeftAlone() throws {
        let scratch = try ScratchFolder()
        let other = try AppDatabase.open(path: scratch.path("other.sqlite"))
        let theirs = try other.saveNote(text: "a different day altogether", at: at(9_999), localDate: Self.day)
        try other.close()
        let db = AppDatabase.inMemory()
        let mine = try db.saveNote(text: "mine", at: at(1), localDate: Self.day)
        #expect(mine == theirs)
        let deleted = try db.deleteEntry(id: mine)
        #expect(
            try AppDatabase.scrubSnapshot(
                at: scratch.path("other.sqlite"), applying: EntryChange(entry: deleted, replacement: nil))
                == false)
        #expect(try filesHolding("a different day altogether", in: scratch.url.path) == ["other.sqlite"])
    }
}

/// What a person wrote never reaches an error message, even when the row around it is damaged.
@Suite("Errors keep the person's words out")
struct ErrorPrivacyTests {
    @Test func aRowThatCannotBeDecodedIsReportedWithoutItsText() throws {
        let db = AppDatabase.inMemory()
        let id = try db.saveNote(text: "the words of a hard day", at: t0, localDate: "2025-11-21")
        // A value the schema would refuse, slipped past its checks: the kind can no longer be read.
        try db.dbWriter.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE notes SET kind = 'neither' WHERE id = ?", arguments: [id])
        }
        do {
            _ = try db.entry(id: id)
            Issue.record("a damaged row was read without an error")
        } catch {
            #expect(!error.description.contains("hard day"), "\(error.description)")
            #expect(error.description.contains("cannot read"), "\(error.description)")
        }
    }
}
