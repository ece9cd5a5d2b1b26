import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `journal`: the history by day, newest first: each day's intention, other answers, notes, reflection,
/// mood and energy.
enum JournalHandler {
    /// Days shown when the request gives no limit.
    static let defaultDays = 30
    /// A page stays well under the protocol's line limit: further days wait for the next page (`more`).
    static let pageBytes = 48 * 1024
    /// A single day is always sent whole when it can be, even over ``pageBytes``; one so long that
    /// it would come near the 16 MiB a client reads is cut here, its remaining entries counted
    /// in `omitted` (export streams every one).
    static let dayBytes = 8 * 1024 * 1024

    static func handle(
        _ daemon: Daemon, since: String?, until: String?, slot: String?, search: String?, limit: Int?
    ) -> Result<JournalResult, ControlError> {
        query(daemon, since: since, until: until, slot: slot, search: search, limit: limit).flatMap { read(daemon, $0) }
    }

    /// The store's query for these arguments, `today` and `yesterday` resolved in the person's zone.
    static func query(
        _ daemon: Daemon, since: String?, until: String?, slot: String?, search: String?, limit: Int?
    ) -> Result<JournalQuery, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        let from: LocalDate?
        let to: LocalDate?
        do throws(ControlError) {
            from = try resolve(since, key: "since", today: today)
            to = try resolve(until, key: "until", today: today)
        } catch {
            return .failure(error)
        }
        if let from, let to, from > to {
            return .failure(ControlError(.badRequest, "\"since\" (\(from)) is after \"until\" (\(to))"))
        }
        return .success(
            JournalQuery(
                since: from?.description, until: to?.description, slot: nonEmpty(slot), search: nonEmpty(search),
                days: limit ?? defaultDays))
    }

    /// The first run of days whose entries are read together; each next run is twice as long.
    static let firstRun = 4

    /// One page of the journal for `query`. The days' entries are read a run of days at a time,
    /// newest first, until the page is full: on a busy journal a page holds a few days of the
    /// thirty it may show, and reading (and decoding) every entry of all thirty was most of the
    /// time a page took. The runs are separate reads, yet see one journal: every write is made on
    /// the daemon's queue, which this holds throughout.
    static func read(_ daemon: Daemon, _ query: JournalQuery) -> Result<JournalResult, ControlError> {
        do throws(StoreError) {
            let (dates, more) = try daemon.journal.journalDates(query)
            var page = JournalResult(days: [], more: more)
            var bytes = 0
            var start = 0
            var run = firstRun
            while start < dates.count {
                let end = min(start + run, dates.count)
                let entries = try daemon.journal.journalEntries(query, dates: dates[start..<end])
                guard fill(&page, bytes: &bytes, from: entries, daemon: daemon) else { break }
                start = end
                run *= 2
            }
            return .success(page)
        } catch {
            return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
        }
    }

    /// The response line for request `id`, written without JSONEncoder (see Results+JournalJSON),
    /// kept for the next time the same page is asked for (ViewCache).
    static func responseLine(
        _ daemon: Daemon, id: Int, since: String?, until: String?, slot: String?, search: String?, limit: Int?
    ) -> Data {
        switch query(daemon, since: since, until: until, slot: slot, search: search, limit: limit) {
        case .success(let query):
            daemon.viewResponseLine(
                id: id, .journal(query), compute: { read(daemon, query) }, json: { $0.appendJSON(to: &$1) })
        case .failure(let error): daemon.encode(ResponseEnvelope<JournalResult>(id: id, error: error))
        }
    }

    /// "today", "yesterday" (in the person's zone) or a date YYYY-MM-DD; nil or empty: no bound.
    static func resolve(_ text: String?, key: String, today: LocalDate) throws(ControlError) -> LocalDate? {
        guard let text = nonEmpty(text) else { return nil }
        switch text.lowercased() {
        case "today": return today
        case "yesterday": return today.adding(days: -1)
        default:
            guard let date = LocalDate(text) else {
                throw ControlError(
                    .badRequest,
                    "\"\(key)\" must be a date YYYY-MM-DD, \"today\" or \"yesterday\" (it was \"\(text.prefix(32))\")")
            }
            return date
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// Adds `entries`' days to `page` (whose days' JSON comes to `bytes`) while they fit in
    /// ``pageBytes``. Returns false once a day did not fit: the page is full, `more` set.
    static func fill(_ page: inout JournalResult, bytes: inout Int, from entries: JournalPage, daemon: Daemon) -> Bool {
        let answers = Dictionary(grouping: entries.answers, by: \.localDate)
        let notes = Dictionary(grouping: entries.notes, by: \.localDate)
        var scratch: [UInt8] = []
        for date in entries.dates {
            var day = self.day(date, answers: answers[date] ?? [], notes: notes[date] ?? [], daemon: daemon)
            scratch.removeAll(keepingCapacity: true)
            day.appendJSON(to: &scratch)
            var size = scratch.count
            if size > dayBytes {
                size = trim(&day, to: dayBytes)
            }
            if !page.days.isEmpty, bytes + size > pageBytes {
                page.more = true
                return false
            }
            bytes += size
            page.days.append(day)
        }
        return true
    }

    /// Keeps the day's intention and reflection and, in the order written, as many other answers and
    /// notes as fit in `budget` bytes; counts the rest in `omitted`. Returns the size kept.
    static func trim(_ day: inout JournalResult.Day, to budget: Int) -> Int {
        func size(_ entry: JournalEntry?) -> Int {
            guard let entry else { return 0 }
            var bytes: [UInt8] = []
            entry.appendJSON(to: &bytes)
            return bytes.count
        }
        var used = 1024 + size(day.intention) + size(day.reflection)
        var omitted = 0
        func fitting(_ entries: [JournalEntry]) -> [JournalEntry] {
            var kept: [JournalEntry] = []
            for entry in entries {
                let cost = size(entry) + 1
                if omitted == 0, used + cost <= budget {
                    kept.append(entry)
                    used += cost
                } else {
                    omitted += 1
                }
            }
            return kept
        }
        day.answers = fitting(day.answers)
        day.notes = fitting(day.notes)
        day.omitted = omitted > 0 ? omitted : nil
        return used
    }

    /// One day: the first intention answer, the last reflection, every other answer and the notes,
    /// in the order written.
    static func day(_ date: String, answers: [AnswerRecord], notes: [NoteRecord], daemon: Daemon) -> JournalResult.Day {
        var day = JournalResult.Day(date: date)
        let reflection = answers.last { $0.slot == "reflection" }
        for answer in answers {
            let entry = daemon.journalEntry(.answer(answer))
            if answer.slot == "intention", day.intention == nil {
                day.intention = entry
            } else if let reflection, answer.id == reflection.id {
                day.reflection = entry
            } else {
                day.answers.append(entry)
            }
        }
        day.notes = notes.map { daemon.journalEntry(.note($0)) }
        // The reflection is where mood and energy are asked; else the latest answer that gave them,
        // else the latest note that did.
        let latestFirst = (reflection.map { [$0] } ?? []) + answers.reversed()
        day.mood = latestFirst.lazy.compactMap(\.mood).first ?? notes.reversed().lazy.compactMap(\.mood).first
        day.energy = latestFirst.lazy.compactMap(\.energy).first ?? notes.reversed().lazy.compactMap(\.energy).first
        return day
    }
}
