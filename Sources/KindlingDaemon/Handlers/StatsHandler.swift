import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `stats`: streaks (with grace), answers per slot per week, and each day of the last `weeks` weeks.
/// It counts what happened, never what did not: the weeks begin no earlier than the week of the
/// journal's first entry, so someone who started this week sees this week, not empty ones before it.
enum StatsHandler {
    static func handle(_ daemon: Daemon, weeks: Int) -> Result<StatsResult, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        return compute(daemon, weeks: weeks, today: today, paused: daemon.pausedDays(since: nil, through: today))
    }

    static func compute(_ daemon: Daemon, weeks: Int, today: LocalDate, paused: Set<LocalDate>) -> Result<
        StatsResult, ControlError
    > {
        do throws(StoreError) {
            let first = try daemon.journal.firstEntryDate().flatMap { LocalDate($0) }
            let from = max(today.startOfWeek.adding(days: -7 * (weeks - 1)), min(first ?? today, today).startOfWeek)
            let weeks = (today.startOfWeek.daysSinceEpoch - from.daysSinceEpoch) / 7 + 1
            let practised = Set(try daemon.journal.practisedDays().compactMap { LocalDate($0) })
            let activity = try daemon.journal.activity(from: from.description, through: today.description)
            var stats = result(
                today: today, from: from, weeks: weeks, practised: practised, activity: activity, paused: paused)
            if !daemon.config.streaks { stats.hideCounts() }
            return .success(stats)
        } catch {
            return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
        }
    }

    /// The response line for request `id`, written without JSONEncoder (see Results+JournalJSON),
    /// kept until a write, a new day, a pause or a change of `streaks` (ViewCache).
    static func responseLine(_ daemon: Daemon, id: Int, weeks: Int) -> Data {
        let today = daemon.journalDate(of: daemon.clock.now)
        let paused = daemon.pausedDays(since: nil, through: today)
        let view = ViewCache.View.stats(weeks: weeks, today: today, streaks: daemon.config.streaks, paused: paused)
        return daemon.viewResponseLine(
            id: id, view, compute: { compute(daemon, weeks: weeks, today: today, paused: paused) },
            json: { $0.appendJSON(to: &$1) })
    }

    static func result(
        today: LocalDate, from: LocalDate, weeks: Int, practised: Set<LocalDate>, activity: [DayActivity],
        paused: Set<LocalDate> = []
    ) -> StatsResult {
        let streaks = Streak.compute(practised: practised, paused: paused, today: today)
        let byDate = Dictionary(activity.map { ($0.localDate, $0) }, uniquingKeysWith: { first, _ in first })
        var days: [StatsResult.Day] = []
        var weekList: [StatsResult.Week] = []
        for week in 0..<weeks {
            let monday = from.adding(days: 7 * week)
            var slots: [String: Int] = [:]
            var notes = 0
            var practisedDays = 0
            for offset in 0..<7 {
                let date = monday.adding(days: offset)
                guard date <= today else { break }
                let day = byDate[date.description] ?? DayActivity(localDate: date.description)
                for (slot, count) in day.answersBySlot { slots[slot, default: 0] += count }
                notes += day.notes
                if day.answers + day.notes > 0 { practisedDays += 1 }
                days.append(
                    StatsResult.Day(
                        date: date.description, answers: day.answers, notes: day.notes, mood: day.mood.map(rounded),
                        energy: day.energy.map(rounded)))
            }
            let answers = slots.sorted { slotOrder($0.key) < slotOrder($1.key) }
                .map { StatsResult.SlotCount(slot: $0.key.isEmpty ? "other" : $0.key, count: $0.value) }
            weekList.append(
                StatsResult.Week(start: monday.description, answers: answers, notes: notes, practisedDays: practisedDays))
        }
        return StatsResult(
            today: today.description, from: from.description,
            streak: StatsResult.Streak(
                current: streaks.current?.days ?? 0, currentSince: streaks.current?.from.description,
                best: streaks.best?.days ?? 0, bestSince: streaks.best?.from.description,
                bestUntil: streaks.best?.to.description, graceDaysPerWeek: Streak.graceDaysPerWeek),
            practisedDays: weekList.reduce(0) { $0 + ($1.practisedDays ?? 0) }, weeks: weekList, days: days)
    }

    /// Built-in slots in the order of a day, then custom slots by name, then answers without a slot.
    static func slotOrder(_ slot: String) -> (Int, String) {
        let builtIn = ["intention", "nudge", "break", "reflection", "review"]
        if let index = builtIn.firstIndex(of: slot) { return (index, "") }
        return slot.isEmpty ? (builtIn.count + 1, "") : (builtIn.count, slot)
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}

extension StatsResult {
    /// `streaks = false`: no streak and no count of practised days, here or anywhere.
    mutating func hideCounts() {
        streak = nil
        practisedDays = nil
        for index in weeks.indices { weeks[index].practisedDays = nil }
    }
}
