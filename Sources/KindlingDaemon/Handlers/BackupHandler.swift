import Foundation
import KindlingControl
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// `backup`: a consistent copy of the journal now, to a file the caller names or as today's snapshot.
enum BackupHandler {
    static func handle(_ daemon: Daemon, output: String?, replace: Bool = false) -> Result<BackupResult, ControlError> {
        if let output, daemon.isJournalFile(output) {
            return .failure(ControlError(.badRequest, "\(output) is the journal itself; choose another file for the backup"))
        }
        if let output, let refusal = refusal(output, replace: replace) { return .failure(refusal) }
        do throws(StoreError) {
            let path =
                if let output { try daemon.journal.backup(to: output) } else {
                    try daemon.takeSnapshot(to: daemon.dailySnapshotPath(at: daemon.clock.now))
                }
            daemon.log.info("backed up the journal to \(path)")
            return .success(BackupResult(path: path))
        } catch {
            return .failure(Daemon.copyFailure(error, "no backup was taken"))
        }
    }
}

extension BackupHandler {
    /// Why `output` must not be written: it is something other than a regular file (the copy is
    /// renamed into place, which would swap out a device node or a fifo), or an existing file
    /// the person did not agree to replace.
    static func refusal(_ output: String, replace: Bool) -> ControlError? {
        var info = stat()
        guard lstat(output, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return ControlError(.badRequest, "\(output) is not a regular file; no backup was taken. Choose a new file name.")
        }
        guard replace else {
            return ControlError(
                .conflict, "\(output) already exists; no backup was taken (`kindling backup --force` replaces it)")
        }
        return nil
    }
}

extension Daemon {
    /// True if `path` names the journal or one of its SQLite sidecar files (by name or by inode).
    func isJournalFile(_ path: String) -> Bool {
        let journalPath = URL(fileURLWithPath: paths.databaseFile).standardizedFileURL.path
        let candidate = URL(fileURLWithPath: path).standardizedFileURL.path
        if [journalPath, journalPath + "-wal", journalPath + "-shm", journalPath + "-journal"].contains(candidate) {
            return true
        }
        var a = stat()
        var b = stat()
        return stat(candidate, &a) == 0 && stat(journalPath, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// A failed copy, worded for the person (`what`: "no backup was taken").
    static func copyFailure(_ error: StoreError, _ what: String) -> ControlError {
        switch error {
        case .unwritable(let path, let reason):
            ControlError(.storage, "\(what): \(path) cannot be written: \(reason)")
        default:
            ControlError(.storage, "\(what): \(error.description)")
        }
    }
}
