import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// `week`, `breathe`, `prompt list|hide|show` and do-not-disturb, against a real in-process
/// daemon and journal with the clock injected.
@Suite(.serialized) struct ViewHandlerTests {
    typealias Harness = DaemonTests.Harness

    /// The harness's clock: 2026-11-21 12:00 UTC, a Saturday.
    static let noon = SchedulerTests.noon
    static let saturday = LocalDate(year: 2026, month: 11, day: 21)

    // MARK: - week

    /// Seeds one week (Monday 16 to Sunday 22 November) and one entry the week before.
    private func seedWeek(_ harness: Harness) throws {
        let journal = harness.daemon.journal!
        func answer(_ slot: String, _ day: Int, _ text: String, mood: Int? = nil, energy: Int? = nil) throws {
            let date = LocalDate(year: 2026, month: 11, day: day)
            let at = Self.noon.addingTimeInterval(Double(day - 21) * 86_400)
            let delivery = try journal.recordDelivery(
                slot: slot, scheduledAt: at, localDate: date.description, promptText: "A question", promptKey: "k.\(slot)",
                firedAt: at, expiresAt: at.addingTimeInterval(3600)
            ).delivery
            _ = try journal.saveAnswer(
                text: text, mood: mood, energy: energy, channel: .cli, deliveryID: delivery.id, at: at,
                localDate: date.description)
        }
        try harness.daemon.queue.sync {
            try answer("intention", 16, "Call my brother and listen", mood: 2, energy: 1)
            try answer("reflection", 16, "He sounded lighter afterwards, so did I", mood: 3, energy: 2)
            try answer("nudge", 18, "Left a kind review for the bakery")
            try answer("reflection", 20, "Rested at lunch without apologising", mood: 4, energy: 4)
            _ = try journal.saveNote(
                text: "A stranger helped me with my bags", kind: .received, at: Self.noon, localDate: "2026-11-19")
            _ = try journal.saveNote(text: "Thanked the bus driver", kind: .given, at: Self.noon, localDate: "2026-11-17")
            _ = try journal.saveNote(text: "Last week's note", kind: .given, at: Self.noon, localDate: "2026-11-15")
        }
    }

    @Test func weekShowsTheSeededWeekAndNothingElse() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        try seedWeek(harness)
        let week = try harness.call(Request.Week(date: nil)).get()
        #expect(week.start == "2026-11-16" && week.end == "2026-11-22")
        #expect(week.given.map(\.words) == ["Thanked the bus driver", "Left a kind review for the…"])
        #expect(week.given.map(\.date) == ["2026-11-17", "2026-11-18"])
        #expect(week.received.map(\.words) == ["A stranger helped me with my…"])
        #expect(
            week.pairs == [
                .init(
                    date: "2026-11-16", intention: "Call my brother and listen",
                    reflection: "He sounded lighter afterwards, so did…"),
                .init(date: "2026-11-20", intention: nil, reflection: "Rested at lunch without apologising"),
            ])
        #expect(
            week.feelings == [.init(date: "2026-11-16", mood: 2.5, energy: 1.5), .init(date: "2026-11-20", mood: 4, energy: 4)])
        #expect(week.moodTrend == "rising" && week.energyTrend == "rising")
        #expect(week.summary.contains("Kindness you received: “A stranger helped me with my…”."), "\(week.summary)")
        #expect(!week.summary.contains("Last week"))
        // Any day of the week gives the same week; the week before has only its own note.
        #expect(try harness.call(Request.Week(date: "2026-11-22")).get() == week)
        let before = try harness.call(Request.Week(date: "2026-11-15")).get()
        #expect(before.given.map(\.words) == ["Last week's note"] && before.pairs.isEmpty)
    }

    @Test func aQuietWeekIsEmptyAndABadDateIsOneClearLine() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let week = try harness.call(Request.Week(date: "2026-11-10")).get()
        #expect(week.given.isEmpty && week.received.isEmpty && week.pairs.isEmpty && week.feelings.isEmpty)
        #expect(week.summary.isEmpty)
        guard case .failure(let error) = try harness.call(Request.Week(date: "2026-13-01")) else {
            Issue.record("a bad date was accepted")
            return
        }
        #expect(error.code == .badRequest && error.message.contains("YYYY-MM-DD"))
    }

    // MARK: - breathe

    @Test func breatheRecordsNothingAndLeavesNothingWaiting() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let eventsBefore = try harness.daemon.queue.sync { try harness.daemon.journal.events().count }
        let result = try harness.call(Request.Breathe()).get()
        // No session bus in this harness: the desktop part cannot show, and says so.
        #expect(result.desktop == "unavailable")
        #expect(try harness.call(Request.Pending()).get().pending.isEmpty)
        #expect(try harness.daemon.queue.sync { try harness.daemon.journal.events().count } == eventsBefore)
        #expect(try harness.daemon.queue.sync { try harness.daemon.journal.entryCount() } == 0)
    }

    // MARK: - prompt list | hide | show

    @Test func promptListShowsBuiltInProgramAndOwnPrompts() throws {
        let harness = try Harness(
            config: "timezone = \"UTC\"\n[[prompt]]\nslot = \"nudge\"\ntext = \"Stretch as your body allows.\"\n")
        let list = try harness.call(Request.PromptList()).get()
        let keys = Set(list.prompts.map(\.key))
        #expect(keys.isSuperset(of: PromptCatalog.builtin(for: "reflection").map(\.key)))
        #expect(keys.contains("program.widening-circle.w2.intention.1"))
        let own = try #require(list.prompts.first { $0.source == "own" })
        #expect(own.slot == "nudge" && own.text == "Stretch as your body allows." && own.key.hasPrefix("user.nudge."))
        #expect(list.prompts.allSatisfy { !$0.hidden })
        #expect(keys.count == list.prompts.count, "each key once")
    }

    @Test func aHiddenPromptIsListedAsHiddenAndNeverRotatesUntilShownAgain() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let all = PromptCatalog.builtin(for: "break").map(\.key)
        // Hide every break prompt but one: the rotation can only choose that one.
        for key in all.dropFirst() {
            let hidden = try harness.call(Request.PromptHide(key: key)).get()
            #expect(hidden.changed && hidden.hidden)
        }
        let again = try harness.call(Request.PromptHide(key: all[1])).get()
        #expect(!again.changed)
        let list = try harness.call(Request.PromptList()).get()
        #expect(Set(list.prompts.filter(\.hidden).map(\.key)) == Set(all.dropFirst()))
        for minute in 0..<20 {
            let composed = harness.daemon.queue.sync {
                harness.daemon.compose(
                    slot: "break", day: Self.saturday, scheduledAt: Self.noon.addingTimeInterval(Double(minute) * 60))
            }
            #expect(composed.key == all[0])
        }
        let shown = try harness.call(Request.PromptShow(key: all[1])).get()
        #expect(shown.changed && !shown.hidden)
        let keys = Set(
            (0..<40).map { minute in
                harness.daemon.queue.sync {
                    harness.daemon.compose(
                        slot: "break", day: Self.saturday, scheduledAt: Self.noon.addingTimeInterval(Double(minute) * 60)
                    ).key
                }
            })
        #expect(keys == [all[0], all[1]])
    }

    @Test func anUnknownOrOwnKeyIsRefusedWithOneClearLine() throws {
        let harness = try Harness(
            config: "timezone = \"UTC\"\n[[prompt]]\nslot = \"nudge\"\ntext = \"Stretch as your body allows.\"\n")
        guard
            case .failure(let unknown) = try harness.call(
                Request.PromptHide(key: "nudge.nope"))
        else {
            Issue.record("an unknown key was accepted")
            return
        }
        #expect(unknown.code == .notFound && unknown.message.contains("kindling prompt list"))
        #expect(!unknown.message.contains("\n"))
        let own = PromptRotation.userKey(slot: "nudge", text: "Stretch as your body allows.")
        guard
            case .failure(let refused) = try harness.call(Request.PromptHide(key: own))
        else {
            Issue.record("an own prompt was hidden")
            return
        }
        #expect(refused.code == .badRequest && refused.message.contains("config"))
    }

    // MARK: - do-not-disturb

    /// A custom slot at 15:30, nothing else.
    static let config = SchedulerTests.config(SchedulerTests.water)

    /// What holds every prompt back with no end known ahead: the desktop's do-not-disturb, or a
    /// call (the planner cannot tell them apart).
    enum Hold: CaseIterable, Sendable {
        case doNotDisturb, call

        func set(_ on: Bool, in daemon: Daemon) {
            switch self {
            case .doNotDisturb: daemon.doNotDisturbOverride = on
            case .call: daemon.callOverride = on
            }
        }
    }

    @Test(arguments: Hold.allCases)
    func aHoldKeepsEveryChannelQuietAndDeliversWhenItEnds(hold: Hold) throws {
        let harness = try Harness(config: Self.config)
        let daemon = harness.daemon
        daemon.queue.sync { hold.set(true, in: daemon) }
        harness.clock.set(SchedulerTests.at(15.5))
        daemon.queue.sync { daemon.scheduler.tick() }
        // Nothing recorded, so nothing for watch, the hook or the desktop.
        #expect(try daemon.queue.sync { try daemon.pendingPrompts() }.isEmpty)
        #expect(try daemon.queue.sync { try daemon.journal.events() }.allSatisfy { $0.deliveryID == nil })

        // It ends at 16:00 (the daemon hears it and ticks): the water prompt, still valid, is
        // delivered then.
        harness.clock.set(SchedulerTests.at(16))
        daemon.queue.sync {
            hold.set(false, in: daemon)
            daemon.scheduler.tick()
        }
        let waiting = try daemon.queue.sync { try daemon.pendingPrompts() }
        #expect(waiting.map(\.slot) == ["water"])
        #expect(waiting.first?.firedAt.hasPrefix("2026-11-21T16:00:00") == true, "\(waiting)")
    }

    @Test func whatOutlastsItsValidityDuringDoNotDisturbIsLetGo() throws {
        let harness = try Harness(config: Self.config)
        let daemon = harness.daemon
        daemon.queue.sync { daemon.doNotDisturbOverride = true }
        harness.clock.set(SchedulerTests.at(15.5))
        daemon.queue.sync { daemon.scheduler.tick() }
        harness.clock.set(SchedulerTests.at(18))  // past the 2 h validity
        daemon.queue.sync {
            daemon.doNotDisturbOverride = false
            daemon.scheduler.tick()
        }
        #expect(try daemon.queue.sync { try daemon.pendingPrompts() }.isEmpty)
    }
}
