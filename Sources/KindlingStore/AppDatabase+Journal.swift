// The journal as the person reads and tends it: one entry by id, edits and deletions, the day-grouped
// history and the figures behind `kindling stats`. Every query here is served by an index on
// `local_date` (JournalQueryTests checks the plans).
import Foundation
import GRDB

/// One entry of the journal: an answer or a note. Both draw their ids from the `entries` table, so an
/// id names exactly one of them.
public enum EntryRecord: Hashable, Sendable {
    case answer(AnswerRecord)
    case note(NoteRecord)

    public var id: Int64 {
        switch self {
        case .answer(let answer): answer.id ?? 0
        case .note(let note): note.id ?? 0
        }
    }

    public var text: String {
        switch self {
        case .answer(let answer): answer.text
        case .note(let note): note.text
        }
    }

    public var localDate: String {
        switch self {
        case .answer(let answer): answer.localDate
        case .note(let note): note.localDate
        }
    }
}

/// What part of the journal to read.
public struct JournalQuery: Hashable, Sendable {
    /// First and last local date, 'YYYY-MM-DD', inclusive; nil: no bound.
    public var since: String?
    public var until: String?
    /// Only answers to prompts of this slot (notes have no slot, so they are left out).
    public var slot: String?
    /// Only entries whose text contains this (case-insensitive for ASCII letters).
    public var search: String?
    /// At most this many days, the newest.
    public var days: Int

    public init(since: String? = nil, until: String? = nil, slot: String? = nil, search: String? = nil, days: Int = 30) {
        self.since = since
        self.until = until
        self.slot = slot
        self.search = search
        self.days = days
    }
}

/// A page of the journal: the newest matching days and their entries.
public struct JournalPage: Hashable, Sendable {
    /// The local dates with matching entries, newest first.
    public var dates: [String]
    /// Their matching answers and notes, newest day first, in the order written within a day.
    public var answers: [AnswerRecord]
    public var notes: [NoteRecord]
    /// Older days match too.
    public var more: Bool
}

/// One local date's activity, for statistics.
public struct DayActivity: Hashable, Sendable {
    /// 'YYYY-MM-DD'.
    public var localDate: String
    /// Answers per slot; answers without a slot (imported) under "".
    public var answersBySlot: [String: Int]
    public var notes: Int
    /// The mean of the moods (energies) given that day.
    public var mood: Double?
    public var energy: Double?

    public init(localDate: String, answersBySlot: [String: Int] = [:], notes: Int = 0, mood: Double? = nil, energy: Double? = nil)
    {
        self.localDate = localDate
        self.answersBySlot = answersBySlot
        self.notes = notes
        self.mood = mood
        self.energy = energy
    }

    public var answers: Int { answersBySlot.values.reduce(0, +) }
}

// MARK: - Reads

extension AppDatabase {
    /// The answer or note with this entry id, if any.
    public func entry(id: Int64) throws(StoreError) -> EntryRecord? {
        try read { db in try Self.entry(db, id: id) }
    }

    /// The newest `query.days` days with matching entries, and those entries.
    public func journal(_ query: JournalQuery) throws(StoreError) -> JournalPage {
        try read { db in
            let (dates, more) = try Self.journalDates(db, query)
            var page = try Self.journalEntries(db, query, dates: dates[...])
            page.more = more
            return page
        }
    }

    /// The newest `query.days` local dates with matching entries, newest first, and whether older
    /// ones match too: ``journalEntries(_:dates:)`` then reads their entries a few days at a time.
    public func journalDates(_ query: JournalQuery) throws(StoreError) -> (dates: [String], more: Bool) {
        try read { db in try Self.journalDates(db, query) }
    }

    /// The entries matching `query` on `dates` (a run of ``journalDates(_:)``'s, newest first).
    /// `more` is false: whether older days match is for ``journalDates(_:)`` to say.
    public func journalEntries(_ query: JournalQuery, dates: ArraySlice<String>) throws(StoreError) -> JournalPage {
        try read { db in try Self.journalEntries(db, query, dates: dates) }
    }

    private static func journalDates(_ db: Database, _ query: JournalQuery) throws -> (dates: [String], more: Bool) {
        let (datesSQL, datesArguments) = journalDatesSQL(query)
        var dates = try String.fetchAll(db, sql: datesSQL, arguments: datesArguments)
        let more = dates.count > query.days
        if more { dates.removeLast() }
        return (dates, more)
    }

    private static func journalEntries(_ db: Database, _ query: JournalQuery, dates: ArraySlice<String>) throws -> JournalPage {
        guard let newest = dates.first, let oldest = dates.last else {
            return JournalPage(dates: [], answers: [], notes: [], more: false)
        }
        // The same filters over [oldest, newest]: the only matching dates in that span are `dates`.
        var page = query
        page.since = oldest
        page.until = newest
        let (answersSQL, answersArguments) = journalAnswersSQL(page)
        let answers = try AnswerRecord.fetchAll(db, sql: answersSQL, arguments: answersArguments)
        var notes: [NoteRecord] = []
        if let (notesSQL, notesArguments) = journalNotesSQL(page) {
            notes = try NoteRecord.fetchAll(db, sql: notesSQL, arguments: notesArguments)
        }
        return JournalPage(dates: Array(dates), answers: answers, notes: notes, more: false)
    }

    /// The statements behind `activity`, each with two arguments (from, through). Internal: a test
    /// checks that each reads the day indexes alone (v6-leaner-indexes), never a row.
    static let activitySQL = (
        answers: """
        SELECT local_date, slot, COUNT(*) AS count FROM answers
        WHERE local_date BETWEEN ? AND ?
        GROUP BY local_date, slot
        """,
        feelings: """
        SELECT local_date, AVG(mood) AS mood, AVG(energy) AS energy FROM (
            SELECT local_date, mood, energy FROM answers WHERE local_date BETWEEN ?1 AND ?2
            UNION ALL
            SELECT local_date, mood, energy FROM notes WHERE local_date BETWEEN ?1 AND ?2
        )
        WHERE mood IS NOT NULL OR energy IS NOT NULL
        GROUP BY local_date
        """,
        notes: "SELECT local_date, COUNT(*) AS count FROM notes WHERE local_date BETWEEN ? AND ? GROUP BY local_date"
    )

    /// Each local date from `from` through `through` (inclusive) with an answer or a note, oldest first.
    public func activity(from: String, through: String) throws(StoreError) -> [DayActivity] {
        try read { db in
            var days: [String: DayActivity] = [:]
            let answerRows = try Row.fetchAll(
                db,
                sql: Self.activitySQL.answers, arguments: [from, through])
            for row in answerRows {
                let date: String = try row.decode(forColumn: "local_date")
                let slot: String = try row.decode(String?.self, forColumn: "slot") ?? ""
                days[date, default: DayActivity(localDate: date)].answersBySlot[slot, default: 0] += try row.decode(
                    Int.self, forColumn: "count")
            }
            let feelingRows = try Row.fetchAll(
                db,
                sql: Self.activitySQL.feelings, arguments: [from, through])
            for row in feelingRows {
                let date: String = try row.decode(forColumn: "local_date")
                days[date, default: DayActivity(localDate: date)].mood = try row.decode(forColumn: "mood")
                days[date, default: DayActivity(localDate: date)].energy = try row.decode(forColumn: "energy")
            }
            let noteRows = try Row.fetchAll(
                db,
                sql: Self.activitySQL.notes, arguments: [from, through])
            for row in noteRows {
                let date: String = try row.decode(forColumn: "local_date")
                days[date, default: DayActivity(localDate: date)].notes = try row.decode(forColumn: "count")
            }
            return days.values.sorted { $0.localDate < $1.localDate }
        }
    }

    // MARK: - SQL (internal: tests explain their plans)

    /// Every bound is always given, so that SQLite searches the `local_date` indexes by range.
    static let earliestDate = "0000-00-00"
    static let latestDate = "9999-99-99"

    /// The newest `days + 1` matching dates (one more tells whether there are older ones).
    static func journalDatesSQL(_ query: JournalQuery) -> (String, StatementArguments) {
        let (answersSQL, answersArguments) = answerFilter(query, columns: "local_date")
        var sql = answersSQL
        var arguments = answersArguments
        if let (notesSQL, notesArguments) = noteFilter(query, columns: "local_date") {
            sql += "\nUNION\n" + notesSQL
            arguments += notesArguments
        }
        sql += "\nORDER BY 1 DESC LIMIT ?"
        arguments += [query.days + 1]
        return (sql, arguments)
    }

    static func journalAnswersSQL(_ query: JournalQuery) -> (String, StatementArguments) {
        let (sql, arguments) = answerFilter(query, columns: "*")
        return (sql + " ORDER BY local_date DESC, answered_at, id", arguments)
    }

    /// nil when the query leaves notes out (it names a slot).
    static func journalNotesSQL(_ query: JournalQuery) -> (String, StatementArguments)? {
        noteFilter(query, columns: "*").map { sql, arguments in (sql + " ORDER BY local_date DESC, created_at, id", arguments) }
    }

    private static func answerFilter(_ query: JournalQuery, columns: String) -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM answers WHERE local_date BETWEEN ? AND ?"
        var arguments: StatementArguments = [query.since ?? earliestDate, query.until ?? latestDate]
        if let slot = query.slot {
            sql += " AND slot = ?"
            arguments += [slot]
        }
        if let search = query.search {
            sql += " AND text LIKE ? ESCAPE '\\'"
            arguments += [likePattern(search)]
        }
        return (sql, arguments)
    }

    private static func noteFilter(_ query: JournalQuery, columns: String) -> (String, StatementArguments)? {
        guard query.slot == nil else { return nil }
        var sql = "SELECT \(columns) FROM notes WHERE local_date BETWEEN ? AND ?"
        var arguments: StatementArguments = [query.since ?? earliestDate, query.until ?? latestDate]
        if let search = query.search {
            sql += " AND text LIKE ? ESCAPE '\\'"
            arguments += [likePattern(search)]
        }
        return (sql, arguments)
    }

    /// `%text%`, with LIKE's wildcards in `text` taken literally.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    static func entry(_ db: Database, id: Int64) throws -> EntryRecord? {
        if let answer = try AnswerRecord.fetchOne(db, key: id) { return .answer(answer) }
        if let note = try NoteRecord.fetchOne(db, key: id) { return .note(note) }
        return nil
    }
}

// MARK: - Writes

extension AppDatabase {
    /// Changes an entry's text, mood or energy (nil leaves a value as it is), and stamps
    /// `edited_at`. Throws `notFound` for an unknown id.
    /// A reflection that quoted an edited intention quotes the new words instead.
    @discardableResult
    public func editEntry(
        id: Int64, text: String?, mood: Int? = nil, energy: Int? = nil, at: Date
    ) throws(StoreError) -> EntryRecord {
        try write { db in try Self.editEntry(db, id: id, text: text, mood: mood, energy: energy, at: at) }
    }

    /// ``editEntry(id:text:mood:energy:at:)`` with its `edited` event (naming what changed), in
    /// one transaction.
    @discardableResult
    public func editEntryRecording(
        id: Int64, text: String?, mood: Int? = nil, energy: Int? = nil, at: Date
    ) throws(StoreError) -> EntryRecord {
        let changed = [("text", text != nil), ("mood", mood != nil), ("energy", energy != nil)].filter(\.1).map(\.0)
        let detail = try Self.detailJSON(["changed": changed.joined(separator: ",")])
        return try write { db in
            let entry = try Self.editEntry(db, id: id, text: text, mood: mood, energy: energy, at: at)
            try Self.insertEvent(.edited, at: at, entryID: id, detail: detail, db)
            return entry
        }
    }

    private static func editEntry(
        _ db: Database, id: Int64, text: String?, mood: Int?, energy: Int?, at: Date
    ) throws -> EntryRecord {
        switch try Self.entry(db, id: id) {
        case .answer(var answer):
            let before = answer.text
            // Only the changed columns: an index entry is rewritten for every column set.
            try answer.updateChanges(db) {
                if let text { $0.text = text }
                if let mood { $0.mood = mood }
                if let energy { $0.energy = energy }
                $0.editedAt = at
            }
            if answer.slot == "intention", answer.text != before {
                try Self.requoteReflections(
                    db, localDate: answer.localDate, intention: before, replacement: answer.text)
            }
            return .answer(answer)
        case .note(var note):
            try note.updateChanges(db) {
                if let text { $0.text = text }
                if let mood { $0.mood = mood }
                if let energy { $0.energy = energy }
                $0.editedAt = at
            }
            return .note(note)
        case nil:
            throw StoreError.notFound("there is no entry \(id)")
        }
    }

    /// Removes an entry (its `entries` row, and through it the answer or note; events that named it keep
    /// their place with the reference cleared). Returns what was removed; throws `notFound` for an
    /// unknown id. The text is overwritten on disk (secure_delete), and a reflection that quoted a
    /// deleted intention loses the quote; ``checkpointAndTruncate()`` then clears the WAL.
    @discardableResult
    public func deleteEntry(id: Int64) throws(StoreError) -> EntryRecord {
        try write { db in try Self.deleteEntry(db, id: id) }
    }

    /// ``deleteEntry(id:)`` with its `deleted` event at `at`, in one transaction. The entry is
    /// gone, so the event names it in its detail (its id and type, never its text).
    @discardableResult
    public func deleteEntryRecording(id: Int64, at: Date) throws(StoreError) -> EntryRecord {
        try write { db in
            let entry = try Self.deleteEntry(db, id: id)
            let type = if case .answer = entry { "answer" } else { "note" }
            try Self.insertEvent(.deleted, at: at, detail: #"{"entry_id":"\#(id)","type":"\#(type)"}"#, db)
            return entry
        }
    }

    private static func deleteEntry(_ db: Database, id: Int64) throws -> EntryRecord {
        guard let entry = try Self.entry(db, id: id) else {
            throw StoreError.notFound("there is no entry \(id)")
        }
        try db.execute(sql: "DELETE FROM entries WHERE id = ?", arguments: [id])
        if case .answer(let answer) = entry, answer.slot == "intention" {
            try Self.requoteReflections(db, localDate: answer.localDate, intention: answer.text, replacement: nil)
        }
        return entry
    }
}
