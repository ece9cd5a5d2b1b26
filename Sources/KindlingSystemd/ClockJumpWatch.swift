import CSystemd
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Reports wall-clock jumps (the clock set by hand or by NTP, a step after resume): a
/// CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET becomes readable, and its
/// read fails with ECANCELED, whenever the clock is set. libdispatch's wall timers never
/// say so. Queue-confined.
///
/// Some machines set their clock many times a second (a virtual machine's guest agent
/// keeping it in step with the host, for one). Each set wakes the timerfd, so the watch
/// tells a jump from a set that moved the clock by next to nothing (``jumpThreshold``), and
/// after such a set, or a second jump within ``settleDelay``, it stops listening for
/// ``settleDelay`` and then compares the clock with where it stood: a storm of sets costs
/// two wakeups a minute, not one per set. Nothing is lost by waiting: the daemon's prompt
/// timer is itself a wall-clock timer and fires on time after a jump; the recompute only
/// brings the rest of the plan up to date.
public final class ClockJumpWatch: @unchecked Sendable {
    private let fd: Int32
    private let queue: DispatchQueue
    private var source: DispatchSourceRead?
    private var settleTimer: DispatchSourceTimer?
    private let horizon: Int64
    private let onJump: () -> Void
    /// Where the wall clock stood from the time since boot when last looked at (ns).
    private var offset: Int64
    /// When (CLOCK_MONOTONIC, ns) the last set was seen.
    private var lastSet: UInt64?
    /// How many times the timerfd woke the queue (tests check that it does not spin).
    public private(set) var wakeups = 0
    /// The wall-clock second the timer is armed for; 0 while it settles after a set.
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
    /// A set that moves the wall clock by less than this is not a jump (ns).
    public static let jumpThreshold: Int64 = 500_000_000
    /// How long (seconds) the watch stops listening after a set that was not a jump, or
    /// after a second jump in quick succession.
    public static let settleDelay = 60

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
        self.offset = kindling_wall_clock_offset_ns()
        arm(at: firstDeadline ?? kindling_realtime_seconds() + horizon)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.readable() }
        source.setCancelHandler { [fd] in close(fd) }
        source.resume()
        self.source = source
    }

    deinit {
        settleTimer?.cancel()
        source?.cancel()
    }

    private func readable() {
        wakeups += 1
        var expirations: UInt64 = 0
        let count = read(fd, &expirations, 8)
        if count >= 0 {
            // A plain expiry: the horizon came round. Armed again a horizon ahead.
            armAhead()
        } else if errno == ECANCELED {
            clockWasSet(offset: kindling_wall_clock_offset_ns(), at: DispatchTime.now().uptimeNanoseconds)
        }
        // Anything else (EAGAIN) means there was nothing to read after all.
    }

    /// The timerfd said the wall clock was set; `offset` is where it stands now and `at`
    /// the monotonic time (ns).
    func clockWasSet(offset now: Int64, at monotonic: UInt64) {
        let jumped = abs(now - offset) >= Self.jumpThreshold
        let soonAfterAnother = lastSet.map { monotonic &- $0 < UInt64(Self.settleDelay) * 1_000_000_000 } ?? false
        lastSet = monotonic
        if jumped {
            offset = now
            onJump()
        }
        if jumped && !soonAfterAnother {
            armAhead()
        } else {
            settle()
        }
    }

    /// Listens again after ``settleDelay``; a jump made meanwhile is reported then.
    private func settle() {
        // A cancelled timerfd still wakes on every later set: disarmed, it does not.
        armedFor = 0
        _ = kindling_clock_jump_disarm(fd)
        guard settleTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.settled() }
        timer.schedule(deadline: .now() + .seconds(Self.settleDelay), leeway: .seconds(1))
        timer.resume()
        settleTimer = timer
    }

    private func settled() {
        settleTimer?.cancel()
        settleTimer = nil
        // Armed first: a set from here on cancels the timerfd, one before shows in the offset.
        armAhead()
        let now = kindling_wall_clock_offset_ns()
        if abs(now - offset) >= Self.jumpThreshold {
            offset = now
            onJump()
        }
    }

    /// Armed a horizon ahead of the wall clock as it stands now.
    private func armAhead() { arm(at: kindling_realtime_seconds() + horizon) }

    private func arm(at deadline: Int64) {
        armedFor = deadline
        _ = kindling_clock_jump_arm(fd, deadline)
    }

    /// Stops watching and closes the timerfd.
    public func cancel() {
        settleTimer?.cancel()
        settleTimer = nil
        source?.cancel()
        source = nil
    }
}
