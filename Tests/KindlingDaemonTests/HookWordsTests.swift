import Foundation
import KindlingCore
import Testing

@testable import KindlingDaemon
@testable import KindlingStore

/// The hook's command is split into words once, and again whenever the configured command
/// changes (a reload): a plan never carries the words of a command no longer configured.
@Suite struct HookWordsTests {
    typealias Harness = DaemonTests.Harness

    private static func delivery() -> DeliveryRecord {
        let now = SchedulerTests.at(12)
        return DeliveryRecord(
            id: 3, slot: "water", scheduledAt: now, localDate: "2026-01-15", promptText: "A glass of water.",
            promptKey: "water", firedAt: now, expiresAt: now.addingTimeInterval(3600))
    }

    /// `command`: the TOML value, quotes included.
    private static func config(command: String) -> String {
        SchedulerTests.config(SchedulerTests.water) + "\n[delivery]\ncommand = \(command)\n"
    }

    @Test func aReloadedCommandIsSplitAgain() throws {
        let harness = try Harness(config: Self.config(command: #""/bin/echo first 'two words'""#))
        let daemon = harness.daemon
        let first = daemon.queue.sync { daemon.hookPlan(for: Self.delivery())?.launch.arguments }
        #expect(first == ["/bin/echo", "first", "two words"])
        #expect(daemon.queue.sync { daemon.hookPlan(for: Self.delivery())?.launch.arguments } == first)

        let reloaded = try Configuration.parse(Self.config(command: #"'/bin/printf "%s" second'"#), file: "test.toml")
        daemon.queue.sync { daemon.config = reloaded }
        #expect(daemon.queue.sync { daemon.hookPlan(for: Self.delivery())?.launch.arguments } == ["/bin/printf", "%s", "second"])
    }
}
