import Foundation
import FuzzDriver
import GRDB
import KindlingCore
import KindlingStore

/// What must hold for any file `restore` is given. The first byte picks the kind of input: even,
/// the rest is the file itself; odd, the rest is SQL run (with writable_schema on) against a real
/// journal with a few rows, which mutates its schema and values the way a person with the sqlite3
/// shell could. A broken rule is a crash (`fatalError`), which libFuzzer saves as a reproducer.
///
/// Tests/KindlingStoreTests/RestoreFuzzCorpusTests.swift replays the corpus and every saved crash
/// through `FuzzRestore`'s rules in `make test`; keep the two in step.
@main
enum FuzzRestore {
    static func main() {
        // Made before the first input: LeakSanitizer takes a lazy global's first allocation, made
        // during an input, for a leak of that input.
        folder = makeFolder()
        template = makeTemplate()
        atexit { try? FileManager.default.removeItem(atPath: FuzzRestore.folder) }
        FuzzDriver.run(check)
    }

    nonisolated(unsafe) static var folder = ""
    /// Bytes, not Data: Data keeps its buffer behind an enum whose tag bits hide the pointer from
    /// LeakSanitizer, which then reports the template as leaked.
    nonisolated(unsafe) static var template: [UInt8] = []

    static func makeFolder() -> String {
        // Memory-backed when possible: each input is written, synced and opened several times.
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()
        let path = base + "kindling-fuzz-restore-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o700)
        return path
    }

    /// A journal Kindling made, with a pending delivery and a note, as one self-contained file.
    static func makeTemplate() -> [UInt8] {
        let path = folder + "/template.sqlite"
        do {
            let journal = try AppDatabase.open(path: path)
            let now = Date(timeIntervalSince1970: 1_763_700_000)
            _ = try journal.recordDelivery(
                slot: "intention", scheduledAt: now, localDate: "2025-11-21", promptText: "Who could use a kind word?",
                promptKey: "k1", firedAt: now, expiresAt: now.addingTimeInterval(3600))
            _ = try journal.saveNote(text: "held the door", kind: .given, at: now, localDate: "2025-11-21")
            let copy = folder + "/template-copy.sqlite"
            try journal.backup(to: copy)
            try journal.close()
            return try [UInt8](Data(contentsOf: URL(fileURLWithPath: copy)))
        } catch {
            fatalError("cannot make the template journal: \(error)")
        }
    }

    static func check(_ bytes: [UInt8]) {
        let path = folder + "/input.sqlite"
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] { unlink(file) }
        guard let mode = bytes.first else { return }
        let rest = Data(bytes.dropFirst())
        if mode % 2 == 0 {
            FileManager.default.createFile(atPath: path, contents: rest)
        } else {
            FileManager.default.createFile(atPath: path, contents: Data(template))
            mutate(path, sql: String(decoding: rest, as: UTF8.self))
        }
        chmod(path, 0o600)
        checkFile(path)
    }

    /// Runs `sql` against the file as the sqlite3 shell would, errors ignored.
    static func mutate(_ path: String, sql: String) {
        guard let queue = try? DatabaseQueue(path: path) else { return }
        _ = try? queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try? db.execute(sql: sql)
            try? db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try? queue.close()
    }

    /// The rules for a file at `path`: refused in one plain line, or opened and read whole without
    /// a crash, and a note saved into it leaves every other entry in place.
    static func checkFile(_ path: String) {
        do {
            try AppDatabase.checkRestorable(path: path)
        } catch {
            let line = error.description
            guard !line.isEmpty, !line.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            else { fatalError("a refusal that is not one plain line: \(line.debugDescription)") }
            return
        }
        let journal: AppDatabase
        do {
            journal = try AppDatabase.open(path: path)
        } catch {
            return  // checked a moment ago, but a file can still fail to open (a lock, say): refused, not a crash
        }
        defer { try? journal.close() }
        // Reads throw on a bad row; they never trap.
        _ = try? journal.pendingDeliveries()
        _ = try? journal.events()
        _ = try? journal.activity(from: "0000-01-01", through: "9999-12-31")
        if let batch = try? journal.exportBatch(after: .start, limit: 1000) {
            for entry in batch {
                let at: Date
                switch entry {
                case .answer(let answer): at = answer.answeredAt
                case .note(let note): at = note.createdAt
                }
                _ = Timestamp.string(at, in: TimeZone(secondsFromGMT: 14 * 3600)!)
            }
        }
        // No trigger, view or changed constraint came in with the file: a note adds one entry.
        guard let before = try? journal.entryCount() else { return }
        guard (try? journal.saveNote(text: "a new note", kind: nil, at: Date(), localDate: "2026-11-21")) != nil else { return }
        guard let after = try? journal.entryCount(), after == before + 1 else {
            fatalError(
                "saving a note into an accepted journal changed \(before) entries into \((try? journal.entryCount()) ?? -1)")
        }
    }
}
