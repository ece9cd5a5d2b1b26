import Foundation
import KindlingControl
import KindlingCore
import KindlingSystemd

/// `breathe`: a short grounding moment on the desktop, at once. It asks nothing back: no
/// prompt waits, nothing is written to the journal and nothing is counted. (The terminal part
/// is the CLI's own, so that it works without the daemon too.)
enum BreatheHandler {
    /// The notifier's id for the moment: not a prompt, and a second one replaces the first.
    static let notificationID: Int64 = -1

    static func handle(_ daemon: Daemon) -> Result<BreatheResult, ControlError> {
        guard daemon.config.delivery.desktop, let desktop = daemon.desktop else {
            return .success(BreatheResult(desktop: "unavailable"))
        }
        if desktop.paused { return .success(BreatheResult(desktop: "quiet")) }
        let content = DesktopNotifier.Content(
            deliveryID: notificationID, summary: Grounding.title, body: Grounding.notificationBody, urgency: .low,
            offersAnswer: false, transient: !daemon.config.delivery.keepInHistory, isPrompt: false)
        return .success(BreatheResult(desktop: desktop.show(content) ? "shown" : "unavailable"))
    }
}
