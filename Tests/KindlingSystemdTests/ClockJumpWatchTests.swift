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
}
