import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// Leaving degraded mode without a restart: a journal that could not be opened (a full disk at
/// start, an unmounted home, a file that was not the person's) is tried again on `reload` and,
/// at most once per ``Daemon/journalRetryInterval``, when a request that needs it arrives.
extension Daemon {
    /// The least time between two tries on behalf of requests. Opening checks the whole file
    /// (quick_check) and would be costly if a shell prompt asked every second.
    static let journalRetryInterval: TimeInterval = 30

    /// Tries to open the journal again when it is unavailable. `force` (reload) tries whatever the
    /// time since the last try. Returns whether the journal is usable now.
    @discardableResult
    func retryJournal(force: Bool) -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        guard journalProblem != nil else { return true }
        // A locked journal opens with its key (Daemon+Encryption), not by trying again.
        guard journalLock == nil else { return false }
        let now = clock.now
        // abs: a wall clock set back must not stop the retries for as long as it went back.
        if !force, let last = lastJournalRetry, abs(now.timeIntervalSince(last)) < Self.journalRetryInterval {
            return false
        }
        lastJournalRetry = now
        let store: AppDatabase
        do {
            // quick_check runs over the whole file: a large journal keeps the watchdog fed.
            store = try AppDatabase.open(
                path: paths.databaseFile, key: journalKey, progress: { [notifier] in notifier.keepAlive() })
        } catch {
            journalOpenError = error
            journalProblem = error.description
            journalSummary = Self.summary(of: error)
            log.warning("the journal is still unavailable: \(error.description)")
            return false
        }
        for notice in store.notices { log.notice("\(notice)") }
        let standIn = journal
        carryPendingPrompts(from: standIn, to: store)
        carryPause(from: standIn, to: store)
        // The stand-in is parked, never freed, like every GRDB connection (see ConnectionParking).
        try? standIn?.close()
        journal = store
        journalProblem = nil
        journalSummary = nil
        lastJournalRetry = nil
        log.notice("the journal at \(paths.databaseFile) is available again; answers are saved from now on")
        scheduler.tick()
        notifier.status(statusLine())
        return true
    }

    /// A pause or a resume the person asked for while the journal was away still holds: the
    /// stand-in's last word on it is written to the journal, with its event and span, as the
    /// command would have been. Nothing is written when they did neither.
    private func carryPause(from standIn: AppDatabase?, to store: AppDatabase) {
        guard let standIn, let events = try? standIn.events(),
            let last = events.last(where: { $0.kind == .paused || $0.kind == .resumed })
        else { return }
        do throws(StoreError) {
            if last.kind == .resumed {
                try store.resumePrompts(stateKey: Scheduler.pausedKey, at: last.at)
            } else if let value = try standIn.state(forKey: Scheduler.pausedKey) {
                let end = Int64(value).map { Date(timeIntervalSince1970: Double($0) / 1000) }
                try store.pausePrompts(
                    value: value, stateKey: Scheduler.pausedKey, until: end.map { Timestamp.string($0, in: timeZone) },
                    endsAt: end, at: last.at)
            }
        } catch {
            log.warning("a pause set while the journal was away could not be kept: \(error.description)")
        }
    }

    /// Prompts delivered while the journal was away are still waiting: they move to the journal
    /// (a prompt it already has, by slot and scheduled time, is kept once) so they can be answered.
    private func carryPendingPrompts(from standIn: AppDatabase?, to store: AppDatabase) {
        guard let standIn, let waiting = try? standIn.pendingDeliveries() else { return }
        for delivery in waiting {
            do throws(StoreError) {
                // The row and its events in one transaction, as every prompt's are.
                try store.keepPrompt(delivery)
            } catch {
                log.warning("a prompt delivered while the journal was away could not be kept: \(error.description)")
            }
        }
    }
}
