import Foundation
import KindlingControl
import Testing

@testable import KindlingCLI

/// The report page (HTML) and its Markdown twin, rendered from results made here.
@Suite struct ReportPageTests {
    static let words = [
        "Brought soup to Ilsabeth after her surgery", "Let myself nap without apologising",
        "Quennel at work thanked me for the patience", "Wrote a card for the night-shift porter",
        "Paid for the next coffee at Marrowby's", "Forgave myself for the snapped reply",
    ]

    /// A year (2025-12-05 to 2026-12-04) with a practised day four days in five, mood and energy
    /// most days, kindness notes, and, when asked, the entries' words.
    static func year(withWords: Bool = false, counts: Bool = true, program: ReportResult.Program? = ReportPageTests.circle)
        -> ReportResult
    {
        let first = LocalDate(year: 2025, month: 12, day: 5)
        var days: [ReportResult.Day] = []
        var entries: [JournalEntry] = []
        for offset in 0..<365 where offset % 5 != 3 {
            let date = first.adding(days: offset)
            let mood = Double(1 + (offset / 7) % 5)
            days.append(
                ReportResult.Day(
                    date: date.description, entries: 1 + offset % 4, given: offset % 2, received: offset % 3 == 0 ? 1 : 0,
                    mood: offset % 6 == 0 ? nil : mood, energy: Double(1 + (offset / 11) % 5)))
            entries.append(
                JournalEntry(
                    id: Int64(offset + 1), type: offset % 2 == 0 ? "answer" : "note", slot: offset % 2 == 0 ? "reflection" : nil,
                    prompt: offset % 2 == 0 ? "What kindness did you notice today?" : nil, kind: offset % 2 == 0 ? nil : "given",
                    text: words[offset % words.count], mood: 3, at: "\(date)T21:00:00.000+00:00", localDate: date.description))
        }
        return ReportResult(
            since: first.description, until: "2026-12-04", today: "2026-12-04", madeAt: "2026-12-04T18:00:00.000+00:00",
            counts: counts, days: days, program: program, entries: withWords ? entries : nil)
    }

    static let circle = ReportResult.Program(
        name: "widening-circle", title: "Widening circle", stepsBy: "week", step: 3, steps: 4,
        theme: "acquaintances and coworkers", complete: false)

    /// Everything that could make a browser fetch something, or name a place to fetch from.
    static func references(in page: String) -> [String] {
        let lower = page.lowercased().replacingOccurrences(of: "http-equiv", with: "")
        return [
            "http", "//", "src=", "href=", "url(", "@import", "<script", "<link", "<img", "<iframe", "xlink", "ftp:", "data:",
        ]
        .filter { lower.contains($0) }
    }

    @Test func thePageFetchesNothingAndHoldsNoWordsUnlessAsked() {
        for result in [Self.year(), Self.year(counts: false, program: nil), Self.year(withWords: true)] {
            let page = ReportPage.html(result)
            #expect(Self.references(in: page).isEmpty, "\(Self.references(in: page))")
            #expect(page.contains("default-src 'none'"), "the page forbids every fetch")
        }
        let quiet = ReportPage.html(Self.year())
        for text in Self.words {
            for word in text.split(separator: " ") where word.count > 5 {
                #expect(!quiet.contains(word), "\(word) is on a page without text")
            }
        }
        #expect(quiet.contains("none of the words written in the journal"))
        let shared = ReportPage.html(Self.year(withWords: true))
        #expect(shared.contains("Brought soup to Ilsabeth after her surgery"))
        #expect(shared.contains("Paid for the next coffee at Marrowby&#39;s"), "the words are escaped")
        #expect(shared.contains("words from the journal, chosen to be shared"))
    }

    @Test func theWordsCannotBecomeMarkup() {
        var result = Self.year()
        result.entries = [
            JournalEntry(
                id: 1, type: "note", text: "<script>fetch('http://x')</script> <img src=x> & \u{1B}[31m",
                at: "2026-12-01T10:00:00.000+00:00", localDate: "2026-12-01")
        ]
        let page = ReportPage.html(result)
        #expect(!page.contains("<script") && !page.contains("<img"))
        #expect(page.contains("&lt;script&gt;fetch(&#39;http:"))
        #expect(!page.contains("\u{1B}"), "control characters never reach the page")
        let markdown = ReportMarkdown.render(result)
        #expect(!markdown.contains("\u{1B}"))
        #expect(markdown.contains("> <script>"), "Markdown quotes the words as they were written")
    }

    @Test func theCalendarFillsThePractisedDaysAndDrawsTheRest() {
        let result = Self.year()
        let calendar = ReportCharts.calendar(ReportSummary(result))
        let practised = ["p1", "p2", "p3"].map { calendar.components(separatedBy: "class=\"\($0)\"").count - 1 }
        #expect(practised.reduce(0, +) == result.days.count)
        #expect(practised.allSatisfy { $0 > 0 }, "deeper colours for days with more entries: \(practised)")
        // Every day of the range has its cell, and only those: 365 days, 13 months.
        #expect(calendar.components(separatedBy: "<rect").count - 1 == 365)
        #expect(calendar.components(separatedBy: "<g transform").count - 1 == 13)
        #expect(calendar.contains(">December 2025<") && calendar.contains(">December 2026<"))
        #expect(calendar.contains("aria-label=\"Calendar of practised days: 292 practised days\""))
        // A range of a week draws seven cells.
        var week = result
        week.since = "2026-11-30"
        let small = ReportCharts.calendar(ReportSummary(week))
        #expect(small.components(separatedBy: "<rect").count - 1 == 5, "30 November to 4 December")
    }

    @Test func moodAndEnergyAreDrawnAsTwoLines() throws {
        let chart = try #require(ReportCharts.feelings(ReportSummary(Self.year())))
        #expect(chart.contains("<g class=\"mood\">") && chart.contains("<g class=\"energy\">"))
        let moodDays = Self.year().days.filter { $0.mood != nil }.count
        let moodGroup = try #require(
            chart.components(separatedBy: "<g class=\"mood\">").last?.components(separatedBy: "</g>").first)
        #expect(moodGroup.components(separatedBy: "<circle").count - 1 == moodDays)
        #expect(chart.contains("<path d=\"M"), "\(chart.prefix(400))")
        #expect(chart.contains(">Jan 2026<"), "months along the bottom, the year at January")
        // Values are placed on the 1 to 5 scale: a mood of 5 at the top, 1 at the bottom.
        #expect(ReportCharts.plotTop < ReportCharts.plotBottom)
        var none = Self.year()
        for index in none.days.indices {
            none.days[index].mood = nil
            none.days[index].energy = nil
        }
        #expect(ReportCharts.feelings(ReportSummary(none)) == nil)
        #expect(ReportPage.html(none).contains("No mood or energy was noted in these dates."))
    }

    @Test func aLongGapBreaksTheLine() {
        let values: [(date: LocalDate, value: Double)] = [
            (LocalDate(year: 2026, month: 1, day: 1), 2), (LocalDate(year: 2026, month: 1, day: 2), 3),
            (LocalDate(year: 2026, month: 3, day: 1), 4),
        ]
        let path = ReportCharts.line(values, smoothed: false, x: { Double($0.day) }, y: { $0 })
        #expect(path == "M1 2 L2 3 M1 4")
    }

    @Test func theFiguresCountWhatWasPractisedOnly() {
        let result = Self.year()
        let page = ReportPage.html(result)
        let given = result.days.reduce(0) { $0 + $1.given }
        let received = result.days.reduce(0) { $0 + $1.received }
        #expect(page.contains("<span class=\"figure\">292</span> <span>practised days</span>"))
        #expect(page.contains("<span class=\"figure\">\(given)</span> <span>kindness given</span>"))
        #expect(page.contains("<span class=\"figure\">\(received)</span> <span>kindness received</span>"))
        #expect(page.contains("Widening circle: week 3 of 4, acquaintances and coworkers."))
        #expect(page.contains("<svg id=\"kindness-chart\""))
        for page in [page, ReportMarkdown.render(result), ReportPage.html(Self.year(withWords: true))] {
            let lower = page.lowercased()
            for word in ["missed", "failed", "streak", "broken", "skipped", "unpractised", "not practised", "without practice"] {
                #expect(!lower.contains(word), "\(word)")
            }
        }
        // `streaks = false`: no count of practised days anywhere.
        let uncounted = Self.year(counts: false)
        for page in [ReportPage.html(uncounted), ReportMarkdown.render(uncounted)] {
            #expect(!page.contains(">292<") && !page.contains("292 practised"), "a count of days with streaks = false")
            #expect(!page.contains("practised days<"))
        }
    }

    @Test func theProgramShowsItsSteps() {
        var result = Self.year()
        let bar = ReportCharts.program(Self.circle)
        #expect(bar.components(separatedBy: "class=\"done\"").count - 1 == 2)
        #expect(bar.components(separatedBy: "class=\"now\"").count - 1 == 1)
        #expect(bar.components(separatedBy: "class=\"later\"").count - 1 == 1)
        result.program = .init(
            name: "five-day-reset", title: "Five-day reset", stepsBy: "day", step: 5, steps: 5, theme: nil, complete: true)
        #expect(ReportPage.html(result).contains("Five-day reset: all 5 days practised."))
        result.program = nil
        #expect(!ReportPage.html(result).contains("id=\"program\""))
    }

    @Test func aYearMakesASmallPage() {
        let page = ReportPage.html(Self.year())
        #expect(page.utf8.count < 300_000, "\(page.utf8.count) bytes")
        #expect(page.hasPrefix("<!doctype html>") && page.hasSuffix("</html>\n"))
        #expect(page.contains("@media print"))
    }

    @Test func anEmptyRangeSaysSoGently() {
        let empty = ReportResult(
            since: "2026-12-04", until: "2026-12-04", today: "2026-12-04", madeAt: "2026-12-04T18:00:00.000+00:00", counts: true,
            days: [], program: nil, entries: nil)
        let page = ReportPage.html(empty)
        #expect(page.contains("The days practised in these dates will gather here."))
        #expect(page.contains("<p class=\"range\">4 December 2026</p>"))
        #expect(ReportMarkdown.render(empty).contains("The days practised in these dates will gather here."))
    }

    @Test func markdownSaysTheSameInText() {
        let result = Self.year()
        let text = ReportMarkdown.render(result)
        #expect(text.hasPrefix("# Kindness practice\n\n5 December 2025 to 4 December 2026\n"))
        #expect(text.contains("292 practised days"))
        let december = result.days.filter { $0.date.hasPrefix("2025-12") }.compactMap { LocalDate($0.date)?.day }
        #expect(text.contains("- **December 2025**: " + december.map(String.init).joined(separator: ", ") + "\n"))
        #expect(text.contains("| Month | Mood | Energy |"))
        #expect(text.contains("| **All** | **\(result.days.reduce(0) { $0 + $1.given })** |"))
        #expect(text.contains("Widening circle: week 3 of 4, acquaintances and coworkers."))
        for words in Self.words { #expect(!text.contains(words)) }
        #expect(!text.contains("Words from the journal"))
        let shared = ReportMarkdown.render(Self.year(withWords: true))
        #expect(shared.contains("## Words from the journal"))
        #expect(shared.contains("**Evening reflection** – *What kindness did you notice today?*\n\n> Brought soup to Ilsabeth"))
    }

    @Test func theLineBeforeWritingSaysWhatThePageHolds() {
        let quiet = ReportSummary(Self.year()).inclusionLine(path: "kindling-report-2026-12-04.html")
        #expect(
            quiet
                == "Writing kindling-report-2026-12-04.html (5 December 2025 to 4 December 2026): practised days, mood and energy, kindness given and received, program progress; none of the words you wrote."
        )
        var two = Self.year(withWords: true)
        two.entries = Array(two.entries!.prefix(2))
        #expect(ReportSummary(two).inclusionLine(path: "r.html").hasSuffix("; the words of 2 entries you wrote."))
        #expect(!quiet.contains("\n"))
    }

    @Test func escapingCoversMarkupAndAttributes() {
        #expect(ReportPage.escape("a<b>&\"c'\n") == "a&lt;b&gt;&amp;&quot;c&#39;\n")
        #expect(ReportPage.escape("\u{7}\u{85}") == "\u{FFFD}\u{FFFD}")
    }
}
