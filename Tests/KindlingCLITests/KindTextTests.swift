import Foundation
import KindlingControl
import Testing

@testable import KindlingCLI

/// What `watch` and `stats` say at the person when something did not happen: nothing that
/// counts it as a failure. (`--json` keeps the wire names; DESIGN.md fixes them.)
@Suite struct KindTextTests {
    @Test func watchSaysClosedAndLetGoNotExpiredAndMissed() {
        let expired = Watch.describe(Event(event: .expired, id: 4, slot: "intention"))
        let missed = Watch.describe(Event(event: .missed, id: 5, slot: "reflection"))
        #expect(expired == "[4] closed, nothing more to do")
        #expect(missed == "[5] let go, nothing more to do")
        for line in [expired, missed] {
            #expect(!line.contains("expired") && !line.contains("missed"), "\(line)")
        }
    }

    @Test func statsBetweenStreaksNamesNoEnding() {
        let between = StatsText.streak(
            .init(
                current: 0, currentSince: nil, best: 4, bestSince: "2026-11-02", bestUntil: "2026-11-05",
                graceDaysPerWeek: 2))
        #expect(!between.contains("new streak"), "\(between)")
        #expect(!between.lowercased().contains("missed") && !between.lowercased().contains("broke"), "\(between)")
        #expect(between.contains("Best so far: 4 practised days"), "\(between)")
    }
}
