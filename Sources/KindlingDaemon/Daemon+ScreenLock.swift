import Dispatch
import KindlingCore
import KindlingStore
import KindlingSystemd

/// `[delivery] discreet = "when-locked"`: the screen lock decides what a channel may say.
extension Daemon {
    /// Whether `channel` may carry a prompt's text now, as `[delivery] discreet` and the
    /// screen lock say. Without a lock watch (no channel follows the lock) the screen counts
    /// as unlocked; so it does when nothing on either bus can tell.
    ///
    /// Until the lock is known (the first answers, at most five seconds after the watch
    /// started), the hook counts the screen as locked: a hook that has run cannot be taken back,
    /// while a notification is rewritten once the answer comes.
    func showsText(on channel: DiscreetSettings.Channel) -> Bool {
        let unknown = channel == .hook && screenLock.map { !$0.isSettled } ?? false
        return config.delivery.discretion.showsText(on: channel, screenLocked: unknown || (screenLock?.isLocked ?? false))
    }

    /// Watches the screen lock while some channel follows it, and stops when none does.
    /// Called with ``configureDesktop()``: when the daemon becomes ready and after every reload.
    func configureScreenLock() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard config.delivery.discretion.followsLock else {
            guard let watch = screenLock else { return }
            let wasLocked = watch.isLocked
            watch.stop()
            screenLock = nil
            // What is on screen was written for a locked screen that no longer counts.
            if wasLocked { refreshNotifications() }
            return
        }
        guard screenLock == nil else { return }
        let watch = ScreenLockWatch(environment: environment, queue: queue, log: log)
        watch.onChange = { [unowned self] _ in
            // Only notifications change with the lock; a hook has already run.
            if self.config.delivery.discretion.desktop == .whenLocked { self.refreshNotifications() }
        }
        screenLock = watch
        watch.start()
    }

    /// Rewrites the notifications on screen for the lock as it is now: a locked screen loses a
    /// prompt's text at once, an unlocked one gets it back. Closed ones stay closed.
    private func refreshNotifications() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let desktop, let waiting = try? journal.pendingDeliveries() else { return }
        let now = clock.now
        for delivery in waiting where delivery.status == .pending && delivery.expiresAt > now {
            desktop.update(notificationContent(for: delivery))
        }
    }
}
