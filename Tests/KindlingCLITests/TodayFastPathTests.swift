import Foundation
import Testing

@testable import KindlingCLI

/// The plain `kindling` and `kindling today` skip the argument parser: each form taken must mean
/// what the parser makes of it, every other form is left to the parser, and the screen's heading
/// is worked out without a calendar.
@Suite struct TodayFastPathTests {
    static let taken: [[String]] = [
        [], ["today"], ["--socket", "/s"], ["today", "--socket", "/s"],
    ]

    static let left: [[String]] = [
        ["today", "--json"], ["--json"], ["--json", "today"], ["today", "--help"], ["--help"], ["-h"], ["today", "extra"],
        ["--socket"], ["today", "--socket"], ["--socket", "/s", "today"], ["--socket", "--help"],
        ["today", "--socket", "--json"], ["--socket=/s"],
        ["--socket", "/a", "--socket", "/b"], ["Today"], ["help"],
    ]

    @Test func theFastFormsMeanWhatTheParserMakesOfThem() throws {
        for arguments in Self.taken {
            let fast = try #require(FastPath.match(arguments), "\(arguments)")
            let today = try #require(try Kindling.parseAsRoot(arguments) as? Today, "\(arguments)")
            #expect(fast == .today(socket: today.global.socket), "\(arguments)")
            #expect(!today.global.json, "\(arguments)")
        }
    }

    @Test func everyOtherFormIsLeftToTheParser() {
        for arguments in Self.left {
            #expect(FastPath.match(arguments) == nil, "\(arguments)")
        }
    }

    @Test func theHeadingNamesTheDayAsACalendarWould() throws {
        #expect(Today.heading("2026-11-21") == "Saturday 21 November")
        #expect(Today.heading("2027-01-04") == "Monday 4 January")
        for text in [nil, "", "2026-02-30", "21 November", "2026-11-21T12:00:00Z"] {
            #expect(Today.heading(text) == "Today", "\(text ?? "nil")")
        }
        // Every day of three years, a leap day and a turn of the century among them, against
        // Foundation's calendar.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        var day = try #require(calendar.date(from: DateComponents(year: 1999, month: 12, day: 25)))
        for _ in 0..<(3 * 366) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let (year, month, date, weekday) = (parts.year ?? 0, parts.month ?? 1, parts.day ?? 0, parts.weekday ?? 1)
            let text = String(format: "%04d-%02d-%02d", year, month, date)
            #expect(Today.heading(text) == "\(weekdays[weekday - 1]) \(date) \(months[month - 1])", "\(text)")
            day = day.addingTimeInterval(86_400)
        }
    }
}
