import Foundation
import KindlingControl
import Testing

@testable import KindlingCLI

/// `streaks = false`: the daemon sends no streak and no day count, and `stats` prints neither.
@Suite struct StatsTextTests {
    private func stats(counted: Bool) -> StatsResult {
        let streak = StatsResult.Streak(
            current: 3, currentSince: "2026-11-19", best: 3, bestSince: "2026-11-19", bestUntil: "2026-11-21",
            graceDaysPerWeek: 2)
        let days = (16...21).map {
            StatsResult.Day(date: "2026-11-\($0)", answers: $0 > 18 ? 1 : 0, notes: 0, mood: nil, energy: nil)
        }
        return StatsResult(
            today: "2026-11-21", from: "2026-11-16", streak: counted ? streak : nil, practisedDays: counted ? 3 : nil,
            weeks: [
                .init(
                    start: "2026-11-16", answers: [.init(slot: "intention", count: 3)], notes: 0, practisedDays: counted ? 3 : nil
                )
            ],
            days: days)
    }

    @Test func withStreaksOffNoStreakOrDayCountIsPrinted() {
        let off = StatsText.render(stats(counted: false), unicode: false)
        #expect(!off.lowercased().contains("streak"), "\(off)")
        #expect(!off.contains("practised kindness on"), "\(off)")
        #expect(off.contains("Calendar"), "the rest of stats is still there: \(off)")
        let on = StatsText.render(stats(counted: true), unicode: false)
        #expect(on.contains("Streak: 3 practised days"), "\(on)")
        #expect(on.contains("You practised kindness on 3 days"), "\(on)")
    }
}
