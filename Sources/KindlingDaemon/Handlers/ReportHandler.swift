import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `report`: what the summary page needs, read from the journal: the practised days of a range
/// with their mood, energy and kindness, the program's progress, and the person's own words only
/// when they asked for them. The CLI renders the page; the daemon writes no file.
enum ReportHandler {
    /// The longest range one page covers, in days (about ten years).
    static let longestRange = 3_660
    /// The most words one page carries (UTF-8 bytes of the entries' texts), well under what a
    /// client reads in one reply.
    static let textBudget = 8 * 1024 * 1024

    static func handle(
        _ daemon: Daemon, since: String?, until: String?, withText: Bool, entries ids: [Int64]
    ) -> Result<ReportResult, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        do throws(ControlError) {
            let last = try JournalHandler.resolve(until, key: "until", today: today) ?? today
            let first: LocalDate
            if let chosen = try JournalHandler.resolve(since, key: "since", today: today) {
                first = chosen
            } else {
                // A year back, but never before the journal's first entry: the page starts with the practice.
                let started = try read { () throws(StoreError) in try daemon.journal.firstEntryDate() }.flatMap { LocalDate($0) }
                first = min(last, max(last.adding(days: -364), started ?? last))
            }
            guard first <= last else {
                throw ControlError(.badRequest, "\"since\" (\(first)) is after \"until\" (\(last))")
            }
            guard last.daysSinceEpoch - first.daysSinceEpoch < longestRange else {
                throw ControlError(
                    .badRequest, "a report covers at most ten years; choose a later \"since\" or an earlier \"until\"")
            }
            let days = try read { () throws(StoreError) in
                try practisedDays(
                    activity: daemon.journal.activity(from: first.description, through: last.description),
                    kindness: daemon.journal.kindnessNotes(from: first.description, through: last.description))
            }
            var words: [JournalEntry]?
            if !ids.isEmpty {
                words = try chosenEntries(daemon, ids: ids)
            } else if withText {
                words = try read { () throws(StoreError) in
                    try daemon.journal.journal(
                        JournalQuery(since: first.description, until: last.description, days: longestRange))
                }.entries(daemon)
            }
            if let words, words.reduce(0, { $0 + $1.text.utf8.count + ($1.prompt?.utf8.count ?? 0) }) > textBudget {
                throw ControlError(
                    .tooLarge, "the words in this range are too long for one page; choose a shorter range or pick entries")
            }
            return .success(
                ReportResult(
                    since: first.description, until: last.description, today: today.description,
                    madeAt: Timestamp.string(daemon.clock.now, in: daemon.timeZone), counts: daemon.config.streaks,
                    days: days, program: daemon.programPosition(on: today).map(program), entries: words))
        } catch {
            return .failure(error)
        }
    }

    /// The practised days, from the statistics' daily activity and the notes' kinds.
    static func practisedDays(activity: [DayActivity], kindness: [KindnessNotes]) -> [ReportResult.Day] {
        let kinds = Dictionary(kindness.map { ($0.localDate, $0) }, uniquingKeysWith: { first, _ in first })
        return activity.compactMap { day in
            let entries = day.answers + day.notes
            guard entries > 0 else { return nil }
            let notes = kinds[day.localDate]
            return ReportResult.Day(
                date: day.localDate, entries: entries, given: (notes?.given ?? 0) + (day.answersBySlot["nudge"] ?? 0),
                received: notes?.received ?? 0, mood: day.mood.map(rounded), energy: day.energy.map(rounded))
        }
    }

    /// The entries the person picked, oldest first; an id that is not in the journal is refused.
    private static func chosenEntries(_ daemon: Daemon, ids: [Int64]) throws(ControlError) -> [JournalEntry] {
        var picked: [JournalEntry] = []
        for id in Set(ids) {
            guard let entry = try read({ () throws(StoreError) in try daemon.journal.entry(id: id) }) else {
                throw Daemon.noSuchEntry(id)
            }
            picked.append(daemon.journalEntry(entry))
        }
        return picked.sorted { ($0.localDate, $0.at, $0.id) < ($1.localDate, $1.at, $1.id) }
    }

    /// The program in use, as the page names it, counted in its own steps (weeks or days), an
    /// added program as much as a built-in one.
    static func program(_ position: ProgramPosition) -> ReportResult.Program {
        ReportResult.Program(
            name: position.program.rawValue, title: position.definition.title,
            stepsBy: position.definition.stepsBy.rawValue, step: position.stepNumber,
            steps: position.stepCount, theme: position.isComplete ? nil : position.theme, complete: position.isComplete)
    }

    private static func read<T>(_ body: () throws(StoreError) -> T) throws(ControlError) -> T {
        do throws(StoreError) {
            return try body()
        } catch {
            throw ControlError(.storage, "the journal could not be read: \(error.description)")
        }
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}

extension JournalPage {
    /// Every entry of the page, oldest first, in the order written within a day.
    fileprivate func entries(_ daemon: Daemon) -> [JournalEntry] {
        let all = answers.map { daemon.journalEntry(.answer($0)) } + notes.map { daemon.journalEntry(.note($0)) }
        return all.sorted { ($0.localDate, $0.at, $0.id) < ($1.localDate, $1.at, $1.id) }
    }
}
