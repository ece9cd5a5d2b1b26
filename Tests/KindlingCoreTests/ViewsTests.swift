// The week's look back, hidden prompts and the person's own prompts beside a program, and
// do-not-disturb in the planner.
import Foundation
import Testing

@testable import KindlingCore

@Suite struct WeekLookBackTests {
    /// 2026-11-30 is a Monday.
    static let monday = LocalDate(year: 2026, month: 11, day: 30)

    static func day(_ offset: Int) -> LocalDate { monday.adding(days: offset) }

    static let entries: [WeekEntry] = [
        WeekEntry(id: 1, date: day(0), kind: .answer(slot: "intention"), text: "Text Sam before lunch.", mood: 2, energy: 2),
        WeekEntry(id: 2, date: day(0), kind: .answer(slot: "reflection"), text: "She called back and we laughed", mood: 3),
        WeekEntry(id: 3, date: day(1), kind: .note(given: true), text: "held the door for a man with a pram"),
        WeekEntry(id: 4, date: day(2), kind: .note(given: false), text: "a colleague brought me tea"),
        WeekEntry(id: 5, date: day(3), kind: .answer(slot: "nudge"), text: "complimented the barista"),
        WeekEntry(id: 6, date: day(3), kind: .note(given: nil), text: "just a thought"),
        WeekEntry(id: 7, date: day(4), kind: .answer(slot: "reflection"), text: "rested without guilt", mood: 4, energy: 4),
        // The week before and the week after are not this week.
        WeekEntry(id: 8, date: day(-1), kind: .note(given: true), text: "last week's kindness"),
        WeekEntry(id: 9, date: day(7), kind: .note(given: false), text: "next week's kindness"),
    ]

    @Test func itGathersWhatWasGivenAndReceivedThePairsAndTheTrend() {
        let look = WeekLookBack(weekOf: Self.day(3), entries: Self.entries)
        #expect(look.start == Self.monday && look.end == Self.day(6))
        #expect(look.given.map(\.words) == ["held the door for a man…", "complimented the barista"])
        #expect(look.received.map(\.words) == ["a colleague brought me tea"])
        #expect(
            look.pairs == [
                .init(date: Self.day(0), intention: "Text Sam before lunch", reflection: "She called back and we laughed"),
                .init(date: Self.day(4), intention: nil, reflection: "rested without guilt"),
            ])
        #expect(look.feelings.map(\.date) == [Self.day(0), Self.day(4)])
        #expect(look.feelings.first?.mood == 2.5)
        #expect(look.moodTrend == .rising && look.energyTrend == .rising)
    }

    @Test func theSummaryTellsWhatHappenedAndNeverCounts() {
        let summary = WeekLookBack(weekOf: Self.monday, entries: Self.entries).summary
        #expect(summary.contains("Kindness you gave: “held the door for a man…” and “complimented the barista”."), "\(summary)")
        #expect(summary.contains("Kindness you received: “a colleague brought me tea”."), "\(summary)")
        #expect(
            summary.contains("On Monday your intention was “Text Sam before lunch” and later wrote “She called back"),
            "\(summary)")
        #expect(summary.contains("your mood lifted"), "\(summary)")
        #expect(!summary.contains { $0.isNumber }, "no counts: \(summary)")
        for word in ["missed", "unanswered", "only", "failed", "skipped"] {
            #expect(!summary.lowercased().contains(word), "\(word) in \(summary)")
        }
    }

    @Test func aQuietWeekHasNothingToTell() {
        let look = WeekLookBack(weekOf: Self.day(14), entries: Self.entries)
        #expect(look.isEmpty)
        #expect(look.summary.isEmpty)
    }

    @Test func theReviewLooksAtTheSevenDaysEndingOnItsDay() {
        // A Wednesday review looks back to last Thursday, across the ISO week's start.
        let look = WeekLookBack(sevenDaysFrom: Self.day(-4), entries: Self.entries)
        #expect(look.given.map(\.words) == ["last week's kindness", "held the door for a man…"])
    }

    @Test func firstWordsAreShortAndOnOneLine() {
        #expect(WeekLookBack.firstWords(of: "  one\ntwo  three.") == "one two three")
        #expect(WeekLookBack.firstWords(of: "a b c d e f g h") == "a b c d e f…")
        #expect(WeekLookBack.trend([3, 3, 3]) == .steady)
        #expect(WeekLookBack.trend([5, 4, 2]) == .settling)
        #expect(WeekLookBack.trend([4]) == nil)
    }
}

@Suite struct HiddenPromptCompositionTests {
    static let familyDay3 = ProgramTests.position(.wideningCircle, before: 9)!

    @Test func theRotationNeverChoosesAHiddenPrompt() {
        let all = PromptCatalog.builtin(for: "nudge").map(\.key)
        let hidden = Set(all.dropFirst(2))
        var chosen: Set<String> = []
        for seed in 0..<64 as Range<UInt64> {
            let composed = PromptComposer.compose(
                slot: "nudge", configuration: .defaults, position: nil, todaysIntention: nil, recentKeys: [], seed: seed,
                hiddenKeys: hidden)
            chosen.insert(composed.key)
        }
        #expect(chosen == Set(all.prefix(2)), "\(chosen)")
    }

    @Test func aHiddenStepPromptGivesWayToAnotherOfTheStep() {
        let shown = PromptComposer.compose(
            slot: "intention", configuration: .defaults, position: Self.familyDay3, todaysIntention: nil, recentKeys: [],
            seed: 1)
        let other = PromptComposer.compose(
            slot: "intention", configuration: .defaults, position: Self.familyDay3, todaysIntention: nil, recentKeys: [],
            seed: 1, hiddenKeys: [shown.key])
        #expect(other.key != shown.key)
        #expect(other.key.hasPrefix("program.widening-circle.w2.intention."), "\(other.key)")
    }

    @Test func ownPromptsTakeTurnsWithARunningProgram() {
        var config = Configuration.defaults
        let own = "Whose day could I make a little lighter?"
        config.prompts = [UserPrompt(slot: "intention", text: own)]
        func compose(recent: [String]) -> ComposedPrompt {
            PromptComposer.compose(
                slot: "intention", configuration: config, position: Self.familyDay3, todaysIntention: nil, recentKeys: recent,
                seed: 3)
        }
        let step = compose(recent: [])
        #expect(step.programDay == 10 && step.key.hasPrefix("program."))
        // Right after the step's prompt: the person's own.
        let next = compose(recent: [step.key])
        #expect(next.text == own && next.programDay == nil)
        // Then the step again.
        #expect(compose(recent: [next.key, step.key]).key == step.key)
        // Without own prompts, the step every time.
        let plain = PromptComposer.compose(
            slot: "intention", configuration: .defaults, position: Self.familyDay3, todaysIntention: nil,
            recentKeys: [step.key], seed: 3)
        #expect(plain.key == step.key)
    }
}

@Suite struct DoNotDisturbPlanTests {
    static let noon = PromptPlannerTests.noon

    static func schedule() -> Schedule { PromptPlannerTests.schedule() }

    @Test func duringDoNotDisturbNothingFiresAndTheMarkStays() throws {
        let s = Self.schedule()
        let next = try #require(s.occurrences(after: Self.noon, count: 1).first)
        let through = Self.noon
        let held = PromptPlanner.plan(
            now: next.at, schedule: s, waiting: [], plannedThrough: through, pausedUntil: nil, doNotDisturb: true,
            isRecorded: { _ in false })
        #expect(held.actions.isEmpty, "\(held.actions)")
        #expect(held.plannedThrough == through)
        // When it ends, the ordinary catch-up delivers the occurrence, still valid.
        let later = next.at.addingTimeInterval(60)
        let after = PromptPlanner.plan(
            now: later, schedule: s, waiting: [], plannedThrough: held.plannedThrough, pausedUntil: nil,
            doNotDisturb: false, isRecorded: { _ in false })
        #expect(after.actions == [.fire(next, expiresAt: s.expiry(slot: next.slot, scheduledAt: next.at))])
    }

    @Test func aSnoozedPromptDoesNotReturnDuringDoNotDisturb() {
        let s = Self.schedule()
        let waiting = [
            WaitingPrompt(
                id: 7, slot: "nudge", expiresAt: Self.noon.addingTimeInterval(3600),
                snoozedUntil: Self.noon.addingTimeInterval(-60))
        ]
        let held = PromptPlanner.plan(
            now: Self.noon, schedule: s, waiting: waiting, plannedThrough: Self.noon, pausedUntil: nil, doNotDisturb: true,
            isRecorded: { _ in false })
        #expect(!held.actions.contains(.returnSnoozed(id: 7)))
        let free = PromptPlanner.plan(
            now: Self.noon, schedule: s, waiting: waiting, plannedThrough: Self.noon, pausedUntil: nil, doNotDisturb: false,
            isRecorded: { _ in false })
        #expect(free.actions.contains(.returnSnoozed(id: 7)))
    }

    @Test func whatOutlastsItsValidityIsLetGoWhenDoNotDisturbEnds() throws {
        let s = Self.schedule()
        let next = try #require(s.occurrences(after: Self.noon, count: 1).first)
        let expiry = s.expiry(slot: next.slot, scheduledAt: next.at)
        let after = PromptPlanner.plan(
            now: expiry.addingTimeInterval(1), schedule: s, waiting: [], plannedThrough: Self.noon, pausedUntil: nil,
            doNotDisturb: false, isRecorded: { _ in false })
        #expect(after.actions.contains(.miss(next, expiresAt: expiry, reason: .expired)))
        #expect(!after.actions.contains { if case .fire = $0 { true } else { false } })
    }
}
