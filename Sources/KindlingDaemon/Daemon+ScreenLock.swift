import Dispatch
import KindlingCore
import KindlingStore
import KindlingSystemd

/// `[delivery] discreet = "when-locked"`: the screen lock decides what a channel may say.
extension Daemon {
    /// Whether `channel` may carry a prompt's text now, as `[delivery] discreet` and the
    /// screen lock say. Without a lock watch (no channel follows the lock) the screen counts
    /// as unlocked; so it does when nothing on either bus can tell.
    func showsText(on channel: DiscreetSettings.Channel) -> Bool {
        config.delivery.discretion.showsText(on: channel, screenLocked: screenLock?.isLocked ?? false)
    }

    /// Watches the screen lock while some channel follows it, and stops when none does.
    /// Called with ``configureDesktop()``: when the daemon becomes ready and after every reload.
    func configureScreenLock() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard config.delivery.discretion.followsLock else {
            screenLock?.stop()
            screenLock = nil
            return
        }
        guard screenLock == nil else { return }
        let watch = ScreenLockWatch(environment: environment, queue: queue, log: log)
        watch.onChange = { [unowned self] _ in self.screenLockChanged() }
        screenLock = watch
        watch.start()
    }

    /// Rewrites the notifications on screen for the new lock state: a locked screen loses a
    /// prompt's text at once, an unlocked one gets it back. Closed ones stay closed.
    private func screenLockChanged() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard config.delivery.discretion.desktop == .whenLocked, let desktop,
            let waiting = try? journal.pendingDeliveries()
        else { return }
        let now = clock.now
        for delivery in waiting where delivery.status == .pending && delivery.expiresAt > now {
            desktop.update(notificationContent(for: delivery))
        }
    }
}
