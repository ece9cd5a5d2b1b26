import CSystemd
import Dispatch

/// Tells the service manager how the daemon is doing, through sd_notify(3).
///
/// Outside systemd (no `NOTIFY_SOCKET`) every call is a cheap no-op, so the daemon
/// runs the same in a terminal. The watchdog pings come from a timer on the daemon's
/// own serial queue: if that queue is stuck, the pings stop and systemd steps in.
public final class Notifier: @unchecked Sendable {
    /// The watchdog interval systemd asked for (`WATCHDOG_USEC`), if any.
    public let watchdogMicroseconds: UInt64?
    private var watchdogTimer: DispatchSourceTimer?
    /// When ``keepAlive()`` last pinged (monotonic nanoseconds).
    private var lastKeepAlive: UInt64 = 0
    private let sink: @Sendable (String) -> Void

    /// Reads the watchdog settings systemd put in the environment and talks to
    /// `NOTIFY_SOCKET` through sd_notify(3).
    public convenience init() {
        var usec: UInt64 = 0
        // > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID (if set) is this process.
        let watchdog = sd_watchdog_enabled(0, &usec) > 0 && usec > 0 ? usec : nil
        // Failure to reach the manager is not fatal: the daemon keeps serving its person.
        self.init(watchdogMicroseconds: watchdog) { state in _ = sd_notify(0, state) }
    }

    /// A notifier with an explicit watchdog interval and destination (unit tests).
    init(watchdogMicroseconds: UInt64?, sink: @escaping @Sendable (String) -> Void) {
        self.watchdogMicroseconds = watchdogMicroseconds
        self.sink = sink
    }

    deinit {
        watchdogTimer?.cancel()
    }

    // MARK: - State changes

    /// Startup or reload finished: `READY=1` with a human status line.
    public func ready(status: String) {
        send("READY=1\nSTATUS=\(Self.oneLine(status))")
    }

    /// A reload began: `RELOADING=1`. Follow it with ``ready(status:)``.
    public func reloading() {
        send("RELOADING=1\nSTATUS=Reloading the configuration")
    }

    /// Updates the status line systemd shows (`systemctl --user status kindling`).
    public func status(_ line: String) {
        send("STATUS=\(Self.oneLine(line))")
    }

    /// Shutdown began: `STOPPING=1`.
    public func stopping() {
        send("STOPPING=1\nSTATUS=Stopping")
    }

    // MARK: - Watchdog

    /// Starts pinging `WATCHDOG=1` at half the requested interval, from a timer on `queue`
    /// (the daemon's work queue, never a global one). Does nothing without a watchdog.
    public func startWatchdog(on queue: DispatchQueue) {
        guard let usec = watchdogMicroseconds, watchdogTimer == nil else { return }
        let interval = DispatchTimeInterval.microseconds(Int(clamping: usec / 2))
        let timer = DispatchSource.makeTimerSource(flags: [], queue: queue)
        // A tenth of the interval as leeway lets the kernel batch the wakeup with others.
        timer.schedule(deadline: .now(), repeating: interval, leeway: .microseconds(Int(clamping: usec / 20)))
        timer.setEventHandler { [weak self] in self?.send("WATCHDOG=1") }
        timer.resume()
        watchdogTimer = timer
    }

    /// `WATCHDOG=1` from inside one long piece of work on the daemon's queue (a restore of a large
    /// journal), which keeps the timer above from running. Call it from the work's own progress
    /// reports, so that only work that moves feeds the watchdog. At most once per quarter interval;
    /// a no-op without a watchdog.
    public func keepAlive() {
        guard let usec = watchdogMicroseconds else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now &- lastKeepAlive >= usec * 250 else { return }
        lastKeepAlive = now
        send("WATCHDOG=1")
    }

    // MARK: - Sending

    private func send(_ state: String) {
        sink(state)
    }

    /// systemd's STATUS is one line: fold any newlines a message might hold.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
