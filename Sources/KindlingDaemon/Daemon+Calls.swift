import Foundation
import KindlingControl
import KindlingCore
import KindlingSystemd

/// Calls nobody scheduled: while an application records the microphone or takes video, prompts
/// wait on every channel, as during desktop do-not-disturb (see ``PromptPlanner``), and come
/// when it ends if they are still valid. PipeWire tells when (``CaptureWatch``).
extension Daemon {
    /// Starts (or stops) the call watch as `[calls] hold` says. Called when the daemon becomes
    /// ready and after every reload.
    func configureCalls() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard config.calls.hold, let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty else {
            callWatch?.stop()
            callWatch = nil
            return
        }
        if let callWatch {
            callWatch.ignoring = Set(config.calls.ignore)
            return
        }
        let watch = CaptureWatch(runtimeDirectory: runtime, queue: queue, log: log)
        watch.ignoring = Set(config.calls.ignore)
        watch.onChange = { [unowned self] in self.callChanged() }
        callWatch = watch
        watch.start()
    }

    /// Whether a call holds prompts back now (tests set ``callOverride`` instead).
    var callInProgress: Bool {
        callOverride ?? (config.calls.hold && !(callWatch?.holders.isEmpty ?? true))
    }

    /// Whatever holds every prompt back with no end known in advance: the desktop's
    /// do-not-disturb, or a call. The planner treats both alike.
    var promptsHeldBack: Bool { doNotDisturb || callInProgress }

    /// Who holds prompts back now, for `status` and the log ("zoom (microphone)").
    var callHolders: [String] { callWatch?.holders.map(\.description) ?? [] }

    /// Calls as `status` reports them (for `kindling doctor`).
    var callsStatus: StatusResult.CallsStatus {
        guard let callWatch else {
            // Not watched: turned off, or no runtime directory to look in. With both in place
            // the watch is only not started yet (the daemon is getting ready).
            let runtime = environment["XDG_RUNTIME_DIR"].map { !$0.isEmpty } ?? false
            let state = config.calls.hold && runtime ? "not-running" : "off"
            return .init(holds: config.calls.hold, pipewire: state, holders: [], ignored: [])
        }
        let (pipewire, problem): (String, String?) =
            switch callWatch.connection {
            case .connected: ("connected", nil)
            case .notRunning: ("not-running", nil)
            case .failed(let reason): ("failed", reason)
            }
        return .init(
            holds: config.calls.hold, pipewire: pipewire, problem: problem, holders: callHolders,
            ignored: callWatch.ignoredHolders.map(\.description))
    }

    private func callChanged() {
        let holders = callHolders
        if holders.isEmpty {
            log.info("the call ended; prompts that waited come now if they are still open")
        } else {
            log.info("a call is on (\(holders.joined(separator: ", "))); prompts wait until it ends")
        }
        // When it ended, what it held back is due now, on every channel.
        scheduler?.tick()
        notifier.status(statusLine())
    }
}
