import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// ``AppDatabase/readingTogether(_:)``: the reads of one thread share one pool reader, and see
/// every write (their own and another connection's) as soon as it is committed; other threads
/// and in-memory journals read as before.
@Suite struct ReadTogetherTests {
    @Test func readsShareOneReaderAndSeeTheirOwnWrites() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        #expect(db.currentSharedRead() == nil)
        let outcome: (shared: [Bool], before: Set<String>, after: Set<String>, other: Bool) = db.readingTogether {
            let first = db.currentSharedRead()
            let before = (try? db.hiddenPromptKeys()) ?? ["unreadable"]
            // Nested: still the same reader.
            let nested = db.readingTogether { db.currentSharedRead() }
            _ = try? db.setPromptHidden("kindness-1", hidden: true, at: t0)
            let afterWrite = db.currentSharedRead()
            let after = (try? db.hiddenPromptKeys()) ?? ["unreadable"]
            // Another thread never uses this thread's reader.
            final class Box: @unchecked Sendable { var used = true }
            let other = Box()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                other.used = db.currentSharedRead() != nil
                done.signal()
            }
            done.wait()
            let same = [first != nil, nested.map { $0 === first } ?? false, afterWrite.map { $0 === first } ?? false]
            return (same, before, after, other.used)
        }
        #expect(outcome.shared == [true, true, true])
        #expect(outcome.before.isEmpty)
        #expect(outcome.after == ["kindness-1"], "a read after a write in the group must see it")
        #expect(!outcome.other)
        #expect(db.currentSharedRead() == nil)
        try db.close()
    }

    /// Two threads each inside a group of their own: each keeps its own reader, and one ending
    /// its group leaves the other's in place.
    @Test func twoThreadsEachKeepTheirOwnReader() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        let otherInside = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        let otherDone = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var held: [Bool] = [] }
        let other = Box()
        Thread.detachNewThread {
            db.readingTogether {
                let mine = db.currentSharedRead()
                otherInside.signal()
                firstDone.wait()
                // The first thread's group has ended meanwhile: this one's reader is still there.
                other.held = [mine != nil, db.currentSharedRead().map { $0 === mine } ?? false]
                _ = try? db.hiddenPromptKeys()
            }
            otherDone.signal()
        }
        otherInside.wait()
        let mine: [Bool] = db.readingTogether {
            let first = db.currentSharedRead()
            return [first != nil, (try? db.hiddenPromptKeys()) != nil]
        }
        firstDone.signal()
        otherDone.wait()
        #expect(mine == [true, true])
        #expect(other.held == [true, true])
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

    @Test func anInMemoryJournalReadsAsUsual() throws {
        let db = AppDatabase.inMemory()
        #expect(db.readingTogether { db.currentSharedRead() } == nil)
        #expect(db.readingTogether { (try? db.setPromptHidden("k", hidden: true, at: t0)) ?? false })
    }
}
