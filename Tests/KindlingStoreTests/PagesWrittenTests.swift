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
    private func framesWritten(by save: (AppDatabase) throws -> Void) throws -> Int {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let journal = try AppDatabase.open(path: path)
        try save(journal)
        let pageSize = try journal.dbWriter.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
        let before = try walSize(path)
        try save(journal)
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
        let frames = try framesWritten { journal in
            _ = try journal.saveNoteRecording(text: "held the door", at: Date(), localDate: "2026-12-06")
        }
        #expect(frames == 8)
    }
}
