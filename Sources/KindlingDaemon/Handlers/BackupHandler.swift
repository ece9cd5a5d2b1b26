import Foundation
import KindlingControl
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// `backup`: a consistent copy of the journal now, to a file the caller names or as today's snapshot.
enum BackupHandler {
    static func handle(_ daemon: Daemon, output: String?) -> Result<BackupResult, ControlError> {
        if let problem = daemon.journalProblem {
            return .failure(ControlError(.storage, "no backup was taken: \(problem)"))
        }
        if let output, daemon.isJournalFile(output) {
            return .failure(ControlError(.badRequest, "\(output) is the journal itself; choose another file for the backup"))
        }
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
