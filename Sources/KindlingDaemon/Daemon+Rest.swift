import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

// Rest never costs: paused days are stepped over by streaks, the first prompt after a pause may
// welcome the person back (never telling what they were away from), and each program keeps its
// own progress.
extension Daemon {
    // MARK: - Paused days

    /// Every local date from `since` through `today` that a pause covered, in part or whole.
    /// Generous on purpose: a day paused for an evening is a day of rest.
    func pausedDays(since: LocalDate?, through today: LocalDate) -> Set<LocalDate> {
        let schedule = Schedule(configuration: config, timeZone: timeZone)
        let now = clock.now
        let floor = since.map { schedule.instant($0, .midnight) }
        guard let spans = try? journal.pauseSpans(since: floor) else { return [] }
        var days = Set<LocalDate>()
        for span in spans {
            let end = min(span.end ?? now, now)
            guard end >= span.start else { continue }
            var day = max(schedule.localDate(of: span.start), since ?? schedule.localDate(of: span.start))
            let last = min(schedule.localDate(of: end), today)
            // A pause ending exactly at midnight does not reach into the day it ends on.
            let lastCovered = end > span.start && schedule.instant(last, .midnight) == end ? last.adding(days: -1) : last
            while day <= lastCovered {
                days.insert(day)
                day = day.adding(days: 1)
            }
        }
        return days
    }

    /// The streaks, with paused days stepped over; nil when `streaks = false`.
    func streaks(practised: Set<LocalDate>, since: LocalDate?, today: LocalDate) -> Streaks? {
        guard config.streaks else { return nil }
        return Streak.compute(practised: practised, paused: pausedDays(since: since, through: today), today: today)
    }

    /// Whether a prompt due at `scheduledAt` is the first since a pause ended: it may then say
    /// welcome back. It never says what happened, or did not, meanwhile.
    ///
    /// It depends on the journal and `scheduledAt` only, not on the clock: a prompt composed
    /// ahead of a pause's end (see ``PromptLifecycle``) reads the same as one composed at it.
    func isFirstPromptAfterPause(at scheduledAt: Date) -> Bool {
        guard let last = (try? journal.pauseSpans(since: scheduledAt.addingTimeInterval(-14 * 86_400)))?.last,
            let end = last.end, end <= scheduledAt
        else { return false }
        return ((try? journal.deliveryCount(scheduledSince: end)) ?? 1) == 0
    }

    // MARK: - Programs

    /// Where the program in use stands on `day`: it advances by the practised days inside its
    /// own runs, from `[program] start` when one is given, or from where the person began again
    /// or moved on (`kindling program start --over`, `skip`). Switching programs ends one run
    /// and begins (or resumes) another.
    func programPosition(on day: LocalDate) -> ProgramPosition? {
        var settings = activeProgramSettings()
        guard settings.name != .none else {
            closeProgramRun()
            return nil
        }
        let name = settings.name.rawValue
        guard let definition = programDefinition(named: name) else { return nil }
        let runs = currentProgramRuns(name, firstDay: day)
        let own = runs.filter { $0.program == name }
        let progress = (try? journal.programProgress(name)) ?? ProgramProgress()
        settings.skip = Array(Set(settings.skip).union(progress.skipped)).sorted()
        let fromStep = progress.mark?.step ?? 1
        guard let first = own.map(\.startedOn).min() else {
            return ProgramEngine.position(
                settings: settings, practisedDaysBefore: 0, definition: definition, fromStep: fromStep)
        }
        let floor = [first, settings.start?.description ?? first, progress.mark?.day ?? first].max() ?? first
        let practised = ((try? journal.practisedDays(since: floor)) ?? []).filter { date in
            date < day.description && own.contains { $0.contains(date) }
        }
        return ProgramEngine.position(
            settings: settings, practisedDaysBefore: practised.count, definition: definition, fromStep: fromStep)
    }

    /// The program runs, after making `program` the one in use when it is not yet. Reads only,
    /// unless the program changed: `status` must not write on every call.
    private func currentProgramRuns(_ program: String, firstDay day: LocalDate) -> [ProgramRun] {
        let runs = (try? journal.programRuns()) ?? []
        if runs.contains(where: { $0.endedOn == nil && $0.program == program }) { return runs }
        let today = journalDate(of: clock.now)
        return (try? journal.useProgram(program, on: today.description, firstStart: firstProgramDay(day))) ?? runs
    }

    /// `name = "none"`: the run in use, if any, ends today (its progress is kept).
    private func closeProgramRun() {
        guard let runs = try? journal.programRuns(), runs.contains(where: { $0.endedOn == nil }) else { return }
        _ = try? journal.useProgram(nil, on: journalDate(of: clock.now).description, firstStart: "")
    }

    /// The day the very first run began: `[program] start`, the day the program began before
    /// runs were kept, or `day`.
    func firstProgramDay(_ day: LocalDate) -> String {
        let known = [config.program.start?.description, (try? journal.state(forKey: "program.started_on")) ?? nil]
        return (known.compactMap { $0 } + [day.description]).min() ?? day.description
    }
}
