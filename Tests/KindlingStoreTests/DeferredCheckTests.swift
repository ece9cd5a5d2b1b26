import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// The daemon opens its journal with the whole-file check deferred (so READY=1 does not wait for
/// it) and runs it before anything writes. These hold the store's side of that promise.
@Suite("Opening with the integrity check deferred")
struct DeferredCheckTests {
    /// A journal with two hundred notes, closed: current schema, WAL mode.
    private func journal(in scratch: ScratchFolder) throws -> String {
        let path = scratch.path("journal.sqlite")
        let db = try AppDatabase.open(path: path)
        for day in 1...200 {
            _ = try db.saveNote(
                text: String(repeating: "kindness \(day) ", count: 20), at: at(Double(day) * 86_400),
                localDate: "2025-11-21")
        }
        try db.close()
        return path
    }

    @Test func aSoundJournalAcceptsWritesOnlyOnceTheCheckHasRun() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: try journal(in: scratch), deferringCheck: true)
        #expect(db.integrityCheckPending)
        #expect {
            _ = try db.saveNote(text: "too early", at: t0, localDate: "2025-11-21")
        } throws: { error in
            guard case .storage = error as? StoreError else { return false }
            return true
        }
        try db.checkIntegrity()
        #expect(!db.integrityCheckPending)
        _ = try db.saveNote(text: "after the check", at: t0, localDate: "2025-11-21")
        try db.close()
    }

    @Test func damageInTheDataPagesIsFoundByTheDeferredCheckAndNothingIsWritten() throws {
        let scratch = try ScratchFolder()
        let path = try journal(in: scratch)
        // The last two pages hold notes: the header, the schema and the migration record stay
        // readable, so only the whole-file check can see the damage.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(damaged.count > 16_384)
        for index in (damaged.count - 8192)..<damaged.count {
            damaged[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7)
        }
        try damaged.write(to: URL(fileURLWithPath: path))

        let db = try AppDatabase.open(path: path, deferringCheck: true)
        #expect(db.integrityCheckPending)
        #expect {
            try db.checkIntegrity()
        } throws: { error in
            guard case .corrupt = error as? StoreError else { return false }
            return true
        }
        #expect(db.integrityCheckPending, "a failed check must keep refusing writes")
        #expect(throws: StoreError.self) { _ = try db.saveNote(text: "into damage", at: t0, localDate: "2025-11-21") }
        try db.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
    }

    @Test func aJournalThatOpeningWouldChangeIsCheckedFirst() throws {
        let scratch = try ScratchFolder()
        let path = try journal(in: scratch)
        // Out of WAL mode (as a copied backup is): opening switches it back, which writes.
        let queue = try DatabaseQueue(path: path)
        _ = try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        try queue.close()

        let db = try AppDatabase.open(path: path, deferringCheck: true)
        #expect(!db.integrityCheckPending)
        _ = try db.saveNote(text: "at once", at: t0, localDate: "2025-11-21")
        try db.close()
    }
}
