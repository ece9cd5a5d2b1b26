import Foundation
import Testing

@testable import KindlingStore

/// What a save costs in pages: each page a transaction changes is one WAL frame, written and
/// fsync'd (and, in an encrypted journal, encrypted and signed). v6-leaner-indexes keeps rows
/// that name no delivery or no entry out of those indexes.
@Suite("Pages a save writes")
struct PagesWrittenTests {
    /// The WAL frames one `save` adds, after a first save of the same kind has made the rows every
    /// save touches (the sequence row, the first leaf of each table and index).
    /// `prepare`, when given, runs before each save and is not counted.
    private func framesWritten(
        by save: (AppDatabase, _ prepared: Int64) throws -> Void,
        after prepare: (AppDatabase, _ round: Int) throws -> Int64 = { _, _ in 0 }
    ) throws -> Int {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let journal = try AppDatabase.open(path: path)
        try save(journal, try prepare(journal, 0))
        let pageSize = try journal.dbWriter.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
        let prepared = try prepare(journal, 1)
        let before = try walSize(path)
        try save(journal, prepared)
        let after = try walSize(path)
        // A frame is a 24-byte header and one page; the WAL only grows while nothing checkpoints it.
        #expect((after - before) % (pageSize + 24) == 0, "\(before) → \(after)")
        return (after - before) / (pageSize + 24)
    }

    private func walSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
    }

    /// A note: its entry id, its row, its two day and time indexes, its event row and the event's
    /// time and entry indexes, and the sequence row. Eight; nine while the event's delivery index
    /// kept every event.
    @Test func aSavedNoteWritesEightPages() throws {
        let frames = try framesWritten { journal, _ in
            _ = try journal.saveNoteRecording(text: "held the door", at: Date(), localDate: "2026-12-06")
        }
        #expect(frames == 8)
    }

    /// An answer to a fired prompt: its entry id, its row and its three indexes (day, delivery,
    /// answered-at), its event row and that event's three indexes, the sequence row, and the
    /// delivery's row and status index. Twelve; fourteen while the answer wrote the delivery's
    /// every column, which also rewrote its unchanged slot-and-time and day index entries.
    @Test func anAnswerToAFiredPromptWritesTwelvePages() throws {
        let frames = try framesWritten(
            by: { journal, delivery in
                _ = try journal.answerPrompt(
                    text: "thanked the driver", mood: nil, energy: nil, channel: .cli, deliveryID: delivery, at: Date(),
                    localDate: "2026-12-06")
            },
            after: { journal, round in
                let at = Date(timeIntervalSince1970: 1_796_000_000 + Double(round) * 86_400)
                let fired = try journal.recordDelivery(
                    slot: "nudge", scheduledAt: at, localDate: "2026-12-0\(6 + round)", promptText: "A small act today?",
                    promptKey: "nudge.1", firedAt: at, expiresAt: at.addingTimeInterval(3_600))
                return try #require(fired.delivery.id)
            })
        #expect(frames == 12)
    }
}
