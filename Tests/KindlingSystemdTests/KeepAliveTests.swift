import Foundation
import Synchronization
import Testing

@testable import KindlingSystemd

/// `keepAlive()` feeds the watchdog from inside long work, at most once per quarter interval.
@Suite struct KeepAliveTests {
    final class Sent: Sendable {
        let messages = Mutex<[String]>([])
    }

    @Test func pingsAtMostOncePerQuarterIntervalAndNeverWithoutAWatchdog() {
        let sent = Sent()
        let notifier = Notifier(watchdogMicroseconds: 400_000) { state in sent.messages.withLock { $0.append(state) } }
        for _ in 0..<1000 { notifier.keepAlive() }
        #expect(sent.messages.withLock { $0 } == ["WATCHDOG=1"])
        usleep(110_000)
        notifier.keepAlive()
        #expect(sent.messages.withLock { $0 } == ["WATCHDOG=1", "WATCHDOG=1"])

        let quiet = Sent()
        let none = Notifier(watchdogMicroseconds: nil) { state in quiet.messages.withLock { $0.append(state) } }
        none.keepAlive()
        #expect(quiet.messages.withLock { $0 }.isEmpty)
    }
}
