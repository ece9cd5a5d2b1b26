import CSystemd
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Reports wall-clock jumps (the clock set by hand or by NTP, a step after resume): a
/// CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET becomes readable, and its
/// read fails with ECANCELED, whenever the clock is set. libdispatch's wall timers never
/// say so. Queue-confined.
public final class ClockJumpWatch: @unchecked Sendable {
    private let fd: Int32
    private let queue: DispatchQueue
    private var source: DispatchSourceRead?
    private let horizon: Int64
    private let onJump: () -> Void
    /// How many times the timerfd woke the queue (tests check that it does not spin).
    public private(set) var wakeups = 0
    /// The wall-clock second the timer is armed for.
    public private(set) var armedFor: Int64 = 0

    /// The timerfd could not be created.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// Why, in a few words (strerror).
        public let description: String
    }

    /// How far ahead of the wall clock the timer is armed. It must expire some time: an
    /// absolute "end of time" such as 0x7fffffff is reached in 2038, after which the timer
    /// would expire as soon as it is armed. Once a year, a plain expiry re-arms it.
    public static let defaultHorizon: Int64 = 366 * 86_400

    /// Starts watching; `onJump` runs on `queue` after each jump. `firstDeadline` (seconds
    /// since the epoch) lets a test arm it at a time the clock has already passed.
    public init(
        queue: DispatchQueue, firstDeadline: Int64? = nil, horizon: Int64 = defaultHorizon, onJump: @escaping () -> Void
    ) throws(Failure) {
        let fd = kindling_clock_jump_fd()
        guard fd >= 0 else { throw Failure(description: String(cString: strerror(-fd))) }
        self.fd = fd
        self.queue = queue
        self.onJump = onJump
        self.horizon = horizon
        arm(at: firstDeadline ?? kindling_realtime_seconds() + horizon)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.readable() }
        source.setCancelHandler { [fd] in close(fd) }
        source.resume()
        self.source = source
    }

    deinit { source?.cancel() }

    private func readable() {
        wakeups += 1
        var expirations: UInt64 = 0
        let count = read(fd, &expirations, 8)
        let jumped = count < 0 && errno == ECANCELED
        if count < 0 && !jumped { return }  // EAGAIN: nothing to read after all
        // Re-armed from the current wall clock either way: after a jump the timerfd stays
        // cancelled until it is set again, and after a plain expiry the old deadline is past.
        arm(at: kindling_realtime_seconds() + horizon)
        // Only a jump moves the schedule; a plain expiry is the horizon coming round.
        if jumped { onJump() }
    }

    private func arm(at deadline: Int64) {
        armedFor = deadline
        _ = kindling_clock_jump_arm(fd, deadline)
    }

    /// Stops watching and closes the timerfd.
    public func cancel() {
        source?.cancel()
        source = nil
    }
}
