import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// `restore`: replaces the journal with a sound Kindling journal file (a snapshot or a backup), after
/// a snapshot of the current one. It is also how a damaged journal is repaired: once the restored
/// journal opens, the daemon leaves degraded mode. The CLI asks first.
enum RestoreHandler {
    static func handle(_ daemon: Daemon, path: String) -> Result<RestoreResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        let source = URL(fileURLWithPath: path).standardizedFileURL.path
        if daemon.journalLock != nil, daemon.journalLockHoldsPrompts {
            // The copy would have to be made under a key that is not at hand.
            return .failure(
                ControlError(
                    .badRequest,
                    "nothing was restored: the journal is locked and its key is on its way; unlock it first "
                        + "(`kindling unlock`, or your keyring)"))
        }
        if daemon.isJournalFile(source) {
            return .failure(ControlError(.badRequest, "\(source) is the journal itself; name a snapshot or a backup"))
        }
        // A restore reads and copies whole journals on this queue (1.1 GB took about 30 s), which
        // keeps the watchdog timer from running: SQLite's progress reports feed it instead. The
        // work stays here rather than on another thread because the swap needs the daemon's state
        // still (the journal closed, no request in between), and a request must wait for it anyway.
        let stillWorking: StillWorking = { [notifier = daemon.notifier] in notifier.keepAlive() }
        do throws(StoreError) {
            try AppDatabase.checkRestorable(path: source, key: daemon.key(forCopy: source), progress: stillWorking)
        } catch {
            return .failure(ControlError(.badRequest, "nothing was restored: \(refusal(error, source))"))
        }

        // Keep what is there now, sound or not.
        let previous: String?
        do throws(StoreError) {
            previous = try keepCurrentJournal(daemon, progress: stillWorking)
        } catch {
            return .failure(Daemon.copyFailure(error, "nothing was restored (the current journal could not be kept first)"))
        }

        // Bring the new journal in beside the old one, then swap.
        let journalPath = daemon.paths.databaseFile
        let incoming = JournalFolder.folder(of: journalPath) + "/.journal-restore-\(getpid()).sqlite"
        do throws(StoreError) {
            // Brought in under the journal's own key: a plaintext backup made before the
            // journal was encrypted is encrypted on the way.
            try AppDatabase.copyJournal(
                from: source, sourceKey: daemon.key(forCopy: source), to: incoming, key: daemon.journalKey,
                progress: stillWorking)
        } catch {
            _ = unlink(incoming)
            return .failure(Daemon.copyFailure(error, "nothing was restored"))
        }

        // The old connections are closed (and parked, never freed) before the file under them changes.
        // What was kept in memory from the journal goes with it.
        daemon.forgetKeptWords()
        do throws(StoreError) {
            try daemon.journal.close()
        } catch {
            daemon.log.warning("closing the journal before the restore: \(error.description)")
        }
        // A WAL left by the old journal must never be replayed onto the restored one.
        for sidecar in [journalPath + "-wal", journalPath + "-shm", journalPath + "-journal"] { _ = unlink(sidecar) }
        guard rename(incoming, journalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = unlink(incoming)
            daemon.journalProblem = nil
            daemon.journalSummary = nil
            daemon.openJournal()
            return .failure(ControlError(.storage, "nothing was restored: cannot move the copy into place: \(reason)"))
        }
        AppDatabase.syncFolder(JournalFolder.folder(of: journalPath))

        // A journal that could not be told from damage (no key for it anywhere) is replaced:
        // what is there now is the copy, kept as the journal is (its key, or plaintext).
        daemon.journalLock = nil
        daemon.journalLockHoldsPrompts = false
        daemon.journalProblem = nil
        daemon.journalSummary = nil
        daemon.openJournal(progress: stillWorking)
        if let problem = daemon.journalProblem {
            daemon.notifier.status(daemon.statusLine())
            return .failure(ControlError(.storage, "the restored journal could not be opened: \(problem)"))
        }
        daemon.lastError = nil
        do throws(StoreError) {
            try daemon.journal.recordEvent(.restored, at: daemon.clock.now, detail: ["from": source])
        } catch {
            // The journal is restored either way; only its log misses the line that says so.
            daemon.log.warning("the restore could not be noted in the event log: \(error.description)")
        }
        daemon.log.notice("restored the journal from \(source); the previous one is kept at \(previous ?? "(none)")")
        daemon.scheduler.tick()
        daemon.notifier.status(daemon.statusLine())
        return .success(RestoreResult(path: journalPath, previousSnapshot: previous))
    }

    /// Snapshots the journal as it is: through SQLite when it is sound, else the file's bytes as they
    /// are (a damaged journal is kept, never thrown away). nil when there is no journal file.
    private static func keepCurrentJournal(_ daemon: Daemon, progress: @escaping StillWorking) throws(StoreError) -> String? {
        try daemon.createSnapshotDirectory()
        let stamp = Self.stamp(daemon.clock.now, in: daemon.timeZone)
        var target = daemon.snapshotDirectory + "/" + Daemon.beforeRestoreSnapshotName(stamp: stamp)
        var suffix = 2
        while access(target, F_OK) == 0 {
            target = daemon.snapshotDirectory + "/" + Daemon.beforeRestoreSnapshotName(stamp: stamp, suffix: suffix)
            suffix += 1
        }
        if daemon.journalProblem == nil {
            return try daemon.journal.backup(to: target, progress: progress)
        }
        let journalPath = daemon.paths.databaseFile
        guard access(journalPath, F_OK) == 0 else { return nil }
        for (from, to) in [(journalPath, target), (journalPath + "-wal", target + "-wal")] where access(from, F_OK) == 0 {
            try copyBytes(from: from, to: to)
        }
        return target
    }

    /// A plain byte copy, mode 0600.
    private static func copyBytes(from source: String, to destination: String) throws(StoreError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .unwritable(path: source, reason: String(cString: strerror(errno))) }
        defer { _ = close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .unwritable(path: destination, reason: String(cString: strerror(errno))) }
        defer { _ = close(output) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .unwritable(path: source, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw .unwritable(path: destination, reason: String(cString: strerror(errno))) }
                offset += written
            }
        }
        guard fsync(output) == 0 else {
            throw .storage("the copy could not be written to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes what a restore, a copy or an encryption killed half-way left in the journal's
    /// folder and the snapshots folder: `.journal-restore-PID.sqlite`, and the temporary copies
    /// `.NAME.tmp-PID-N` (a journal or snapshot being written or converted), whose process is
    /// gone. Run at start, before the journal opens; a file of a process still alive (another
    /// daemon on this folder) is left alone. (A conversion's temporary copy may hold the
    /// person's words in the clear, a decryption's: it goes too.)
    static func removeLeftovers(_ daemon: Daemon) {
        let journalFolder = JournalFolder.folder(of: daemon.paths.databaseFile)
        for folder in [journalFolder, daemon.snapshotDirectory] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                guard let pid = leftoverPID(name) else { continue }
                removeLeftover(folder + "/" + name, of: pid, daemon)
            }
        }
    }

    /// The process that wrote the temporary file `name`, or nil when it is not one.
    static func leftoverPID(_ name: String) -> pid_t? {
        let rest: Substring
        if name.hasPrefix(".journal-restore-") {
            rest = name.dropFirst(".journal-restore-".count)
        } else if name.hasPrefix("..journal-restore-") {
            rest = name.dropFirst("..journal-restore-".count)
        } else if name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) {
            rest = name[marker.upperBound...]
            // `.tmp-PID-N`, N the copy's random number, and nothing after but a sidecar suffix.
            let parts = rest.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty,
                parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber)
            else { return nil }
        } else {
            return nil
        }
        guard let pid = pid_t(rest.prefix { $0.isNumber }), pid > 0 else { return nil }
        return pid
    }

    private static func removeLeftover(_ path: String, of pid: pid_t, _ daemon: Daemon) {
        if pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { return }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { return }
        if unlink(path) == 0 {
            daemon.log.notice("removed \(path), left by a copy that did not finish")
        }
    }

    /// Why `path` cannot be restored, in one line.
    private static func refusal(_ error: StoreError, _ path: String) -> String {
        switch error {
        case .corrupt(_, let reason): "\(path) is damaged (\(reason))"
        case .foreign(_, let reason): "\(path) is not a Kindling journal (\(reason))"
        case .newerSchema(_, let unknown):
            "\(path) was written by a newer Kindling (unknown migrations: \(unknown.joined(separator: ", "))); upgrade Kindling first"
        case .unwritable(_, let reason): "\(path): \(reason)"
        default: error.description
        }
    }

    /// `YYYYMMDD-HHMMSS` in `zone`.
    static func stamp(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}

/// The folder part of a path.
enum JournalFolder {
    static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }
}
