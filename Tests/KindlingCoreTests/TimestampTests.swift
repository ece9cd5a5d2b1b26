import Foundation
import Testing

@testable import KindlingCore

/// Printing a timestamp never traps and never prints a wrong year, whatever the instant: a journal
/// row (imported, or from a damaged file) may hold any value.
@Suite struct TimestampTests {
    private let utc = TimeZone(identifier: "UTC")!
    private let kiritimati = TimeZone(secondsFromGMT: 14 * 3600)!

    @Test func aYearBeforeZeroPrintsWithItsSign() {
        // -0001-01-01T00:00:00Z in the proleptic Gregorian calendar (years 0 and -1: 731 days before 0001).
        let date = Date(timeIntervalSince1970: -62_135_596_800 - 731 * 86_400)
        let text = Timestamp.string(date, in: utc)
        #expect(text.hasPrefix("-0001-01-01T00:00:00.000"), "\(text)")
    }

    @Test func theLastInstantOfYear9999FarEastIsYear10000NotYear0000() {
        let date = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z
        #expect(Timestamp.string(date, in: utc) == "9999-12-31T23:59:59.000+00:00")
        #expect(Timestamp.string(date, in: kiritimati) == "+10000-01-01T13:59:59.000+14:00")
    }

    @Test func extremeAndNonFiniteDatesPrintWithoutTrapping() {
        for date in [
            Date.distantPast, Date.distantFuture, Date(timeIntervalSince1970: -1e300), Date(timeIntervalSince1970: 1e300),
            Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: -.infinity), Date(timeIntervalSince1970: .nan),
        ] {
            let text = Timestamp.string(date, in: kiritimati)
            #expect(text.contains("T") && text.hasSuffix("+14:00"), "\(text)")
        }
    }

    @Test func theJournalRangeIs1970ToTheLastInstantOf9999InEveryZone() {
        #expect(Timestamp.journalRange.contains(Timestamp.parse("1970-01-01T00:00:00Z")!))
        #expect(Timestamp.journalRange.contains(Timestamp.parse("9999-12-31T23:59:59.999+14:00")!))
        #expect(!Timestamp.journalRange.contains(Timestamp.parse("9999-12-31T10:00:00Z")!))
        #expect(!Timestamp.journalRange.contains(Timestamp.parse("1969-12-31T23:59:59Z")!))
        #expect(!Timestamp.journalRange.contains(Timestamp.parse("9999-12-31T23:59:59-01:00")!))
    }
}
