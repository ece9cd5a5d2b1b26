import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// ``AppDatabase/readingTogether(_:)``: the reads of one thread share the writer connection,
/// and see every write (their own and another connection's) as soon as it is committed; other
/// threads wait for the connection.
@Suite struct ReadTogetherTests {
    @Test func readsShareTheWriterConnectionAndSeeTheirOwnWrites() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        let connection = { (db: Database) in ObjectIdentifier(db) }
        let writer = try db.write(connection)
        let outcome: (connections: [ObjectIdentifier?], before: Set<String>, after: Set<String>) = db.readingTogether {
            let first = try? db.read(connection)
            let before = (try? db.hiddenPromptKeys()) ?? ["unreadable"]
            // Nested: still the same connection.
            let nested = db.readingTogether { try? db.read(connection) }
            let written = try? db.write { db in
                _ = try db.execute(sql: "INSERT INTO hidden_prompts (key, hidden_at) VALUES ('kindness-1', 0)")
                return ObjectIdentifier(db)
            }
            let afterWrite = try? db.read(connection)
            let after = (try? db.hiddenPromptKeys()) ?? ["unreadable"]
            return ([first, nested, written, afterWrite], before, after)
        }
        #expect(outcome.connections == [writer, writer, writer, writer])
        #expect(outcome.before.isEmpty)
        #expect(outcome.after == ["kindness-1"], "a read after a write in the group must see it")
        try db.close()
    }

    /// The group holds the writer connection: a read from another thread waits until the group
    /// has ended, then sees what the group wrote.
    @Test func anotherThreadsReadWaitsForTheGroupAndSeesItsWrites() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var groupEnded = false
            var seen: (keys: Set<String>?, afterTheGroup: Bool)?
        }
        let box = Box()
        let otherDone = DispatchSemaphore(value: 0)
        let waited: Bool = db.readingTogether {
            Thread.detachNewThread {
                let keys = try? db.hiddenPromptKeys()
                box.lock.withLock { box.seen = (keys, box.groupEnded) }
                otherDone.signal()
            }
            _ = try? db.setPromptHidden("kindness-1", hidden: true, at: t0)
            // Time enough for the other thread's read, had it not had to wait.
            let waited = otherDone.wait(timeout: .now() + 0.3) == .timedOut
            box.lock.withLock { box.groupEnded = true }
            return waited
        }
        otherDone.wait()
        #expect(waited, "another thread read while the group held the connection")
        let seen = box.lock.withLock { box.seen }
        #expect(seen?.keys == ["kindness-1"])
        #expect(seen?.afterTheGroup == true)
        try db.close()
    }

    @Test func aWriteFromAnotherConnectionIsSeenByTheNextRead() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let db = try AppDatabase.open(path: path)
        let outside = try DatabaseQueue(path: path)
        let counts: [Int] = db.readingTogether {
            let first = (try? db.hiddenPromptKeys().count) ?? -1
            try? outside.write { try $0.execute(sql: "INSERT INTO hidden_prompts (key, hidden_at) VALUES ('x', 0)") }
            let second = (try? db.hiddenPromptKeys().count) ?? -1
            return [first, second]
        }
        #expect(counts == [0, 1])
        try outside.close()
        try db.close()
    }

    @Test func anInMemoryJournalReadsAndWritesInAGroup() throws {
        let db = AppDatabase.inMemory()
        #expect(db.readingTogether { (try? db.setPromptHidden("k", hidden: true, at: t0)) ?? false })
        #expect(db.readingTogether { try? db.hiddenPromptKeys() } == ["k"])
    }
}

/// Reads go through the writer connection, whose page cache survives its own writes. A pool
/// reader found its cache emptied after every write and read its pages from the file again:
/// for an encrypted journal, each one decrypted and checked (68 pages a `respond`).
@Suite struct WriterCacheTests {
    @Test func aReadRightAfterAWriteFindsItsPagesInTheCache() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        for index in 0..<300 {
            _ = try db.saveNote(text: "a note long enough to fill pages, \(index)", at: t0, localDate: "2026-11-21")
        }
        let count = "SELECT count(*), sum(length(text)) FROM notes"
        _ = try db.read { try Row.fetchOne($0, sql: count) }
        _ = try db.saveNote(text: "one more", at: t0, localDate: "2026-11-21")
        let misses = try db.read { db in
            let before = db.cacheMissesForTesting
            _ = try Row.fetchOne(db, sql: count)
            return db.cacheMissesForTesting - before
        }
        #expect(misses == 0, "\(misses) pages read from the file again after the write")
        try db.close()
    }
}
