import Foundation
import KindlingControl
import KindlingCore

/// `status`: what the daemon is doing and anything that stands in the way of a prompt.
enum StatusHandler {
    static func handle(_ daemon: Daemon) -> Result<StatusResult, ControlError> {
        let zone = daemon.timeZone
        let next = daemon.upcoming(count: 5).map { StatusResult.Next(slot: $0.slot, at: Timestamp.string($0.at, in: zone)) }
        let pausedUntil = try? daemon.scheduler.pausedUntil(now: daemon.clock.now)
        let day = Schedule(configuration: daemon.config, timeZone: zone).localDate(of: daemon.clock.now)
        var status = StatusResult(
            version: KindlingVersion.string,
            pid: getpid(),
            uptimeS: (daemon.clock.now.timeIntervalSince(daemon.startedAt) * 1000).rounded() / 1000,
            paused: pausedUntil != nil,
            pausedUntil: pausedUntil.flatMap { $0 == .distantFuture ? nil : Timestamp.string($0, in: zone) },
            timezone: daemon.timeZoneName,
            next: next,
            pending: (try? daemon.pendingPrompts()) ?? [],
            configPath: daemon.configSource,
            databasePath: daemon.paths.databaseFile,
            socketPath: daemon.paths.socketFile,
            notifications: daemon.notificationsStatus,
            journal: daemon.journalProblem ?? "ok",
            statusLine: daemon.statusLine(),
            lastError: daemon.lastError
        )
        status.program = daemon.programPosition(on: day)?.description
        status.today = day.description
        status.desktop = daemon.desktopStatus
        status.todaysIntention = (try? daemon.journal.answerText(slot: "intention", localDate: day.description)) ?? nil
        if daemon.journalProblem == nil {
            status.streak = currentStreak(daemon, today: day)
        }
        return .success(status)
    }

    /// The current streak's practised days. Reads the last two months first (an indexed range)
    /// and the whole history only when the streak reaches back that far: status stays quick on
    /// a ten-year journal.
    static func currentStreak(_ daemon: Daemon, today: LocalDate) -> Int? {
        let window = today.adding(days: -62)
        func streak(since start: LocalDate?) -> StreakRun?? {
            guard let days = try? daemon.journal.practisedDays(since: start?.description) else { return nil }
            return .some(Streak.compute(practised: Set(days.compactMap(LocalDate.init)), today: today).current)
        }
        guard let recent = streak(since: window) else { return nil }
        if let run = recent, run.from <= window.adding(days: 14) {
            return (streak(since: nil) ?? recent)?.days ?? 0
        }
        return recent?.days ?? 0
    }
}
