import Logging
import Testing

@testable import KindlingDaemon

/// Issue 18, case 8: hooks are bounded (the flood itself is in TortureTests).
@Suite struct HookLimiterTests {
    @Test func aBurstRunsAFewQueuesSomeAndDropsTheRest() {
        let limiter = HookLimiter(log: Logger(label: "test"))
        var started = 0
        var finishers: [() -> Void] = []
        for number in 0..<100 {
            limiter.submit("hook \(number)") { done in
                started += 1
                finishers.append(done)
            }
        }
        #expect(started == HookLimiter.maxRunning)
        #expect(limiter.waitingCount == HookLimiter.maxWaiting)
        // Each hook that ends lets one waiting hook start, until none waits.
        var index = 0
        while index < finishers.count {
            finishers[index]()
            finishers[index]()  // a second call is ignored
            index += 1
        }
        #expect(started == HookLimiter.maxRunning + HookLimiter.maxWaiting)
        #expect(limiter.running == 0 && limiter.waitingCount == 0)
    }
}
