import Dispatch
import Foundation
import KindlingCalendar
import KindlingControl
import KindlingCore
import KindlingSystemd

/// The person's calendar (`[calendar] path`) as the daemon holds it. Queue-confined.
final class CalendarState {
    /// What the last read found; nil without a calendar.
    var snapshot: CalendarSnapshot? { didSet { reads &+= 1 } }
    /// Counts the changes of `snapshot`, so that what was made from one can tell it is stale.
    private(set) var reads = 0
    /// The path read, `~/` expanded.
    var path: String?
    /// Whether the path is a folder that is watched itself. False for a folder that could not
    /// be watched (not readable): the watches are set up again on the next read, so a folder
    /// made readable is watched from then on.
    var watchedFolder = false
    /// inotify watches on the file's folder, and on the folder itself when the path is one.
    var watches: [DirectoryWatch] = []
    /// The problems already logged: a file that stays malformed is reported once, not on
    /// every read.
    var reported: Set<String> = []
    /// How long the last read took (for the log and the issue's figures).
    var lastReadSeconds: Double = 0

    /// The busy periods the schedule and the planner use.
    var busy: [BusyPeriod] { snapshot?.busy ?? [] }
}

extension Daemon {
    /// The schedule in force: configuration, zone and the calendar's busy events. Made again
    /// only when one of them changed: a schedule keeps the days it has worked out, and one
    /// tick asks for the same days several times.
    var schedule: Schedule {
        let zone = timeZone
        if let made = madeSchedule, made.calendarRead == calendar.reads, made.schedule.timeZone == zone {
            return made.schedule
        }
        let schedule = Schedule(configuration: config, timeZone: zone, busy: calendar.busy)
        madeSchedule = (schedule, calendar.reads)
        return schedule
    }

    /// Reads the calendar the configuration names and watches it for changes; forgets it when
    /// the configuration names none. At start and after every reload (before the tick).
    func configureCalendar() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let configured = config.calendar.path else {
            calendar.snapshot = nil
            calendar.path = nil
            calendar.watches = []
            calendar.reported = []
            return
        }
        let path = Self.expandingHome(configured, home: environment["HOME"])
        // Watched again when the path changes, and when a folder comes, goes, or could not be
        // watched last time (it was not readable then).
        if path != calendar.path || isFolder(path) != calendar.watchedFolder {
            calendar.path = path
            watchCalendar(path)
        }
        readCalendar()
    }

    /// Reads the calendar again (the horizon moves on) when its horizon is half used up.
    /// Called by every tick, before planning.
    func refreshCalendarIfDue(now: Date) {
        guard let snapshot = calendar.snapshot else { return }
        if now.timeIntervalSince(snapshot.horizon.start) > CalendarReader.horizonAhead / 2 || now < snapshot.horizon.start {
            readCalendar()
        }
    }

    /// When the calendar must be read again at the latest (the timer is armed for it too, so a
    /// day with no other prompt still moves the horizon).
    var calendarRefreshDeadline: Date? {
        calendar.snapshot.map { $0.horizon.start.addingTimeInterval(CalendarReader.horizonAhead / 2 + 1) }
    }

    private func readCalendar() {
        guard let path = calendar.path else { return }
        let started = DispatchTime.now()
        let startedCPU = Self.threadCPUSeconds()
        let snapshot = CalendarReader.load(path: path, now: clock.now, floatingZone: timeZone)
        calendar.lastReadSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        // CPU time too: on a busy machine the wall time mostly measures the wait for a core.
        let readCPU = Self.threadCPUSeconds() - startedCPU
        calendar.snapshot = snapshot
        statusCache = nil
        for problem in snapshot.problems where !calendar.reported.contains(problem) {
            log.warning("calendar: \(problem)")
        }
        calendar.reported = Set(snapshot.problems)
        log.info(
            "calendar: \(snapshot.files.count) file(s), \(snapshot.eventCount) event(s), \(snapshot.busy.count) busy period(s) ahead, read in \(String(format: "%.1f", calendar.lastReadSeconds * 1000)) ms (\(String(format: "%.1f", readCPU * 1000)) ms CPU)"
        )
    }

    /// inotify, never polling: the file's folder (a file replaced by rename, or one that does
    /// not exist yet), and the folder itself when the path is a folder of `.ics` files.
    private func watchCalendar(_ path: String) {
        var watches: [DirectoryWatch] = []
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let changed: () -> Void = { [weak self] in self?.calendarChanged() }
        if let watch = DirectoryWatch(directory: parent.isEmpty ? "/" : parent, names: [name], queue: queue, onChange: changed) {
            watches.append(watch)
        }
        // A folder's own watch needs read access, as listing it does: one that cannot be read is
        // not watched (watchedFolder stays false), and is tried again at the next read.
        var watchedFolder = false
        if isFolder(path),
            let watch = DirectoryWatch(
                directory: path, matching: { $0.lowercased().hasSuffix(".ics") && !$0.hasPrefix(".") }, queue: queue,
                onChange: changed)
        {
            watches.append(watch)
            watchedFolder = true
        }
        calendar.watchedFolder = watchedFolder
        calendar.watches = watches
    }

    /// A calendar file changed: read it again, plan again.
    private func calendarChanged() {
        dispatchPrecondition(condition: .onQueue(queue))
        configureCalendar()
        scheduler.tick()
        notifier.status(statusLine())
    }

    private func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    /// CPU time the calling thread has used, in seconds.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// `~/x` is `$HOME/x`.
    static func expandingHome(_ path: String, home: String?) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home, !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// The calendar for `status` (and so `kindling doctor`); nil without one.
    func calendarStatus(now: Date) -> StatusResult.CalendarStatus? {
        guard let snapshot = calendar.snapshot else { return nil }
        let schedule = self.schedule
        let today = schedule.localDate(of: now)
        let dayStart = schedule.instant(today, .midnight)
        let dayEnd = schedule.instant(today.adding(days: 1), .midnight)
        let eventsToday = snapshot.busy.filter { $0.start < dayEnd && $0.end > dayStart }.count
        let busyUntil = schedule.busy.heldEnd(at: now).map { Timestamp.string($0, in: timeZone) }
        return StatusResult.CalendarStatus(
            path: snapshot.path, files: snapshot.files.count, eventsToday: eventsToday,
            holds: config.calendar.hold, busyUntil: busyUntil, problems: snapshot.problems)
    }
}
