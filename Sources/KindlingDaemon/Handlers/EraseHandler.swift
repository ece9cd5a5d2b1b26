import Foundation
import KindlingControl
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// `erase --all`: the journal, its WAL and shared-memory files, every automatic snapshot and any
/// copy left half-made are removed, and an empty journal takes their place; the daemon keeps
/// running. Files the person saved elsewhere (`backup --output`, `export`) are not Kindling's to
/// touch. The CLI asks first.
enum EraseHandler {
    static func handle(_ daemon: Daemon) -> Result<EraseResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        // A file that is not Kindling's, or that someone else could have put there, is never
        // Kindling's to remove, even at the person's request.
        let notOurs = [
            Daemon.summary(of: .foreign(path: "", reason: "")), Daemon.summary(of: .notPrivate(path: "", reason: "")),
        ]
        if let summary = daemon.journalSummary, notOurs.contains(summary), let problem = daemon.journalProblem {
            return .failure(ControlError(.forbidden, "nothing was erased: \(problem)"))
        }
        // Prompts on the screen name deliveries that are about to stop existing.
        for delivery in (try? daemon.journal.pendingDeliveries()) ?? [] {
            if let id = delivery.id { daemon.desktop?.withdraw(id) }
        }
        // The connections are closed (and parked, never freed) before their files go.
        // What was kept in memory from the journal goes with it.
        daemon.forgetKeptWords()
        do throws(StoreError) {
            try daemon.journal.close()
        } catch {
            daemon.log.warning("closing the journal before erasing it: \(error.description)")
        }

        let folder = daemon.paths.dataDirectory
        let snapshots = daemon.paths.snapshotDirectory
        let targets = daemon.paths.journalFiles()

        var removed = 0
        var failures: [String] = []
        for path in targets {
            if unlink(path) == 0 {
                removed += 1
            } else if errno != ENOENT {
                failures.append("\(path) (\(String(cString: strerror(errno))))")
            }
        }
        _ = rmdir(snapshots)
        AppDatabase.syncFolder(folder)

        // A locked journal's key is of no use once the journal is gone (and may be lost: that
        // is often why someone erases a locked journal). The new journal starts plaintext.
        if daemon.journalLock != nil {
            // The keyring's item, if any, stays there: it is the person's to remove.
            daemon.keys.forgetPassphrase()
            daemon.keys.forgetKeyringMark()
            daemon.journalLock = nil
            daemon.keyKeeper = nil
            daemon.journalKey = nil
            daemon.journalLockHoldsPrompts = false
        }

        daemon.journalProblem = nil
        daemon.journalSummary = nil
        daemon.openJournal()
        daemon.lastError = nil
        daemon.log.notice("erased the journal and its snapshots at the person's request (\(removed) files)")
        daemon.scheduler.tick()
        daemon.notifier.status(daemon.statusLine())
        guard failures.isEmpty else {
            return .failure(
                ControlError(
                    .storage,
                    "the journal was erased, but these files could not be removed: \(failures.joined(separator: ", "))"))
        }
        return .success(EraseResult(dataDirectory: folder, removedFiles: removed))
    }
}
