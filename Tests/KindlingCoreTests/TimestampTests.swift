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

    /// Found by the import fuzzer: ICU's parser died of SIGFPE on a fraction of some forty
    /// digits. Such a time is refused before it gets there; nanoseconds still read.
    @Test func aFractionLongerThanNanosecondsIsRefusedNotParsed() {
        let long = "2025-11-20T10:00:00.0" + String(repeating: "5", count: 110) + "00+00:00"
        #expect(Timestamp.parse(long) == nil)
        #expect(Timestamp.parse("2025-11-20T10:00:00.0555555555Z") == nil)
        #expect(Timestamp.parse("2025-11-20T10:00:00.055555555Z") != nil)
        #expect(Timestamp.parse("2025-11-20T10:00:00.5+01:00") != nil)
        #expect(Timestamp.parse("2025-11-20T10:00:00Z") != nil)
    }

    /// The hand-read form gives the instant the formatters give, for every zone offset and any
    /// time a journal may hold; anything else is left to the formatters.
    @Test func theExactFormReadsAsTheFormattersReadIt() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let zones = [0, 3600, -3600, 5 * 3600 + 45 * 60, -(3 * 3600 + 30 * 60), 14 * 3600, -12 * 3600].map {
            TimeZone(secondsFromGMT: $0)!
        }
        var generator = SystemRandomNumberGenerator()
        var read = 0
        for index in 0..<2_000 {
            let millis = Double(Int64.random(in: 0...253_402_200_000_000, using: &generator)) / 1000
            let zone = zones[index % zones.count]
            var text = Timestamp.string(Date(timeIntervalSince1970: millis), in: zone)
            if index % 5 == 0, zone.secondsFromGMT() == 0 { text = text.replacingOccurrences(of: "+00:00", with: "Z") }
            guard let exact = Timestamp.parseExact(text) else {
                Issue.record("\(text) was not read by hand")
                continue
            }
            let reference = formatter.date(from: text)
            #expect(
                reference.map { ($0.timeIntervalSince1970 * 1000).rounded() } == (exact.timeIntervalSince1970 * 1000).rounded(),
                "\(text)")
            #expect(Timestamp.parse(text) == exact)
            read += 1
        }
        #expect(read == 2_000)
        for other in [
            "2026-11-21T21:00:00Z", "2026-11-21T21:00:00.5+01:00", "2026-02-30T10:00:00.000Z", "2026-11-21T24:00:00.000Z",
            "1969-12-31T23:59:59.999Z", "2026-11-21T21:00:00.000+15:00", "2026-11-21 21:00:00.000Z", "+10000-01-01T00:00:00.000Z",
            "2026-11-21T21:00:00.000+01:60", "２026-11-21T21:00:00.000Z",
        ] {
            #expect(Timestamp.parseExact(other) == nil, "\(other)")
        }
        #expect(Timestamp.parse("2026-11-21T21:00:00Z") != nil)
    }
}
