import Dispatch
import Foundation
import KindlingControl
import Testing

@testable import KindlingCore
@testable import KindlingDaemon

/// Where two parts of the care work meet: a welcome back before a quoted intention, a welcome
/// back composed ahead of a pause's end, hiding the practice's own questions, and which day an
/// answer belongs to.
@Suite(.serialized) struct CareReviewTests {
    typealias Harness = DaemonTests.Harness

    static func at(_ hours: Double, days: Double = 0) -> Date { SchedulerTests.at(hours, days: days) }

    @Test func aQuoteAfterAWelcomeBackIsRewrittenAndRemovedLikeAnyOther() {
        let opener = PromptComposer.quotingOpener("call my sister")
        let prompt = PromptComposer.welcomingBack(opener + "How did the day go?")
        #expect(PromptComposer.quotes(prompt, intention: "call my sister"))
        #expect(
            PromptComposer.requoting(prompt, intention: "call my sister", replacement: nil)
                == PromptComposer.welcomingBack("How did the day go?"))
        let edited = PromptComposer.requoting(prompt, intention: "call my sister", replacement: "write to Sam")
        #expect(edited == PromptComposer.welcomingBack(PromptComposer.quotingOpener("write to Sam") + "How did the day go?"))
        #expect(edited?.contains("sister") == false)
    }

    @Test func aPromptComposedBeforeThePauseEndsStillWelcomesThePersonBack() throws {
        let harness = try Harness(config: SchedulerTests.config(SchedulerTests.water))
        let end = Self.at(15.5, days: 1)  // the pause ends exactly when tomorrow's water is due
        _ = try harness.daemon.queue.sync {
            PauseHandler.handle(
                harness.daemon.lifecycle, duration: nil, until: Timestamp.string(end, in: harness.daemon.timeZone))
        }.get()
        harness.clock.set(Self.at(14, days: 1))  // composed ahead, an hour and a half before
        #expect(harness.daemon.queue.sync { harness.daemon.isFirstPromptAfterPause(at: end) })
        #expect(!harness.daemon.queue.sync { harness.daemon.isFirstPromptAfterPause(at: end.addingTimeInterval(-60)) })
    }

    @Test func thePracticesOwnQuestionsCanBeListedAndHidden() throws {
        let harness = try Harness()
        let seed = try #require(PromptCatalog.seedIntentions.first)
        let listed = try harness.call(Request.PromptList()).get()
        #expect(listed.prompts.contains { $0.key == seed.key })
        let hidden = try harness.call(Request.PromptHide(key: seed.key)).get()
        #expect(hidden.hidden && hidden.changed)
        let gentle = try #require(PromptCatalog.gentleNudges.first)
        #expect(throws: Never.self) {
            try harness.call(Request.PromptHide(key: gentle.key)).get()
        }
    }

    @Test func anAnswerOtherThanAReflectionBelongsToTheDayItIsGiven() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[review]\nat = \"sat 19:00\"\n")
        harness.clock.set(Self.at(19))
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        let review = try #require(
            try harness.daemon.queue.sync { try harness.daemon.pendingPrompts() }.first { $0.slot == "review" })
        harness.clock.set(Self.at(9, days: 1))  // Sunday morning, still open (24 h)
        let saved = try harness.daemon.queue.sync {
            RespondHandler.handle(
                harness.daemon.lifecycle, id: review.id, text: "a good week", mood: nil, energy: nil, channel: "cli")
        }.get()
        let entry = try #require(try harness.daemon.queue.sync { try harness.daemon.journal.entry(id: saved.id) })
        guard case .answer(let answer) = entry else {
            Issue.record("not an answer")
            return
        }
        #expect(answer.localDate == "2026-11-22", "answered on Sunday: a practised Sunday")
    }
}
