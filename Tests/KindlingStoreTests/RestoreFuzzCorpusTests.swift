import Foundation
import GRDB
import Testing

@testable import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// The restore fuzzer's corpus and every input that ever crashed it (Fuzz/corpus/restore,
/// Fuzz/regressions/restore), replayed on every `make test` against the rules of
/// Fuzz/Sources/FuzzRestore/FuzzRestore.swift; keep the two in step. The first byte of an input
/// picks its kind: even, the rest is the file; odd, the rest is SQL run against a real journal.
@Suite struct RestoreFuzzCorpusTests {
    static func inputs(_ kind: String) -> [String] {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz").appendingPathComponent(kind).appendingPathComponent("restore")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs("corpus").count >= 5, "Fuzz/corpus/restore is missing or empty")
    }

    @Test(arguments: inputs("corpus") + inputs("regressions"))
    func holdsTheFuzzerRules(_ input: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input)))
        let scratch = try ScratchFolder()
        let path = scratch.path("input.sqlite")
        guard let mode = bytes.first else { return }
        if mode % 2 == 0 {
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes.dropFirst())))
        } else {
            let journal = try AppDatabase.open(path: scratch.path("template.sqlite"))
            _ = try journal.recordDelivery(
                slot: "intention", scheduledAt: t0, localDate: "2025-11-21", promptText: "Who could use a kind word?",
                promptKey: "k1", firedAt: t0, expiresAt: at(3600))
            _ = try journal.saveNote(text: "held the door", kind: .given, at: t0, localDate: "2025-11-21")
            try journal.backup(to: path)
            try journal.close()
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try? db.execute(sql: String(decoding: bytes.dropFirst(), as: UTF8.self))
                try? db.execute(sql: "PRAGMA writable_schema = OFF")
            }
            try queue.close()
        }
        do {
            try AppDatabase.checkRestorable(path: path)
        } catch {
            let line = error.description
            #expect(
                !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(line.debugDescription)")
            return
        }
        let journal = try AppDatabase.open(path: path)
        defer { try? journal.close() }
        _ = try? journal.pendingDeliveries()
        _ = try? journal.events()
        _ = try? journal.activity(from: "0000-01-01", through: "9999-12-31")
        _ = try? journal.exportBatch(after: .start, limit: 1000)
        let before = try journal.entryCount()
        _ = try journal.saveNote(text: "a new note", kind: nil, at: t0, localDate: "2026-11-21")
        #expect(try journal.entryCount() == before + 1, "a note changed the other entries: \(input)")
    }
}
