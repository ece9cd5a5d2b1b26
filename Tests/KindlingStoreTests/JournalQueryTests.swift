import Foundation
import GRDB
import Testing

@testable import KindlingStore

@Suite("Reading, editing and deleting journal entries")
struct JournalQueryTests {
    let db = AppDatabase.inMemory()

    /// An answer to a freshly delivered prompt of `slot` on `date`.
    @discardableResult
    func answer(
        _ text: String, slot: String = "intention", on date: String, at seconds: TimeInterval = 0, mood: Int? = nil,
        energy: Int? = nil
    ) throws -> Int64 {
        let delivery = try db.recordDelivery(
            slot: slot, scheduledAt: at(seconds), localDate: date, promptText: "Prompt for \(slot)",
            promptKey: "\(slot).key", firedAt: at(seconds), expiresAt: at(seconds + 3600)
        ).delivery
        return try db.saveAnswer(
            text: text, mood: mood, energy: energy, channel: .cli, deliveryID: delivery.id, at: at(seconds + 60),
            localDate: date)
    }

    @discardableResult
    func note(_ text: String, _ kind: NoteRecord.Kind? = nil, on date: String, at seconds: TimeInterval = 0) throws -> Int64 {
        try db.saveNote(text: text, kind: kind, at: at(seconds), localDate: date)
    }

    @Test func aPageHoldsTheNewestDaysAndTheirEntriesInOrder() throws {
        try answer("text Sam", on: "2025-11-19", at: 0)
        try note("held the door", .given, on: "2025-11-19", at: 100)
        try answer("be patient", on: "2025-11-20", at: 86_400)
        try answer("it felt warm", slot: "reflection", on: "2025-11-20", at: 86_400 + 50_000, mood: 4)
        try note("a friend called", .received, on: "2025-11-21", at: 2 * 86_400)

        let page = try db.journal(JournalQuery(days: 2))
        #expect(page.dates == ["2025-11-21", "2025-11-20"])
        #expect(page.more)
        #expect(page.answers.map(\.text) == ["be patient", "it felt warm"])
        #expect(page.notes.map(\.text) == ["a friend called"])

        let all = try db.journal(JournalQuery())
        #expect(all.dates == ["2025-11-21", "2025-11-20", "2025-11-19"])
        #expect(!all.more)
        #expect(all.answers.map(\.localDate) == ["2025-11-20", "2025-11-20", "2025-11-19"])
    }

    @Test func datesSlotAndSearchNarrowThePage() throws {
        try answer("text Sam", on: "2025-11-19")
        try note("texted 100% of my cousins_", on: "2025-11-19")
        try answer("call Mum", on: "2025-11-20", at: 86_400)
        try answer("TEXTED Sam back", slot: "reflection", on: "2025-11-21", at: 2 * 86_400)

        #expect(try db.journal(JournalQuery(since: "2025-11-20")).dates == ["2025-11-21", "2025-11-20"])
        #expect(try db.journal(JournalQuery(until: "2025-11-19")).dates == ["2025-11-19"])
        let intentions = try db.journal(JournalQuery(slot: "intention"))
        #expect(intentions.answers.map(\.text) == ["call Mum", "text Sam"])
        #expect(intentions.notes.isEmpty, "notes have no slot")

        let texted = try db.journal(JournalQuery(search: "texted"))
        #expect(texted.dates == ["2025-11-21", "2025-11-19"])
        #expect(texted.answers.map(\.text) == ["TEXTED Sam back"], "case-insensitive; other answers of the day left out")
        #expect(texted.notes.count == 1)
        // LIKE's wildcards are taken literally.
        #expect(try db.journal(JournalQuery(search: "100%")).notes.count == 1)
        #expect(try db.journal(JournalQuery(search: "s_")).notes.count == 1)
        #expect(try db.journal(JournalQuery(search: "0_")).dates.isEmpty)
        #expect(try db.journal(JournalQuery(search: "%")).dates == ["2025-11-19"])
    }

    @Test func anEntryIsFoundByItsSharedID() throws {
        let answerID = try answer("text Sam", on: "2025-11-19")
        let noteID = try note("held the door", .given, on: "2025-11-19")
        guard case .answer(let answer)? = try db.entry(id: answerID), case .note(let note)? = try db.entry(id: noteID) else {
            Issue.record("expected an answer and a note")
            return
        }
        #expect(answer.text == "text Sam")
        #expect(answer.slot == "intention")
        #expect(note.kind == .given)
        #expect(try db.entry(id: 999) == nil)
    }

    @Test func editingChangesOnlyWhatIsGivenAndStampsEditedAt() throws {
        let answerID = try answer("text Sam", on: "2025-11-19", mood: 3, energy: 2)
        let edited = try db.editEntry(id: answerID, text: "text Sam and Alex", mood: 5, at: at(500))
        guard case .answer(let answer) = edited else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.text == "text Sam and Alex")
        #expect(answer.mood == 5)
        #expect(answer.energy == 2)
        #expect(answer.editedAt == at(500))
        #expect(try db.answer(id: answerID) == answer)

        let noteID = try note("held the door", on: "2025-11-19")
        try db.editEntry(id: noteID, text: "held the door open", at: at(600))
        #expect(try db.note(id: noteID)?.text == "held the door open")
        #expect(try db.note(id: noteID)?.editedAt == at(600))
        // A note can say how the person felt, and that can change like its text.
        try db.editEntry(id: noteID, text: nil, mood: 3, energy: 2, at: at(700))
        #expect(try db.note(id: noteID)?.mood == 3)
        #expect(try db.note(id: noteID)?.energy == 2)
        #expect(try db.note(id: noteID)?.text == "held the door open")
        #expect(throws: StoreError.notFound("there is no entry 999")) { try db.editEntry(id: 999, text: "x", at: at(0)) }
        #expect(throws: StoreError.self) { try db.editEntry(id: answerID, text: nil, mood: 9, at: at(0)) }
    }

    @Test func deletingRemovesTheEntryForGoodAndKeepsTheEventsLog() throws {
        let answerID = try answer("text Sam", on: "2025-11-19")
        let noteID = try note("held the door", on: "2025-11-19")
        try db.recordEvent(.noted, at: at(10), entryID: noteID)

        guard case .note(let removed) = try db.deleteEntry(id: noteID) else {
            Issue.record("expected the note")
            return
        }
        #expect(removed.text == "held the door")
        #expect(try db.entry(id: noteID) == nil)
        #expect(try db.entryCount() == 1)
        let rows = try db.dbWriter.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE id = ?", arguments: [noteID])
        }
        #expect(rows == 0)
        let events = try db.events()
        #expect(events.map(\.kind) == [.noted])
        #expect(events.first?.entryID == nil, "the event stays, its reference cleared")
        #expect(throws: StoreError.notFound("there is no entry \(noteID)")) { try db.deleteEntry(id: noteID) }

        try db.deleteEntry(id: answerID)
        #expect(try db.journal(JournalQuery()).dates.isEmpty)
        // Ids are never reused.
        #expect(try note("again", on: "2025-11-20") > answerID)
    }

    @Test func activityCountsAnswersPerSlotNotesAndMeanFeelings() throws {
        try answer("a", on: "2025-11-19", mood: 2, energy: 4)
        try answer("b", slot: "reflection", on: "2025-11-19", at: 100, mood: 4)
        try note("c", on: "2025-11-19")
        try note("d", .given, on: "2025-11-21")
        try note("outside", on: "2025-11-30")
        let days = try db.activity(from: "2025-11-17", through: "2025-11-23")
        #expect(
            days == [
                DayActivity(
                    localDate: "2025-11-19", answersBySlot: ["intention": 1, "reflection": 1], notes: 1, mood: 3, energy: 4),
                DayActivity(localDate: "2025-11-21", notes: 1),
            ])
    }

    // MARK: - Query plans

    /// Every journal and statistics query searches an index on `local_date`: no table is scanned whole.
    @Test(arguments: [
        JournalQuery(),
        JournalQuery(since: "2025-11-01", until: "2025-11-30"),
        JournalQuery(slot: "intention", search: "Sam", days: 5),
        JournalQuery(search: "door"),
    ])
    func journalQueriesUseTheLocalDateIndexes(query: JournalQuery) throws {
        var statements = [AppDatabase.journalDatesSQL(query), AppDatabase.journalAnswersSQL(query)]
        if let notes = AppDatabase.journalNotesSQL(query) { statements.append(notes) }
        for (sql, arguments) in statements {
            let plan = try explain(sql, arguments)
            #expect(plan.contains { $0.contains("answers_local_date") || $0.contains("notes_local_date") }, "\(sql)\n\(plan)")
            for line in plan where line.hasPrefix("SCAN answers") || line.hasPrefix("SCAN notes") {
                Issue.record("a full scan: \(line)\n\(sql)")
            }
            for line in plan where line.contains("answers") || line.contains("notes") {
                #expect(line.contains("USING INDEX") || line.contains("USING COVERING INDEX"), "\(line)\n\(sql)")
            }
        }
    }

    /// Stats and the report count by day from the day indexes alone (they carry slot, kind, mood
    /// and energy since v6-leaner-indexes): after a write, the pages such a count reads again are
    /// a few index pages, not every row of the weeks shown.
    @Test func statisticsQueriesReadTheDayIndexesAlone() throws {
        let statements = [
            AppDatabase.activitySQL.answers, AppDatabase.activitySQL.feelings, AppDatabase.activitySQL.notes,
            AppDatabase.kindnessNotesSQL,
        ]
        for sql in statements {
            let plan = try explain(sql, ["2025-11-01", "2025-11-30"])
            let reads = plan.filter { $0.contains(" answers") || $0.contains(" notes") }
            #expect(!reads.isEmpty, "\(plan)")
            for line in reads {
                #expect(
                    line.contains("USING COVERING INDEX answers_local_date")
                        || line.contains("USING COVERING INDEX notes_local_date"), "\(line)\n\(sql)")
            }
        }
    }

    /// A lookup by delivery or entry (erasure, ON DELETE SET NULL) still finds the indexes that
    /// leave out the rows naming none.
    @Test func lookupsByDeliveryAndEntryUseTheirPartialIndexes() throws {
        for (sql, index) in [
            ("SELECT id FROM events WHERE delivery_id = ?", "events_delivery_id"),
            ("SELECT id FROM events WHERE entry_id = ?", "events_entry_id"),
            ("SELECT id FROM answers WHERE delivery_id = ?", "answers_delivery_id"),
        ] {
            let plan = try explain(sql, [1])
            #expect(plan.contains { $0.contains("INDEX \(index)") }, "\(sql)\n\(plan)")
        }
    }

    private func explain(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
        try db.dbWriter.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }
}
