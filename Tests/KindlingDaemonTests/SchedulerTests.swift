import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// The scheduler against a real in-process daemon and journal, with the clock injected:
/// time moves only when a test says so, and nothing sleeps.
@Suite(.serialized) struct SchedulerTests {
    typealias Harness = DaemonTests.Harness

    /// The harness starts at 2026-11-21 12:00 UTC (a Saturday).
    static let noon = Date(timeIntervalSince1970: 1_763_726_400 + 365 * 86_400)

    static func at(_ hours: Double, days: Double = 0) -> Date {
        noon.addingTimeInterval((hours - 12) * 3600 + days * 86_400)
    }

    /// Only custom slots, in UTC.
    static func config(_ extra: String) -> String {
        """
        timezone = "UTC"
        [intention]
        enabled = false
        [nudge]
        enabled = false
        [reflection]
        enabled = false
        [review]
        enabled = false
        [program]
        name = "none"
        \(extra)
        """
    }

    static let water = """
        [[custom]]
        name = "water"
        at = ["10:30", "15:30"]
        valid_for = "2h"
        text = "A glass of water is a small kindness."
        """

    /// Moves the clock without ticking (downtime or suspend), then ticks once.
    private func jump(_ harness: Harness, to date: Date) {
        harness.clock.set(date)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
    }

    private func pending(_ harness: Harness) throws -> [StatusResult.Pending] {
        try harness.daemon.queue.sync { try harness.daemon.pendingPrompts() }
    }

    private func statuses(_ harness: Harness) throws -> [String] {
        try harness.daemon.queue.sync {
            try harness.daemon.journal.events().compactMap { event in event.deliveryID.map { _ in event.kind.rawValue } }
        }
    }

    @Test func theFirstRunCatchesNothingUpAndArmsForTheNextOccurrence() throws {
        let harness = try Harness(config: Self.config(Self.water))
        #expect(try pending(harness).isEmpty, "the 10:30 water before the first run must not be delivered")
        #expect(harness.daemon.scheduler.armedFor == Self.at(15.5))
    }

    @Test func aSlotFiresAtItsTimeAndExpiresAfterItsValidity() throws {
        let harness = try Harness(config: Self.config(Self.water))
        jump(harness, to: Self.at(15.5))
        let waiting = try pending(harness)
        #expect(waiting.count == 1)
        #expect(waiting.first?.slot == "water")
        #expect(waiting.first?.expiresAt == "2026-11-21T17:30:00.000+00:00")
        #expect(harness.daemon.scheduler.armedFor == Self.at(17.5), "the next deadline is the expiry")
        jump(harness, to: Self.at(17.5))
        #expect(try pending(harness).isEmpty)
        #expect(try statuses(harness).contains("expired"))
    }

    @Test func afterDowntimeOnlyTheLatestOccurrenceOfASlotIsDelivered() throws {
        let harness = try Harness(config: Self.config(Self.water))
        // Down from 12:00 to the next day 16:00: the 15:30 water is still valid, the three
        // earlier ones are let go (never a burst).
        jump(harness, to: Self.at(16, days: 1))
        let waiting = try pending(harness)
        #expect(waiting.count == 1)
        #expect(waiting.first.map { $0.firedAt.hasPrefix("2026-11-22T16:00") } == true)
        // Ticking again delivers nothing twice.
        jump(harness, to: Self.at(16.1, days: 1))
        #expect(try pending(harness).count == 1)
    }

    @Test func aLapsedOccurrenceIsRecordedMissed() throws {
        let harness = try Harness(config: Self.config(Self.water))
        jump(harness, to: Self.at(18, days: 1))  // 15:30 + 2 h has passed
        #expect(try pending(harness).isEmpty)
        #expect(try statuses(harness) == ["missed"])
    }

    @Test func quietHoursHoldAPromptUntilTheyEnd() throws {
        let harness = try Harness(
            config: Self.config(
                """
                quiet_hours = "22:00-07:00"
                [[custom]]
                name = "late"
                at = "23:00"
                valid_for = "12h"
                text = "Rest is kind."
                """
                .replacingOccurrences(of: "quiet_hours = \"22:00-07:00\"\n", with: "")
            ).replacingOccurrences(of: "timezone = \"UTC\"", with: "timezone = \"UTC\"\nquiet_hours = \"22:00-07:00\""))
        jump(harness, to: Self.at(23))
        #expect(try pending(harness).first?.firedAt == nil || harness.daemon.scheduler.armedFor == Self.at(7, days: 1))
        #expect(harness.daemon.scheduler.armedFor == Self.at(7, days: 1), "armed for the end of quiet hours")
        let watcherEvents = try statuses(harness)
        #expect(watcherEvents == ["deferred"])
        jump(harness, to: Self.at(7, days: 1))
        let waiting = try pending(harness)
        #expect(waiting.count == 1)
        #expect(waiting.first?.firedAt == "2026-11-22T07:00:00.000+00:00")
        // Shown at last: its last event says so, as its state does.
        #expect(try statuses(harness) == ["deferred", "fired"])
    }

    @Test func whilePausedPromptsAreSkippedAndResumeBringsTheNextOnes() throws {
        let harness = try Harness(config: Self.config(Self.water))
        let paused = harness.daemon.queue.sync { PauseHandler.handle(harness.daemon.lifecycle, duration: "1d", until: nil) }
        #expect(try paused.get().pausedUntil == "2026-11-22T12:00:00.000+00:00")
        jump(harness, to: Self.at(15.5))
        #expect(try pending(harness).isEmpty)
        #expect(try statuses(harness) == ["skipped"])
        // The pause ends by itself at its time; the next water comes.
        jump(harness, to: Self.at(15.5, days: 1))
        #expect(try pending(harness).count == 1)
        let status = try harness.call(Request.Status()).get()
        #expect(status.paused == false)
    }

    @Test func snoozeBringsAPromptBackAndSkipLetsItGo() throws {
        let harness = try Harness(config: Self.config(Self.water))
        jump(harness, to: Self.at(15.5))
        let id = try #require(try pending(harness).first?.id)
        let snoozed = try harness.daemon.queue.sync { SnoozeHandler.handle(harness.daemon.lifecycle, id: nil, duration: "10m") }
            .get()
        #expect(snoozed.id == id)
        #expect(snoozed.until == "2026-11-21T15:40:00.000+00:00")
        #expect(harness.daemon.scheduler.armedFor == Self.at(15.5 + 10.0 / 60))
        jump(harness, to: Self.at(15.5 + 10.0 / 60))
        #expect(try pending(harness).first?.firedAt == "2026-11-21T15:40:00.000+00:00")
        // Snoozing past the prompt's validity is refused.
        let tooLong = harness.daemon.queue.sync { SnoozeHandler.handle(harness.daemon.lifecycle, id: id, duration: "3h") }
        #expect(throws: ControlError.self) { try tooLong.get() }
        let skipped = try harness.daemon.queue.sync { SkipHandler.handle(harness.daemon.lifecycle, id: id) }.get()
        #expect(skipped.status == "skipped")
        #expect(try pending(harness).isEmpty)
    }

    @Test func answeringAdvancesTheProgramByPractisedDays() throws {
        let harness = try Harness(
            config: Self.config(Self.water).replacingOccurrences(of: "name = \"none\"", with: "name = \"five-day-reset\"")
                .replacingOccurrences(of: "[intention]\nenabled = false\n", with: ""))
        let day1 = harness.daemon.queue.sync { harness.daemon.programPosition(on: LocalDate(year: 2026, month: 11, day: 21)) }
        #expect(day1?.day == 1)
        // Nothing answered on the 21st: the 22nd is still day 1 (missing a day resumes, never restarts).
        let idle = harness.daemon.queue.sync { harness.daemon.programPosition(on: LocalDate(year: 2026, month: 11, day: 22)) }
        #expect(idle?.day == 1)
        jump(harness, to: Self.at(15.5))
        let saved = harness.daemon.queue.sync {
            RespondHandler.handle(
                harness.daemon.lifecycle, id: nil, text: "drank it slowly", mood: 4, energy: nil, channel: "cli")
        }
        #expect(throws: Never.self) { try saved.get() }
        let day2 = harness.daemon.queue.sync { harness.daemon.programPosition(on: LocalDate(year: 2026, month: 11, day: 22)) }
        #expect(day2?.day == 2)
    }

    @Test func aClockSetBackwardsDeliversNothingTwice() throws {
        let harness = try Harness(config: Self.config(Self.water))
        jump(harness, to: Self.at(15.5))
        #expect(try pending(harness).count == 1)
        jump(harness, to: Self.at(15))  // the clock is set back half an hour
        jump(harness, to: Self.at(15.6))
        #expect(try pending(harness).count == 1)
        #expect(try statuses(harness).filter { $0 == "fired" }.count == 1)
    }
}

extension SchedulerTests {
    @Test func theWeeklyReviewLooksBackAtWhatHappenedAndNeverAtAnEmptyWeek() throws {
        let harness = try Harness(config: Self.config(Self.water))
        let today = LocalDate(year: 2026, month: 11, day: 21)
        #expect(harness.daemon.queue.sync { harness.daemon.weekSummary(endingOn: today) } == nil)
        let fired = try harness.call(Request.Fire(slot: "review")).get()
        let delivery = { try #require(try harness.daemon.queue.sync { try harness.daemon.journal.delivery(id: fired.id) }) }
        let quiet = harness.daemon.queue.sync { [delivery = try delivery()] in harness.daemon.notificationContent(for: delivery) }
        #expect(quiet.body == fired.text, "a quiet week: only the question")
        _ = harness.daemon.queue.sync {
            NoteHandler.handle(harness.daemon, text: "a glass of water for my neighbour", kind: "given", mood: nil, energy: nil)
        }
        let summary = harness.daemon.queue.sync { harness.daemon.weekSummary(endingOn: today) }
        #expect(summary == "Kindness you gave: “a glass of water for my…”.")
        // The desktop shows the look back above the question; the stored prompt keeps none of
        // the person's words (an edit or a deletion must not leave them behind).
        let shown = harness.daemon.queue.sync { [delivery = try delivery()] in harness.daemon.notificationContent(for: delivery) }
        #expect(shown.body == "Kindness you gave: “a glass of water for my…”.\n" + fired.text, "\(shown.body)")
        let stored = try harness.daemon.queue.sync { try harness.daemon.journal.delivery(id: fired.id)?.promptText }
        #expect(stored == fired.text && !fired.text.contains("glass"))
    }

    @Test func statusCountsTheCurrentStreakOnlyFromPractisedDays() throws {
        let harness = try Harness(config: Self.config(Self.water))
        #expect(try harness.call(Request.Status()).get().streak == 0)
        jump(harness, to: Self.at(15.5))
        _ = harness.daemon.queue.sync {
            RespondHandler.handle(harness.daemon.lifecycle, id: nil, text: "slowly", mood: nil, energy: nil, channel: "cli")
        }
        #expect(try harness.call(Request.Status()).get().streak == 1)
    }

    @Test func aStreakLongerThanTheRecentWindowIsCountedInFull() throws {
        let harness = try Harness(config: Self.config(Self.water))
        let today = LocalDate(year: 2026, month: 11, day: 21)
        try harness.daemon.queue.sync {
            for back in 0..<90 {
                let day = today.adding(days: -back)
                _ = try harness.daemon.journal.saveNote(
                    text: "day \(back)", at: Self.noon.addingTimeInterval(Double(-back) * 86_400), localDate: day.description)
            }
        }
        #expect(try harness.call(Request.Status()).get().streak == 90)
    }
}
