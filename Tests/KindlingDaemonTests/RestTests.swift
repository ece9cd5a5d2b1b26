import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// Rest never costs: a pause keeps the streak, `streaks = false` shows no count, each program
/// keeps its own progress, a late reflection belongs to its day, and `ask_mood` is per slot.
@Suite(.serialized) struct RestTests {
    typealias Harness = DaemonTests.Harness

    /// The harness starts at 2026-11-21 12:00 UTC (a Saturday).
    static let noon = SchedulerTests.noon

    static func at(_ hours: Double, days: Double = 0) -> Date { SchedulerTests.at(hours, days: days) }

    private func jump(_ harness: Harness, to date: Date) {
        harness.clock.set(date)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
    }

    /// A note dated `daysBack` days before the 21st, written at noon that day.
    private func note(_ harness: Harness, daysBack: Int) throws {
        let day = LocalDate(year: 2026, month: 11, day: 21).adding(days: -daysBack)
        try harness.daemon.queue.sync {
            _ = try harness.daemon.journal.saveNote(
                text: "a kindness", at: Self.noon.addingTimeInterval(Double(-daysBack) * 86_400),
                localDate: day.description)
        }
    }

    private func stats(_ harness: Harness) throws -> StatsResult {
        try harness.daemon.queue.sync { StatsHandler.handle(harness.daemon, weeks: 4) }.get()
    }

    @Test func aPausedStretchNeitherBreaksTheStreakNorUsesGrace() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        // Practised the 11th to the 14th, then paused for five days, then practised the 20th and 21st.
        for back in [10, 9, 8, 7, 1, 0] { try note(harness, daysBack: back) }
        // Before any pause: six quiet days in a row end the first streak.
        #expect(try stats(harness).streak?.current == 2)

        harness.clock.set(Self.at(13, days: -6))  // the 15th, 13:00
        let paused = harness.daemon.queue.sync { PauseHandler.handle(harness.daemon.lifecycle, duration: "4d", until: nil) }
        #expect(throws: Never.self) { try paused.get() }
        harness.clock.set(Self.at(13, days: -2))  // the 19th, 13:00: the pause has ended by itself
        jump(harness, to: Self.at(13))

        let streak = try #require(try stats(harness).streak)
        #expect(streak.current == 6, "the 15th to the 19th were paused: \(streak)")
        #expect(streak.currentSince == "2026-11-11")
        #expect(try harness.call(Request.Status()).get().streak == 6)
    }

    @Test func resumingEarlyEndsThePausedDaysThere() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        harness.clock.set(Self.at(9, days: -5))  // the 16th
        _ = try harness.daemon.queue.sync { PauseHandler.handle(harness.daemon.lifecycle, duration: nil, until: nil) }.get()
        harness.clock.set(Self.at(9, days: -3))  // the 18th
        _ = try harness.daemon.queue.sync { ResumeHandler.handle(harness.daemon.lifecycle) }.get()
        harness.clock.set(Self.at(13))
        let paused = harness.daemon.queue.sync {
            harness.daemon.pausedDays(since: nil, through: LocalDate(year: 2026, month: 11, day: 21))
        }
        #expect(paused.map(\.description).sorted() == ["2026-11-16", "2026-11-17", "2026-11-18"])
    }

    @Test func theFirstPromptAfterAPauseWelcomesThePersonBackAndSaysNothingOfTheGap() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        _ = try harness.daemon.queue.sync { PauseHandler.handle(harness.daemon.lifecycle, duration: "1d", until: nil) }.get()
        jump(harness, to: Self.at(15.5))  // let go while paused
        jump(harness, to: Self.at(15.5, days: 1))
        let first = try #require(try harness.daemon.queue.sync { try harness.daemon.pendingPrompts() }.first)
        #expect(first.text.hasPrefix("Welcome back."), "\(first.text)")
        for word in ["missed", "while you were away", "skipped"] {
            #expect(!first.text.lowercased().contains(word), "\(first.text)")
        }
        // Let go by the person: the next prompt is an ordinary one all the same.
        _ = try harness.daemon.queue.sync { SkipHandler.handle(harness.daemon.lifecycle, id: first.id) }.get()
        jump(harness, to: Self.at(10.5, days: 2))
        let next = try #require(try harness.daemon.queue.sync { try harness.daemon.pendingPrompts() }.last)
        #expect(!next.text.hasPrefix("Welcome back."), "only the first prompt after a pause: \(next.text)")
    }

    @Test func streaksOffShowsNoCountAnywhere() throws {
        let harness = try Harness(config: "streaks = false\n" + SchedulerTests.config(SchedulerTests.water))
        for back in [2, 1, 0] { try note(harness, daysBack: back) }
        let result = try stats(harness)
        #expect(result.streak == nil && result.practisedDays == nil)
        #expect(result.weeks.allSatisfy { $0.practisedDays == nil })
        let json = String(decoding: try ControlProtocol.makeEncoder().encode(result), as: UTF8.self)
        #expect(!json.contains("streak") && !json.contains("practised_days"), "\(json)")
        #expect(try harness.call(Request.Status()).get().streak == nil)
        let today = LocalDate(year: 2026, month: 11, day: 21)
        #expect(harness.daemon.queue.sync { harness.daemon.weekSummary(endingOn: today) } == nil)
        // The same journal with streaks on shows them.
        try SchedulerTests.config(SchedulerTests.water).write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        #expect(try stats(harness).streak?.current == 3)
        #expect(try harness.call(Request.Status()).get().streak == 3)
    }

    @Test func eachProgramKeepsItsOwnProgress() throws {
        let circle = SchedulerTests.config(SchedulerTests.water)
            .replacingOccurrences(of: "name = \"none\"", with: "name = \"widening-circle\"")
        let reset = circle.replacingOccurrences(of: "widening-circle", with: "five-day-reset")
        let harness = try Harness(config: circle)
        let today = LocalDate(year: 2026, month: 11, day: 21)
        func position(_ day: LocalDate) -> ProgramPosition? {
            harness.daemon.queue.sync { harness.daemon.programPosition(on: day) }
        }
        func reload(_ text: String) throws {
            try text.write(toFile: harness.configFile, atomically: true, encoding: .utf8)
            _ = try harness.call(Request.Reload()).get()
        }
        #expect(position(today)?.day == 1)
        // Nine practised days in the widening circle, from the 21st on.
        for offset in 0..<9 {
            harness.clock.set(Self.at(13, days: Double(offset)))
            #expect(position(today.adding(days: offset))?.day == offset + 1)
            _ = try harness.daemon.queue.sync {
                try harness.daemon.journal.saveNote(
                    text: "kind", at: harness.clock.now, localDate: today.adding(days: offset).description)
            }
        }
        let switchDay = today.adding(days: 9)
        harness.clock.set(Self.at(13, days: 9))
        #expect(position(switchDay)?.week == 2)

        // The five-day reset begins at its first day, not "complete".
        try reload(reset)
        let first = try #require(position(switchDay))
        #expect(first.day == 1 && !first.isComplete, "\(first)")
        for offset in 9..<11 {
            harness.clock.set(Self.at(13, days: Double(offset)))
            _ = try harness.daemon.queue.sync {
                try harness.daemon.journal.saveNote(
                    text: "kind", at: harness.clock.now, localDate: today.adding(days: offset).description)
            }
        }
        harness.clock.set(Self.at(13, days: 11))
        #expect(position(today.adding(days: 11))?.day == 3)

        // Back to the widening circle: it carries on from its tenth day.
        try reload(circle)
        let back = try #require(position(today.adding(days: 11)))
        #expect(back.day == 10 && back.week == 2, "\(back)")
        // And the reset, taken up again later, resumes at its third day.
        harness.clock.set(Self.at(13, days: 12))
        try reload(reset)
        #expect(position(today.adding(days: 12))?.day == 3)
    }

    @Test func aReflectionWrittenAfterMidnightBelongsToItsDay() throws {
        let harness = try Harness(
            config: SchedulerTests.config("")
                .replacingOccurrences(of: "[intention]\nenabled = false\n", with: "")
                .replacingOccurrences(of: "[reflection]\nenabled = false\n", with: ""))
        func waiting(_ slot: String) throws -> Int64? {
            try harness.daemon.queue.sync { try harness.daemon.pendingPrompts() }.last { $0.slot == slot }?.id
        }
        jump(harness, to: Self.at(8, days: 1))  // the 22nd, the intention
        let intention = try #require(try waiting("intention"))
        _ = try harness.daemon.queue.sync {
            RespondHandler.handle(
                harness.daemon.lifecycle, id: intention, text: "call my brother", mood: nil, energy: nil, channel: "cli")
        }.get()
        jump(harness, to: Self.at(21, days: 1))  // the reflection
        let reflection = try #require(try waiting("reflection"))
        harness.clock.set(Self.at(0.5, days: 2))  // 00:30 on the 23rd
        let saved = try harness.daemon.queue.sync {
            RespondHandler.handle(
                harness.daemon.lifecycle, id: reflection, text: "we laughed", mood: 4, energy: nil, channel: "cli")
        }.get()
        let entry = try #require(try harness.daemon.queue.sync { try harness.daemon.journal.entry(id: saved.id) })
        guard case .answer(let answer) = entry else {
            Issue.record("not an answer")
            return
        }
        #expect(answer.localDate == "2026-11-22")
        let journal = try harness.call(
            Request.Journal(since: "2026-11-22", until: "2026-11-23", slot: nil, search: nil, limit: nil)
        ).get()
        let day = try #require(journal.days.first { $0.date == "2026-11-22" })
        #expect(day.intention?.text == "call my brother")
        #expect(day.reflection?.text == "we laughed")
        #expect(!journal.days.contains { $0.date == "2026-11-23" })
    }

    @Test func askMoodFollowsEachSlotAndABreakNeverAsks() throws {
        let harness = try Harness(
            config: SchedulerTests.config(SchedulerTests.water + "\nask_mood = true\n")
                .replacingOccurrences(of: "[intention]\nenabled = false\n", with: "")
                .replacingOccurrences(of: "[reflection]\nenabled = false\n", with: "[reflection]\nask_mood = false\n")
                .replacingOccurrences(of: "[nudge]\nenabled = false\n", with: "")
                + "\n[break]\nenabled = true\n")
        for slot in ["water", "reflection", "nudge", "break", "intention"] {
            _ = try harness.daemon.queue.sync { FireHandler.handle(harness.daemon.lifecycle, slot: slot) }.get()
        }
        let waiting = try harness.call(Request.Pending()).get().pending
        let asks = Dictionary(waiting.map { ($0.slot, $0.askMood) }, uniquingKeysWith: { first, _ in first })
        #expect(asks == ["water": true, "reflection": false, "nudge": false, "break": false, "intention": true])
    }
}
