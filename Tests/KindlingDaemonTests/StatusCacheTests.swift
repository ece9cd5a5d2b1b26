import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// `status` keeps what it computed (StatusSnapshot) between requests: each test asks once
/// so the snapshot exists, changes one thing it was computed from, and expects the change.
@Suite(.serialized) struct StatusCacheTests {
    typealias Harness = DaemonTests.Harness
    static func at(_ hours: Double, days: Double = 0) -> Date { SchedulerTests.at(hours, days: days) }
    static func config(_ extra: String) -> String { SchedulerTests.config(extra) }

    /// The status line's clock time, by arithmetic, is the calendar's hour and minute, in zones
    /// with odd offsets and half-hour daylight saving, before 1970 and after.
    @Test func theStatusLineClockTimeIsTheCalendars() {
        for name in [
            "UTC", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/Los_Angeles",
        ] {
            let zone = TimeZone(identifier: name)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            // Every day and 37 minutes and 13.5 seconds over 1969-2031 (about 22,000 instants a zone).
            var seconds = -31_536_000.0
            while seconds < 1_956_528_000 {
                let date = Date(timeIntervalSince1970: seconds)
                let c = calendar.dateComponents([.hour, .minute], from: date)
                let expected = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
                let actual = Daemon.clockTime(date, in: zone)
                if actual != expected {
                    Issue.record("\(name) \(date): \(actual), the calendar says \(expected)")
                    break
                }
                seconds += 86_400 + 37 * 60 + 13.5
            }
        }
    }

    private func status(_ harness: Harness) throws -> StatusResult {
        try harness.call(Request.Status()).get()
    }

    private func pending(_ harness: Harness) throws -> [StatusResult.Pending] {
        try harness.call(Request.Pending()).get().pending
    }

    @Test func theNextPromptsMoveOnWhenTheClockPassesTheFirst() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        #expect(try status(harness).next.first?.at == "2026-11-21T15:30:00.000+00:00")
        // No tick: only the clock moves, as between two timer events.
        harness.clock.set(Self.at(15.6))
        #expect(try status(harness).next.first?.at == "2026-11-22T10:30:00.000+00:00")
        // Set back: computed again, not kept from the future.
        harness.clock.set(Self.at(9))
        #expect(try status(harness).next.first?.at == "2026-11-21T10:30:00.000+00:00")
    }

    @Test func todayTurnsAtMidnight() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        harness.clock.set(Self.at(23.9))
        #expect(try status(harness).today == "2026-11-21")
        harness.clock.set(Self.at(0.1, days: 1))
        #expect(try status(harness).today == "2026-11-22")
    }

    @Test func aFiredPromptAndItsAnswerShowAtOnce() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        let before = try status(harness)
        #expect(before.pending.isEmpty && before.streak == 0)
        #expect(try pending(harness).isEmpty)
        _ = harness.daemon.queue.sync { FireHandler.handle(harness.daemon.lifecycle, slot: "water") }
        #expect(try status(harness).pending.count == 1)
        #expect(try pending(harness).count == 1)
        _ = harness.daemon.queue.sync {
            RespondHandler.handle(harness.daemon.lifecycle, id: nil, text: "slowly", mood: nil, energy: nil, channel: "cli")
        }
        let after = try status(harness)
        #expect(after.pending.isEmpty)
        #expect(after.streak == 1)
        #expect(try pending(harness).isEmpty)
    }

    @Test func aReloadShowsTheNewSchedule() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        #expect(try status(harness).next.first?.slot == "water")
        let tea = """
            [[custom]]
            name = "tea"
            at = "13:00"
            text = "A cup of tea, shared."
            """
        try Self.config(SchedulerTests.water + "\n" + tea).write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        let after = try status(harness)
        #expect(after.next.first?.slot == "tea")
        #expect(after.statusLine.contains("tea"))
    }

    @Test func aPauseShowsAndEndsOnTime() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        #expect(try status(harness).paused == false)
        _ = try harness.call(Request.Pause(duration: "1h", until: nil)).get()
        let paused = try status(harness)
        #expect(paused.paused && paused.pausedUntil == "2026-11-21T13:00:00.000+00:00")
        harness.clock.set(Self.at(13.1))
        #expect(try status(harness).paused == false)
    }

    @Test func aNewProblemShowsInTheStatusLine() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        #expect(try status(harness).lastError == nil)
        harness.daemon.queue.sync { harness.daemon.recordProblem("the disk is full") }
        let after = try status(harness)
        #expect(after.lastError == "the disk is full")
        #expect(after.statusLine.contains("see `kindling status`"))
    }

    @Test func repeatedRequestsAreAnsweredFromTheSnapshot() throws {
        let harness = try Harness(config: Self.config(SchedulerTests.water))
        let first = try status(harness)
        let kept = harness.daemon.queue.sync { harness.daemon.statusCache?.from }
        harness.clock.set(Self.at(12.5))
        let second = try status(harness)
        #expect(harness.daemon.queue.sync { harness.daemon.statusCache?.from } == kept)
        #expect(second.uptimeS == first.uptimeS + 1800, "uptime is read fresh on every request")
    }
}
