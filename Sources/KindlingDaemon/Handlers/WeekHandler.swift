import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `week`: a look back at one ISO week (Monday to Sunday): kindnesses given and received, the
/// mornings' intentions beside the evenings' reflections, and how mood and energy moved. It
/// shows what happened and never what did not. The weekly review's notification says the same.
enum WeekHandler {
    static func handle(_ daemon: Daemon, date: String?) -> Result<WeekResult, ControlError> {
        let day: LocalDate
        if let date {
            guard let parsed = parse(date, today: daemon.journalDate(of: daemon.clock.now)) else {
                return .failure(
                    ControlError(
                        .badRequest, "\"\(date.prefix(40))\" is not a date; write YYYY-MM-DD, \"today\" or \"yesterday\""))
            }
            day = parsed
        } else {
            day = daemon.journalDate(of: daemon.clock.now)
        }
        do throws(StoreError) {
            return .success(result(try daemon.weekLookBack(of: day)))
        } catch {
            return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
        }
    }

    static func parse(_ text: String, today: LocalDate) -> LocalDate? {
        switch text {
        case "today": today
        case "yesterday": today.adding(days: -1)
        default: LocalDate(text)
        }
    }

    static func result(_ lookBack: WeekLookBack) -> WeekResult {
        func kindness(_ item: WeekLookBack.Kindness) -> WeekResult.Kindness {
            WeekResult.Kindness(date: item.date.description, entryId: item.id, words: item.words)
        }
        return WeekResult(
            start: lookBack.start.description, end: lookBack.end.description, given: lookBack.given.map(kindness),
            received: lookBack.received.map(kindness),
            pairs: lookBack.pairs.map {
                WeekResult.Pair(date: $0.date.description, intention: $0.intention, reflection: $0.reflection)
            },
            feelings: lookBack.feelings.map {
                WeekResult.Feeling(date: $0.date.description, mood: $0.mood.map(rounded), energy: $0.energy.map(rounded))
            },
            moodTrend: lookBack.moodTrend?.rawValue, energyTrend: lookBack.energyTrend?.rawValue, summary: lookBack.summary)
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}

extension Daemon {
    /// The look back at the ISO week holding `day` (or, `endingOn`, the seven days ending on
    /// `day`, for the weekly review), read from the journal.
    func weekLookBack(of day: LocalDate, endingOn: Bool = false) throws(StoreError) -> WeekLookBack {
        let monday = endingOn ? day.adding(days: -6) : day.startOfWeek
        let page = try journal.journal(
            JournalQuery(since: monday.description, until: monday.adding(days: 6).description, days: 7))
        var entries: [WeekEntry] = []
        for answer in page.answers {
            guard let id = answer.id, let date = LocalDate(answer.localDate) else { continue }
            entries.append(
                WeekEntry(
                    id: id, date: date, kind: .answer(slot: answer.slot), text: answer.text, mood: answer.mood,
                    energy: answer.energy))
        }
        for note in page.notes {
            guard let id = note.id, let date = LocalDate(note.localDate) else { continue }
            let given: Bool? = note.kind.map { $0 == .given }
            // A note can say how the person felt too (`kindling note --mood N --energy N`).
            entries.append(
                WeekEntry(
                    id: id, date: date, kind: .note(given: given), text: note.text, mood: note.mood, energy: note.energy))
        }
        return WeekLookBack(sevenDaysFrom: monday, entries: entries)
    }
}
