import KindlingCore
import Testing

@testable import KindlingCLI

/// The thin CLI has its own small date type and slot names (it may not import KindlingCore);
/// they must give the model's answers exactly.
struct LocalDateAgreementTests {
    typealias CLIDate = KindlingCLI.LocalDate
    typealias CoreDate = KindlingCore.LocalDate

    /// Every day from 1600 to 2500 (about 330,000), both ways, with its weekday and text.
    @Test func everyDayOfNineCenturiesIsTheSameDate() {
        let first = CoreDate(year: 1600, month: 1, day: 1).daysSinceEpoch
        let last = CoreDate(year: 2500, month: 12, day: 31).daysSinceEpoch
        var mismatches: [String] = []
        for days in first...last {
            let core = CoreDate(daysSinceEpoch: days)
            let cli = CLIDate(daysSinceEpoch: days)
            if cli.year != core.year || cli.month != core.month || cli.day != core.day || cli.daysSinceEpoch != days
                || cli.weekday.rawValue != core.weekday.rawValue || cli.description != core.description
                || CLIDate(core.description) != cli
            {
                mismatches.append(core.description)
                if mismatches.count > 5 { break }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test(arguments: [
        "2026-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-1-01", "2026-01-1", "+026-01-01", "2026-01-0a", "２０２６-01-01", "2026-01-01 ", "", "2026/01/01", "0000-01-01",
    ])
    func textIsReadAsTheModelReadsIt(text: String) {
        #expect(CLIDate(text)?.description == CoreDate(text)?.description, "\(text)")
    }

    @Test func weekdayNamesAreTheModels() {
        for day in KindlingCLI.Weekday.allCases {
            let core = KindlingCore.Weekday(rawValue: day.rawValue)
            #expect(day.fullName == core?.fullName && day.shortName == core?.shortName)
        }
        #expect(KindlingCLI.Weekday.allCases.count == KindlingCore.Weekday.allCases.count)
    }

    @Test func slotNamesAreTheDaemons() {
        for slot in Configuration.builtinSlotNames + ["tea", "walk-1"] {
            #expect(SlotNames.displayName(of: slot) == Schedule.displayName(of: slot), "\(slot)")
        }
    }
}
