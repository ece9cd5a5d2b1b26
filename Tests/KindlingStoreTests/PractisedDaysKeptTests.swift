import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// The practised days are kept across writes (PractisedDays): on real journal files, random runs
/// of the store's named writes never leave the kept days different from what the journal holds,
/// writes that add or remove no day keep them without reading them again, and wholesale changes
/// show at once.
@Suite struct PractisedDaysKeptTests {
    /// Few dates, so that entries share them and a deletion often leaves another on its day.
    static let dates = (1...9).map { String(format: "2026-11-%02d", $0) }
    static let sinces: [String?] = [nil, "2026-11-04", "2026-11-09", "2026-12-01"]

    @Test func randomWritesNeverLeaveTheKeptDaysBehind() throws {
        var random = SeededRandom(seed: 0x6b69_6e64)
        var checked = 0
        for file in 0..<6 {
            let folder = try ScratchFolder()
            let journal = try AppDatabase.open(path: folder.path("journal-\(file).sqlite"))
            defer { try? journal.close() }
            for sequence in 0..<50 {
                for step in 0..<8 {
                    let write = try Self.randomWrite(journal, &random)
                    for since in Self.sinces {
                        let kept = try journal.practisedDays(since: since)
                        let fresh = try Self.freshDays(journal, since: since)
                        #expect(
                            kept == fresh, "file \(file), sequence \(sequence), step \(step): \(write), since \(since ?? "-")")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 6 * 50 * 8 * Self.sinces.count)
    }

    @Test func writesThatTouchNoEntryReadNothingAgain() throws {
        let folder = try ScratchFolder()
        let journal = try AppDatabase.open(path: folder.path("journal.sqlite"))
        defer { try? journal.close() }
        _ = try journal.saveNote(text: "held the door", at: t0, localDate: "2026-11-02")
        let entry = try journal.saveAnswer(
            text: "thanked the driver", channel: .cli, deliveryID: nil, at: at(60), localDate: "2026-11-03")
        #expect(try journal.practisedDays() == ["2026-11-02", "2026-11-03"])
        let reads = journal.practised.computations.load(ordering: .relaxed)

        let delivery = try Self.deliver(journal, day: "2026-11-04", at: at(120))
        try journal.markDelivery(id: delivery, status: .snoozed, at: at(130), snoozedUntil: at(900))
        try journal.recordEvent(.fired, at: at(140))
        try journal.setState("2026-11-30", forKey: "pause-until", at: at(150))
        try journal.recordPauseStarted(at: at(160), until: at(3_600))
        try journal.recordPauseEnded(at: at(170))
        _ = try journal.setPromptHidden("kindness-1", hidden: true, at: at(180))
        _ = try journal.useProgram("kindness", on: "2026-11-04", firstStart: "2026-11-04")
        try journal.editEntry(id: entry, text: "thanked the bus driver", mood: 4, at: at(190))
        _ = try? journal.editEntry(id: 999_999, text: "nobody", at: at(200))
        _ = try? journal.deleteEntry(id: 999_999)
        // A second entry on a day already practised adds nothing either.
        _ = try journal.saveNote(text: "soup for a neighbour", at: at(210), localDate: "2026-11-03")

        #expect(try journal.practisedDays() == ["2026-11-02", "2026-11-03"])
        #expect(try journal.practisedDays(since: "2026-11-03") == ["2026-11-03"])
        #expect(journal.practised.computations.load(ordering: .relaxed) == reads)

        // Entries that add and remove days change the kept list without reading it again.
        let note = try journal.saveNote(text: "a call to an old friend", at: at(220), localDate: "2026-11-05")
        #expect(try journal.practisedDays() == ["2026-11-02", "2026-11-03", "2026-11-05"])
        try journal.deleteEntry(id: entry)
        #expect(try journal.practisedDays() == ["2026-11-02", "2026-11-03", "2026-11-05"])
        try journal.deleteEntryRecording(id: note, at: at(230))
        #expect(try journal.practisedDays() == ["2026-11-02", "2026-11-03"])
        #expect(journal.practised.computations.load(ordering: .relaxed) == reads)
    }

    /// A read that began before a commit which touched the entries (here: nothing kept yet, a
    /// note saved, then the read's older result offered) is not kept: the next asking reads
    /// afresh and sees the note.
    @Test func aReadThatACommitOvertookIsNotKept() throws {
        let scratch = try ScratchFolder()
        let db = try AppDatabase.open(path: scratch.path("journal.sqlite"))
        let (kept, epoch) = db.practised.lookup(since: "")
        #expect(kept == nil)
        _ = try db.saveNote(text: "a note", at: t0, localDate: "2025-11-21")
        // What that read, begun before the note, would have found.
        db.practised.keep([], epoch: epoch)
        #expect(db.practised.lookup(since: "").days == nil)
        #expect(try db.practisedDays() == ["2025-11-21"])
        try db.close()
    }

    @Test func wholesaleChangesShowAtOnce() throws {
        let folder = try ScratchFolder()
        let path = folder.path("journal.sqlite")
        var journal = try AppDatabase.open(path: path)
        _ = try journal.saveNote(text: "held the door", at: t0, localDate: "2026-11-02")
        #expect(try journal.practisedDays() == ["2026-11-02"])

        // An import of more days than one transaction's delta holds.
        let many = (0..<(PractisedDays.deltaLimit + 10)).map { day in
            EntryRecord.note(
                NoteRecord(
                    text: "imported \(day)", kind: nil, createdAt: at(Double(day) * 86_400),
                    localDate: Self.day(after: "2025-01-01", day)))
        }
        _ = try journal.importEntries(many, at: at(10))
        #expect(try journal.practisedDays() == (try Self.freshDays(journal, since: nil)))
        #expect(try journal.practisedDays().count == PractisedDays.deltaLimit + 11)
        // A small import.
        let few = [EntryRecord.note(NoteRecord(text: "one more", kind: nil, createdAt: at(20), localDate: "2026-11-06"))]
        _ = try journal.importEntries(few, at: at(30))
        #expect(try journal.practisedDays(since: "2026-11-01") == ["2026-11-02", "2026-11-06"])

        // SQL no named write knows of (a future write, a repair) still reaches the kept days.
        try journal.write { db in
            try db.execute(sql: "UPDATE notes SET local_date = '2026-11-07' WHERE local_date = '2026-11-06'")
        }
        #expect(try journal.practisedDays(since: "2026-11-01") == ["2026-11-02", "2026-11-07"])
        try journal.write { db in try db.execute(sql: "DELETE FROM entries") }
        #expect(try journal.practisedDays() == [])
        // A change rolled back to a savepoint adds nothing.
        try journal.write { db in
            try db.inSavepoint {
                let id = try AppDatabase.newEntryID(db, kind: "note")
                try NoteRecord(id: id, text: "undone", kind: nil, createdAt: at(40), localDate: "2026-11-08").insert(db)
                return .rollback
            }
        }
        #expect(try journal.practisedDays() == [])

        // A restore (another file in its place) and erase --all (an empty one) reopen the journal.
        _ = try journal.saveNote(text: "kept in the copy", at: at(50), localDate: "2026-11-09")
        let copy = try journal.backup(to: folder.path("copy.sqlite"))
        _ = try journal.saveNote(text: "after the copy", at: at(60), localDate: "2026-11-10")
        #expect(try journal.practisedDays() == ["2026-11-09", "2026-11-10"])
        try journal.close()
        // As the daemon's restore does: the old journal's WAL goes with it.
        for file in [path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        _ = try AppDatabase.copyJournal(from: copy, to: path)
        journal = try AppDatabase.open(path: path)
        #expect(try journal.practisedDays() == ["2026-11-09"])
        try journal.close()
        for file in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        journal = try AppDatabase.open(path: path)
        #expect(try journal.practisedDays() == [])
        try journal.close()
    }

    // MARK: - Helpers

    /// What the journal holds, read past anything kept.
    static func freshDays(_ journal: AppDatabase, since: String?) throws -> [String] {
        try journal.dbWriter.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT local_date FROM answers WHERE local_date >= ?1
                    UNION SELECT local_date FROM notes WHERE local_date >= ?1 ORDER BY 1
                    """,
                arguments: [since ?? ""])
        }
    }

    static func day(after first: String, _ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let start = formatter.date(from: first) ?? t0
        return formatter.string(from: start.addingTimeInterval(Double(offset) * 86_400))
    }

    static func deliver(_ journal: AppDatabase, day: String, at instant: Date) throws -> Int64 {
        let insertion = try journal.recordDelivery(
            slot: "nudge", scheduledAt: instant, localDate: day, promptText: "A kindness?", promptKey: "kindness-1",
            firedAt: instant, expiresAt: instant.addingTimeInterval(3_600))
        switch insertion {
        case .recorded(let delivery), .alreadyDelivered(let delivery): return delivery.id ?? 0
        }
    }

    static func entryIDs(_ journal: AppDatabase) throws -> [Int64] {
        try journal.dbWriter.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM answers UNION ALL SELECT id FROM notes ORDER BY 1")
        }
    }

    /// Runs one of the store's writes, chosen at random; returns its name.
    static func randomWrite(_ journal: AppDatabase, _ random: inout SeededRandom) throws -> String {
        let date = dates[random.below(dates.count)]
        let instant = at(Double(random.below(10_000_000)))
        let ids = try entryIDs(journal)
        let existing = ids.isEmpty ? 999_999 : ids[random.below(ids.count)]
        switch random.below(14) {
        case 0:
            _ = try journal.saveAnswer(text: "answer", channel: .cli, deliveryID: nil, at: instant, localDate: date)
            return "saveAnswer \(date)"
        case 1:
            let delivery = try deliver(journal, day: date, at: instant)
            _ = try journal.answerPrompt(
                text: "answered", mood: 3, energy: nil, channel: .cli, deliveryID: delivery, at: instant, localDate: date)
            return "answerPrompt \(date)"
        case 2:
            _ = try journal.saveNote(text: "note", kind: .given, at: instant, localDate: date)
            return "saveNote \(date)"
        case 3:
            _ = try journal.saveNoteRecording(text: "noted", at: instant, localDate: date, mood: 2)
            return "saveNoteRecording \(date)"
        case 4, 5:
            _ = try? journal.deleteEntry(id: existing)
            return "deleteEntry \(existing)"
        case 6:
            _ = try? journal.deleteEntryRecording(id: existing, at: instant)
            return "deleteEntryRecording \(existing)"
        case 7:
            _ = try? journal.editEntryRecording(id: existing, text: "edited", mood: 5, at: instant)
            return "editEntryRecording \(existing)"
        case 8:
            // Now and then more days than one transaction's delta holds.
            let count = random.below(4) == 0 ? 3 * PractisedDays.deltaLimit : 1 + random.below(3)
            let entries = (0..<count).map { index in
                index % 2 == 0
                    ? EntryRecord.note(
                        NoteRecord(text: "imported \(index)", kind: nil, createdAt: instant, localDate: dates[random.below(9)]))
                    : EntryRecord.answer(
                        AnswerRecord(
                            deliveryID: nil, slot: nil, promptText: nil, text: "imported \(index)", mood: nil, energy: nil,
                            channel: .imported, answeredAt: instant, localDate: day(after: "2025-10-01", random.below(400))))
            }
            _ = try journal.importEntries(entries, at: instant)
            return "importEntries \(count)"
        case 9:
            let delivery = try deliver(journal, day: date, at: instant)
            try journal.markDelivery(id: delivery, status: .expired, at: instant)
            return "deliver and expire \(date)"
        case 10:
            try journal.recordPauseStarted(at: instant, until: nil)
            try journal.recordPauseEnded(at: instant.addingTimeInterval(60))
            return "pause"
        case 11:
            try journal.setState(date, forKey: "pause-until", at: instant)
            _ = try journal.setPromptHidden("kindness-\(random.below(5))", hidden: random.below(2) == 0, at: instant)
            return "state and hidden prompt"
        case 12:
            // A move to another day, as no named write does yet.
            try journal.write { db in
                try db.execute(sql: "UPDATE answers SET local_date = ? WHERE id = ?", arguments: [date, existing])
                try db.execute(sql: "UPDATE notes SET local_date = ? WHERE id = ?", arguments: [date, existing])
            }
            return "move \(existing) to \(date)"
        default:
            // A write that fails half-way: nothing of it stays.
            _ = try? journal.write { db in
                let id = try AppDatabase.newEntryID(db, kind: "note")
                try NoteRecord(id: id, text: "undone", kind: nil, createdAt: instant, localDate: date).insert(db)
                throw StoreError.notFound("on purpose")
            }
            return "failed write \(date)"
        }
    }
}

/// SplitMix64: the same run every time, so a failure can be replayed.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
