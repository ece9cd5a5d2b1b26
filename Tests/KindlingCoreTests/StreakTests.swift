import KindlingCore
import Testing

/// Streaks with grace (DESIGN.md): consecutive practised days, forgiving up to two unpractised days in
/// each ISO week (Monday to Sunday). 2026-11-16 is a Monday.
@Suite struct StreakTests {
    private func d(_ text: String) -> LocalDate {
        LocalDate(text)!
    }

    private func streaks(_ days: [String], today: String) -> Streaks {
        Streak.compute(practised: Set(days.map(d)), today: d(today))
    }

    @Test func nothingPractisedIsNoStreakAtAll() {
        #expect(streaks([], today: "2026-11-21") == Streaks(current: nil, best: nil))
    }

    @Test func consecutiveDaysCount() {
        let result = streaks(["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"], today: "2026-11-21")
        #expect(result.current == StreakRun(days: 4, from: d("2026-11-18"), to: d("2026-11-21")))
        #expect(result.best == result.current)
    }

    @Test func todayNotYetPractisedDoesNotBreakTheStreak() {
        let days = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]
        #expect(streaks(days, today: "2026-11-21").current?.days == 5)
        // Nor does it use up the week's grace: Thursday and Friday quiet, Saturday still open.
        let result = streaks(["2026-11-16", "2026-11-17", "2026-11-18"], today: "2026-11-21")
        #expect(result.current == StreakRun(days: 3, from: d("2026-11-16"), to: d("2026-11-18")))
    }

    @Test func twoQuietDaysInAWeekAreForgivenAndNotCounted() {
        let result = streaks(["2026-11-16", "2026-11-19", "2026-11-20"], today: "2026-11-20")
        #expect(result.current == StreakRun(days: 3, from: d("2026-11-16"), to: d("2026-11-20")))
    }

    @Test func aThirdQuietDayInTheSameWeekEndsTheStreak() {
        let result = streaks(["2026-11-16", "2026-11-20"], today: "2026-11-20")
        #expect(result.current == StreakRun(days: 1, from: d("2026-11-20"), to: d("2026-11-20")))
        #expect(result.best?.days == 1)
        // Without a practised day since, today (Friday) is after three quiet days: no current streak.
        #expect(streaks(["2026-11-16"], today: "2026-11-20").current == nil)
        // On Thursday only two had passed: still alive.
        #expect(streaks(["2026-11-16"], today: "2026-11-19").current?.days == 1)
    }

    @Test func graceIsPerISOWeekSoQuietDaysAcrossAWeekendAreForgivenTwice() {
        // Saturday and Sunday quiet (week of 9 November), Monday and Tuesday quiet (week of 16 November).
        let result = streaks(["2026-11-12", "2026-11-13", "2026-11-18"], today: "2026-11-18")
        #expect(result.current == StreakRun(days: 3, from: d("2026-11-12"), to: d("2026-11-18")))
    }

    @Test func graceDoesNotCarryOverToTheNextWeek() {
        // A full week practised, then three quiet days (Monday to Wednesday) in the next.
        let fullWeek = (9...15).map { "2026-11-" + ($0 < 10 ? "0" : "") + "\($0)" }
        let result = streaks(fullWeek + ["2026-11-19"], today: "2026-11-19")
        #expect(result.current == StreakRun(days: 1, from: d("2026-11-19"), to: d("2026-11-19")))
        #expect(result.best == StreakRun(days: 7, from: d("2026-11-09"), to: d("2026-11-15")))
    }

    @Test func aNewStreakStartsAsEarlyAsTheGraceAllows() {
        // Week of 9 Nov all practised; then Mon and Tue quiet, Wed practised, Thu quiet (a third),
        // Fri and Sat practised. The break drops only what it must: the streak restarts on Wednesday.
        let days = (9...15).map { "2026-11-" + ($0 < 10 ? "0" : "") + "\($0)" } + ["2026-11-18", "2026-11-20", "2026-11-21"]
        let result = streaks(days, today: "2026-11-21")
        #expect(result.current == StreakRun(days: 3, from: d("2026-11-18"), to: d("2026-11-21")))
        #expect(result.best == StreakRun(days: 8, from: d("2026-11-09"), to: d("2026-11-18")))
    }

    @Test func theBestIsTheMostRecentOfEqualStreaksAndFutureDatesAreIgnored() {
        let result = streaks(["2026-11-02", "2026-11-03", "2026-11-19", "2026-11-20", "2026-12-01"], today: "2026-11-20")
        #expect(result.best == StreakRun(days: 2, from: d("2026-11-19"), to: d("2026-11-20")))
        #expect(result.current == result.best)
    }

    @Test func yearBoundariesFollowISOWeeks() {
        // 2026-12-28 is a Monday; its ISO week runs to Sunday 2027-01-03.
        #expect(d("2026-12-28").weekday == .monday)
        #expect(d("2027-01-03").startOfWeek == d("2026-12-28"))
        // Quiet 29 and 31 December (two in that week) are forgiven; 30 Dec and 1-3 Jan practised.
        let result = streaks(["2026-12-28", "2026-12-30", "2027-01-01", "2027-01-02", "2027-01-03"], today: "2027-01-04")
        #expect(result.current?.days == 5)
    }

    /// Against a brute force over every span, on many pseudo-random histories.
    @Test func agreesWithABruteForceOverEverySpan() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        let start = d("2026-10-01").daysSinceEpoch
        for _ in 0..<300 {
            let length = Int(next() % 40) + 1
            let density = next() % 100
            var practised: Set<Int> = []
            for offset in 0..<length where next() % 100 < density { practised.insert(start + offset) }
            let today = start + length - 1 + Int(next() % 3)
            let result = Streak.compute(
                practised: Set(practised.map { LocalDate(daysSinceEpoch: $0) }), today: LocalDate(daysSinceEpoch: today))
            let expected = bruteForce(practised, today: today)
            #expect(result.best?.days ?? 0 == expected.best, "\(practised.sorted()) today \(today)")
            #expect(result.current?.days ?? 0 == expected.current, "\(practised.sorted()) today \(today)")
        }
    }

    private func bruteForce(_ practised: Set<Int>, today: Int) -> (best: Int, current: Int) {
        func valid(_ from: Int, _ to: Int) -> Bool {
            var quiet: [Int: Int] = [:]
            for day in from...to where !practised.contains(day) && day != today {
                let week = Int((Double(day + 3) / 7).rounded(.down))
                quiet[week, default: 0] += 1
                if quiet[week]! > Streak.graceDaysPerWeek { return false }
            }
            return true
        }
        let days = practised.filter { $0 <= today }.sorted()
        var best = 0
        for (i, from) in days.enumerated() {
            for to in days[i...] where valid(from, to) { best = max(best, days.filter { $0 >= from && $0 <= to }.count) }
        }
        var current = 0
        let end = practised.contains(today) ? today : today - 1
        for from in days where from <= end && valid(from, end) {
            current = max(current, days.filter { $0 >= from && $0 <= end }.count)
        }
        return (best, current)
    }
}

/// Rest never costs: paused days are stepped over, neither breaking a streak nor using grace.
@Suite struct PausedStreakTests {
    private func d(_ text: String) -> LocalDate {
        LocalDate(text)!
    }

    private func days(from first: String, count: Int) -> [LocalDate] {
        (0..<count).map { d(first).adding(days: $0) }
    }

    @Test func aPausedWeekNeitherBreaksTheStreakNorCountsInIt() {
        // Practised Mon 16 to Wed 18, paused Thu 19 to Wed 25 (seven days), practised Thu 26.
        let practised = Set(days(from: "2026-11-16", count: 3) + [d("2026-11-26")])
        let paused = Set(days(from: "2026-11-19", count: 7))
        let result = Streak.compute(practised: practised, paused: paused, today: d("2026-11-26"))
        #expect(result.current == StreakRun(days: 4, from: d("2026-11-16"), to: d("2026-11-26")))
        // Without the pause the same days are two streaks.
        #expect(Streak.compute(practised: practised, today: d("2026-11-26")).current?.days == 1)
    }

    @Test func pausedDaysDoNotUseUpTheWeeksGrace() {
        // Week of Mon 16: Mon practised, Tue and Wed paused, Thu and Fri quiet (the two grace
        // days), Sat practised. Were the paused days quiet ones, Thu would be one too many.
        let practised: Set = [d("2026-11-16"), d("2026-11-21")]
        let paused: Set = [d("2026-11-17"), d("2026-11-18")]
        let result = Streak.compute(practised: practised, paused: paused, today: d("2026-11-21"))
        #expect(result.current == StreakRun(days: 2, from: d("2026-11-16"), to: d("2026-11-21")))
        #expect(Streak.compute(practised: practised, today: d("2026-11-21")).current?.days == 1)
    }

    @Test func aPauseRunningUntilTodayKeepsTheStreakAlive() {
        let practised = Set(days(from: "2026-11-09", count: 5))
        let paused = Set(days(from: "2026-11-14", count: 8))
        let result = Streak.compute(practised: practised, paused: paused, today: d("2026-11-21"))
        #expect(result.current?.days == 5)
        #expect(Streak.compute(practised: practised, today: d("2026-11-21")).current == nil)
    }

    @Test func aPractisedDayDuringAPauseStillCounts() {
        let practised: Set = [d("2026-11-16"), d("2026-11-17"), d("2026-11-18")]
        let paused: Set = [d("2026-11-17")]
        #expect(Streak.compute(practised: practised, paused: paused, today: d("2026-11-18")).current?.days == 3)
    }
}
