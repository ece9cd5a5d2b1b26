import Dispatch
import Foundation
import Testing

@testable import KindlingSystemd

/// The clock-jump timerfd must report jumps and nothing else, whatever the date.
@Suite struct ClockJumpWatchTests {
    /// Case 10 of issue 18: the timerfd was armed at the absolute time 0x7fffffff. Once the
    /// wall clock is past that moment (January 2038), the timer expires at once and, re-armed
    /// at the same moment, again and again: a busy loop recomputing the schedule. The test
    /// does not move the machine's clock: it arms the watch at a time already passed, which
    /// is what the fixed sentinel becomes after 2038.
    @Test func anArmTimeAlreadyPassedDoesNotSpinOrRecompute() throws {
        let queue = DispatchQueue(label: "clock-jump-test")
        nonisolated(unsafe) var jumps = 0
        let passed = Int64(Date().timeIntervalSince1970) - 5
        let watch = try queue.sync { try ClockJumpWatch(queue: queue, firstDeadline: passed) { jumps += 1 } }
        defer { queue.sync { watch.cancel() } }
        usleep(300_000)
        let (wakeups, recomputed) = queue.sync { (watch.wakeups, jumps) }
        print("measured: \(wakeups) timerfd wakeups and \(recomputed) recomputes in 300 ms after a passed arm time")
        #expect(recomputed == 0, "a plain expiry is not a clock jump, yet the schedule was recomputed \(recomputed) times")
        #expect(wakeups <= 2, "the timerfd woke the queue \(wakeups) times in 300 ms: it spins")
    }

    /// Found by CI: a machine whose clock is set many times a second (its guest agent keeping
    /// it in step with the host) woke the idle daemon 255 times in 3 s and recomputed the
    /// schedule on every set. Here the test sets the clock itself, to where it already is, a
    /// hundred times: a set that moves the clock by microseconds is not a jump, and after the
    /// first the watch stops listening for a while. (Setting the clock needs root; CI is.)
    @Test func aStormOfSetsThatDoNotMoveTheClockWakesItOnceAndRecomputesNothing() throws {
        try #require(getuid() == 0, "this test sets the system clock (to the time it already shows) and must run as root")
        let queue = DispatchQueue(label: "clock-jump-test")
        nonisolated(unsafe) var jumps = 0
        let watch = try queue.sync { try ClockJumpWatch(queue: queue) { jumps += 1 } }
        defer { queue.sync { watch.cancel() } }
        for _ in 0..<100 {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            try #require(clock_settime(CLOCK_REALTIME, &now) == 0, "clock_settime: \(String(cString: strerror(errno)))")
            usleep(2_000)
        }
        usleep(100_000)
        let (wakeups, recomputed, armed) = queue.sync { (watch.wakeups, jumps, watch.armedFor) }
        print("measured: \(wakeups) timerfd wakeups and \(recomputed) recomputes after 100 sets of the clock")
        #expect(recomputed == 0, "sets that moved the clock by microseconds recomputed the schedule \(recomputed) times")
        #expect(wakeups <= 2, "100 sets of the clock woke the watch \(wakeups) times")
        #expect(armed == 0, "the watch listens again at once (armed for \(armed)) instead of settling")
    }

    /// The decision itself, with the clock's offset given: a real jump is reported and the
    /// watch listens again at once; a second jump within the settling time is reported too,
    /// then the watch settles; sets that barely move the clock are never reported.
    @Test func jumpsAreReportedAndSetsThatBarelyMoveTheClockAreNot() throws {
        let queue = DispatchQueue(label: "clock-jump-test")
        nonisolated(unsafe) var jumps = 0
        let watch = try queue.sync { try ClockJumpWatch(queue: queue) { jumps += 1 } }
        defer { queue.sync { watch.cancel() } }
        let (offset, start) = (wallClockOffset(), DispatchTime.now().uptimeNanoseconds)
        let hour: Int64 = 3_600_000_000_000
        let minute: UInt64 = 60_000_000_000
        queue.sync {
            watch.clockWasSet(offset: offset + hour, at: start)
            #expect(jumps == 1 && watch.armedFor > 0, "an hour's jump: \(jumps) reported, armed for \(watch.armedFor)")
            watch.clockWasSet(offset: offset + hour + 1_000, at: start + 1_000_000)
            #expect(jumps == 1 && watch.armedFor == 0, "a microsecond's set: \(jumps) reported, armed for \(watch.armedFor)")
            watch.clockWasSet(offset: offset, at: start + 2 * minute)
            #expect(jumps == 2 && watch.armedFor > 0, "an hour back, later: \(jumps) reported, armed for \(watch.armedFor)")
            watch.clockWasSet(offset: offset - hour, at: start + 2 * minute + 1_000_000)
            #expect(jumps == 3 && watch.armedFor == 0, "a second jump at once: \(jumps) reported, armed for \(watch.armedFor)")
        }
    }

    /// By default the timer is armed a horizon ahead of the current wall clock, never at a
    /// fixed date that the clock will one day pass.
    @Test func theTimerIsArmedRelativeToNow() throws {
        let queue = DispatchQueue(label: "clock-jump-test")
        let before = Int64(Date().timeIntervalSince1970)
        let watch = try queue.sync { try ClockJumpWatch(queue: queue) {} }
        defer { queue.sync { watch.cancel() } }
        let armed = queue.sync { watch.armedFor }
        let after = Int64(Date().timeIntervalSince1970)
        #expect(
            armed >= before + ClockJumpWatch.defaultHorizon && armed <= after + ClockJumpWatch.defaultHorizon,
            "armed for \(armed)")
    }

    /// CLOCK_REALTIME minus CLOCK_BOOTTIME in nanoseconds, as the watch measures it.
    private func wallClockOffset() -> Int64 {
        var wall = timespec()
        var boot = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        clock_gettime(CLOCK_BOOTTIME, &boot)
        return (Int64(wall.tv_sec) - Int64(boot.tv_sec)) * 1_000_000_000 + Int64(wall.tv_nsec) - Int64(boot.tv_nsec)
    }
}
