import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `status`: what the daemon is doing and anything that stands in the way of a prompt.
///
/// Scripts and shell prompts poll it, so what it reads from the journal and computes from
/// the schedule is kept in a ``StatusSnapshot`` until the journal is written, the
/// configuration, zone or last error changes, or the clock reaches the next thing that
/// moves it (the next prompt, the end of a pause, midnight). The rest (uptime, the desktop
/// channel) is read fresh on every request, and the response is written without JSONEncoder.
enum StatusHandler {
    static func handle(_ daemon: Daemon) -> Result<StatusResult, ControlError> {
        .success(status(daemon))
    }

    /// The response line for request `id`.
    static func responseLine(_ daemon: Daemon, id: Int) -> [UInt8] {
        status(daemon).responseLine(id: id)
    }

    static func status(_ daemon: Daemon) -> StatusResult {
        let now = daemon.clock.now
        let snapshot = daemon.statusSnapshot(at: now)
        var status = StatusResult(
            version: KindlingVersion.string,
            pid: processID,
            uptimeS: (now.timeIntervalSince(daemon.startedAt) * 1000).rounded() / 1000,
            paused: snapshot.paused,
            pausedUntil: snapshot.pausedUntil,
            timezone: snapshot.key.timeZoneName,
            next: snapshot.next,
            pending: snapshot.pending,
            configPath: daemon.configSource,
            databasePath: daemon.paths.databaseFile,
            socketPath: daemon.paths.socketFile,
            notifications: daemon.notificationsStatus,
            journal: daemon.journalProblem ?? "ok",
            statusLine: snapshot.statusLine,
            lastError: daemon.lastError
        )
        status.program = snapshot.program
        status.today = snapshot.todayText
        status.desktop = daemon.desktopStatus
        status.todaysIntention = snapshot.todaysIntention
        status.streak = snapshot.streak
        status.calendar = daemon.calendarStatus(now: now)
        status.calls = daemon.callsStatus
        status.encryption = daemon.encryptionStatus
        return status
    }

    private static let processID = getpid()

    /// Computes everything ``StatusSnapshot`` holds, at `now`.
    static func snapshot(_ daemon: Daemon, key: StatusSnapshot.Key, at now: Date) -> StatusSnapshot {
        let zone = daemon.timeZone
        let schedule = daemon.schedule
        let upcoming = schedule.occurrences(after: now, count: 5)
        let pausedUntil = try? daemon.scheduler.pausedUntil(now: now)
        let day = schedule.localDate(of: now)
        // Valid until the next occurrence is due, a pause ends, or the day turns.
        var until = schedule.instant(day.adding(days: 1), .midnight)
        if let first = upcoming.first { until = min(until, first.at) }
        if let pausedUntil, pausedUntil != .distantFuture { until = min(until, pausedUntil) }
        var pending: [StatusResult.Pending] = []
        var pendingError: StoreError?
        do throws(StoreError) {
            pending = try daemon.pendingPrompts()
        } catch {
            pendingError = error
        }
        return StatusSnapshot(
            key: key, from: now, until: until,
            paused: pausedUntil != nil,
            pausedUntil: pausedUntil.flatMap { $0 == .distantFuture ? nil : Timestamp.string($0, in: zone) },
            next: upcoming.map { StatusResult.Next(slot: $0.slot, at: Timestamp.string($0.at, in: zone)) },
            pending: pending, pendingError: pendingError,
            statusLine: daemon.statusLine(),
            today: day, todayText: day.description,
            program: daemon.programPosition(on: day)?.description,
            todaysIntention: (try? daemon.journal.answerText(slot: "intention", localDate: day.description)) ?? nil,
            streak: daemon.journalProblem == nil ? currentStreak(daemon, today: day) : nil)
    }

    /// The current streak's practised days. Reads the last two months first (an indexed range)
    /// and the whole history only when the streak reaches back that far: status stays quick on
    /// a ten-year journal.
    /// Nil with `streaks = false`: no count is shown.
    static func currentStreak(_ daemon: Daemon, today: LocalDate) -> Int? {
        guard daemon.config.streaks else { return nil }
        let window = today.adding(days: -62)
        func streak(since start: LocalDate?) -> StreakRun?? {
            guard let days = try? daemon.journal.practisedDays(since: start?.description) else { return nil }
            let practised = Set(days.compactMap(LocalDate.init))
            return .some(daemon.streaks(practised: practised, since: start, today: today)?.current)
        }
        guard let recent = streak(since: window) else { return nil }
        if let run = recent, run.from <= window.adding(days: 14) {
            return (streak(since: nil) ?? recent)?.days ?? 0
        }
        // A long pause can hold a streak from before the window alive.
        if recent == nil, !daemon.pausedDays(since: window, through: today).isEmpty {
            return (streak(since: nil) ?? recent)?.days ?? 0
        }
        return recent?.days ?? 0
    }
}

/// The part of `status` that comes from the journal, the configuration and the clock.
struct StatusSnapshot {
    /// Everything besides the clock that the snapshot was computed from; any change and it is
    /// computed again.
    struct Key: Equatable {
        /// ``AppDatabase/generation``: moves on every write, and when the journal is replaced.
        var journalGeneration: AppDatabase.Generation
        var config: Configuration
        var timeZoneName: String
        var timeZone: TimeZone
        var journalProblem: String?
        var lastError: String?
    }

    var key: Key
    /// Valid for `from <= now < until` (a clock set back recomputes too).
    var from: Date
    var until: Date

    var paused: Bool
    var pausedUntil: String?
    var next: [StatusResult.Next]
    var pending: [StatusResult.Pending]
    /// Why the waiting prompts could not be read (`status` then shows none, `pending` fails).
    var pendingError: StoreError?
    var statusLine: String
    var today: LocalDate
    /// `today` as `YYYY-MM-DD` (formatting it on every request cost more than the rest of it).
    var todayText: String
    var program: String?
    var todaysIntention: String?
    var streak: Int?

    func isValid(for key: Key, at now: Date) -> Bool {
        from <= now && now < until && self.key == key
    }
}

extension Daemon {
    /// The snapshot for `now`: the kept one while it holds, else a new one (then kept).
    func statusSnapshot(at now: Date) -> StatusSnapshot {
        dispatchPrecondition(condition: .onQueue(queue))
        // The generation is read before computing: a write made meanwhile (an expired pause
        // being cleared) makes the next request compute again rather than keep a stale view.
        let key = StatusSnapshot.Key(
            journalGeneration: journal.generation, config: config, timeZoneName: timeZoneName, timeZone: timeZone,
            journalProblem: journalProblem, lastError: lastError)
        if let kept = statusCache, kept.isValid(for: key, at: now) { return kept }
        let fresh = StatusHandler.snapshot(self, key: key, at: now)
        statusCache = fresh
        return fresh
    }
}
