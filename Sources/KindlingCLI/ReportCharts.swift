import FoundationEssentials
import KindlingControl

/// The report's pictures as inline SVG (no xmlns, no link, nothing fetched): the calendar of
/// practised days, mood and energy over time, kindness by month, and the program's steps.
/// Colours come from classes the page's stylesheet defines (``ReportPage``).
enum ReportCharts {
    // MARK: - Calendar

    /// Cell size and pitch, and a month block's size.
    static let cell = 16
    static let pitch = 19
    static let monthWidth = 7 * 19 + 17
    static let monthHeight = 36 + 6 * 19 + 12
    static let monthsPerRow = 6

    /// A wall calendar of the range, month by month: practised days filled (deeper with more
    /// entries), the other days of the range drawn plainly, days outside the range left out.
    static func calendar(_ summary: ReportSummary) -> String {
        let columns = min(monthsPerRow, max(1, summary.months.count))
        let rows = (summary.months.count + monthsPerRow - 1) / monthsPerRow
        let width = columns * monthWidth - 17
        let height = max(1, rows) * monthHeight
        let label = summary.practisedLine.map { "Calendar of practised days: \($0)" } ?? "Calendar of practised days"
        var out =
            "<svg id=\"calendar-chart\" class=\"cal\" role=\"img\" aria-label=\"\(ReportPage.escape(label))\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        for (index, month) in summary.months.enumerated() {
            let x0 = (index % monthsPerRow) * monthWidth
            let y0 = (index / monthsPerRow) * monthHeight
            out += "<g transform=\"translate(\(x0) \(y0))\">"
            out += "<text class=\"m\" x=\"0\" y=\"13\">\(ReportSummary.monthName(year: month.year, month: month.month))</text>"
            for (column, letter) in ["M", "T", "W", "T", "F", "S", "S"].enumerated() {
                out += "<text class=\"w\" x=\"\(column * pitch + cell / 2)\" y=\"29\">\(letter)</text>"
            }
            let firstOfMonth = LocalDate(year: month.year, month: month.month, day: 1)
            let offset = firstOfMonth.weekday.rawValue - 1
            var day = firstOfMonth
            while day.month == month.month {
                defer { day = day.adding(days: 1) }
                guard day >= summary.first, day <= summary.last else { continue }
                let slot = offset + day.day - 1
                let x = (slot % 7) * pitch
                let y = 36 + (slot / 7) * pitch
                let shade: String
                switch summary.practised[day]?.entries ?? 0 {
                case 0: shade = "d"
                case 1: shade = "p1"
                case 2...3: shade = "p2"
                default: shade = "p3"
                }
                out += "\n<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" rx=\"3\" class=\"\(shade)\"/>"
                out += "<text x=\"\(x + cell / 2)\" y=\"\(y + 11)\"\(shade == "p3" ? " class=\"on\"" : "")>\(day.day)</text>"
            }
            out += "</g>\n"
        }
        return out + "</svg>"
    }

    // MARK: - Mood and energy

    static let chartWidth = 900
    static let chartHeight = 250
    static let plotLeft = 44.0
    static let plotRight = 884.0
    static let plotTop = 16.0
    static let plotBottom = 206.0

    /// Mood and energy over the range: a dot for each day one was noted, and a line that follows
    /// the days around it (the mean of the values within three days either side, so a year
    /// reads as a shape rather than as noise). Nil when none was noted.
    static func feelings(_ summary: ReportSummary) -> String? {
        let moods = summary.moods
        let energies = summary.energies
        guard !moods.isEmpty || !energies.isEmpty else { return nil }
        let span = max(1, summary.last.daysSinceEpoch - summary.first.daysSinceEpoch)
        func x(_ date: LocalDate) -> Double {
            plotLeft + Double(date.daysSinceEpoch - summary.first.daysSinceEpoch) / Double(span) * (plotRight - plotLeft)
        }
        func y(_ value: Double) -> Double {
            plotBottom - (min(max(value, 1), 5) - 1) / 4 * (plotBottom - plotTop)
        }
        let n = ReportSummary.number
        var out =
            "<svg id=\"feelings-chart\" class=\"feel\" role=\"img\" aria-label=\"Mood and energy over time, 1 low to 5 high\" width=\"\(chartWidth)\" height=\"\(chartHeight)\" viewBox=\"0 0 \(chartWidth) \(chartHeight)\">\n"
        for level in 1...5 {
            let at = n(y(Double(level)))
            out += "<line class=\"grid\" x1=\"\(n(plotLeft))\" x2=\"\(n(plotRight))\" y1=\"\(at)\" y2=\"\(at)\"/>"
            out += "<text class=\"axis\" x=\"\(n(plotLeft - 10))\" y=\"\(n(y(Double(level)) + 4))\">\(level)</text>\n"
        }
        // A label at the start of each month (with its year in January and at the very start).
        var lastLabelX = -100.0
        for month in summary.months {
            let start = max(summary.first, LocalDate(year: month.year, month: month.month, day: 1))
            let at = x(start)
            guard at - lastLabelX >= 40, at <= plotRight - 20 || summary.months.count == 1 else { continue }
            lastLabelX = at
            var name = String(JournalText.monthNames[month.month - 1].prefix(3))
            if month.month == 1 || start == summary.first { name += " \(month.year)" }
            out += "<line class=\"tick\" x1=\"\(n(at))\" x2=\"\(n(at))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom + 5))\"/>"
            out += "<text class=\"month\" x=\"\(n(at))\" y=\"\(n(plotBottom + 20))\">\(name)</text>\n"
        }
        for (series, values) in [("mood", moods), ("energy", energies)] where !values.isEmpty {
            out += "<g class=\"\(series)\">"
            for value in values {
                out += "<circle cx=\"\(n(x(value.date)))\" cy=\"\(n(y(value.value)))\" r=\"2.5\"/>"
            }
            out += "\n<path d=\"\(line(values, smoothed: span > 45, x: x, y: y))\"/></g>\n"
        }
        // The legend, top right.
        let legendX = Int(plotRight) - 170
        out += "<g class=\"legend\"><line class=\"mood-key\" x1=\"\(legendX)\" x2=\"\(legendX + 22)\" y1=\"236\" y2=\"236\"/>"
        out += "<text x=\"\(legendX + 28)\" y=\"240\">Mood</text>"
        out += "<line class=\"energy-key\" x1=\"\(legendX + 85)\" x2=\"\(legendX + 107)\" y1=\"236\" y2=\"236\"/>"
        out += "<text x=\"\(legendX + 113)\" y=\"240\">Energy</text></g>\n"
        return out + "</svg>"
    }

    /// The path through `values`; broken where more than ten days pass without one.
    static func line(
        _ values: [(date: LocalDate, value: Double)], smoothed: Bool, x: (LocalDate) -> Double, y: (Double) -> Double
    ) -> String {
        var path = ""
        var previous: LocalDate?
        var windowStart = 0
        var windowEnd = 0
        for (index, point) in values.enumerated() {
            var value = point.value
            if smoothed {
                let day = point.date.daysSinceEpoch
                while values[windowStart].date.daysSinceEpoch < day - 3 { windowStart += 1 }
                while windowEnd < values.count && values[windowEnd].date.daysSinceEpoch <= day + 3 { windowEnd += 1 }
                let window = values[windowStart..<windowEnd]
                value = window.reduce(0) { $0 + $1.value } / Double(window.count)
            }
            let gap = previous.map { point.date.daysSinceEpoch - $0.daysSinceEpoch > 10 } ?? true
            path +=
                (gap ? (index == 0 ? "M" : " M") : " L") + ReportSummary.number(x(point.date)) + " "
                + ReportSummary.number(y(value))
            previous = point.date
        }
        return path
    }

    // MARK: - Kindness by month

    /// Kindness given and received, two bars a month, each with its count. Nil when there is none.
    static func kindness(_ summary: ReportSummary) -> String? {
        let counts = summary.months.map { summary.kindness(year: $0.year, month: $0.month) }
        let most = counts.map { max($0.given, $0.received) }.max() ?? 0
        guard most > 0 else { return nil }
        let height = 170
        let base = 140.0
        let top = 20.0
        let slot = min(70, max(28, (chartWidth - 20) / max(1, summary.months.count)))
        let width = max(200, slot * summary.months.count + 20)
        let bar = Double(slot - 8) / 2
        let n = ReportSummary.number
        var out =
            "<svg id=\"kindness-chart\" class=\"kind\" role=\"img\" aria-label=\"Kindness given and received, month by month\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        out += "<line class=\"grid\" x1=\"10\" x2=\"\(width - 10)\" y1=\"\(n(base))\" y2=\"\(n(base))\"/>\n"
        for (index, month) in summary.months.enumerated() {
            let x0 = 10 + Double(index * slot) + 4
            for (column, (kind, count)) in [("given", counts[index].given), ("received", counts[index].received)].enumerated()
            where count > 0 {
                let h = Double(count) / Double(most) * (base - top)
                let x = x0 + Double(column) * bar
                out += "<rect class=\"\(kind)\" x=\"\(n(x))\" y=\"\(n(base - h))\" width=\"\(n(bar - 1))\" height=\"\(n(h))\"/>"
                if bar >= 12 { out += "<text class=\"count\" x=\"\(n(x + bar / 2))\" y=\"\(n(base - h - 4))\">\(count)</text>" }
            }
            var name = String(JournalText.monthNames[month.month - 1].prefix(3))
            if slot >= 60 && (month.month == 1 || index == 0) { name += " \(month.year)" }
            out += "<text class=\"month\" x=\"\(n(x0 + bar))\" y=\"\(n(base + 16))\">\(name)</text>\n"
        }
        return out + "</svg>"
    }

    // MARK: - Program

    /// The program's steps in a row: those practised filled, the one it is on outlined warmly.
    static func program(_ program: ReportResult.Program) -> String {
        let steps = max(1, min(program.steps, 60))
        let gap = 4
        let width = min(720, max(steps * 20, steps * 60))
        let each = Double(width - gap * (steps - 1)) / Double(steps)
        let n = ReportSummary.number
        var out =
            "<svg id=\"program-chart\" class=\"prog\" role=\"img\" aria-label=\"Program steps\" width=\"\(width)\" height=\"22\" viewBox=\"0 0 \(width) 22\">"
        for index in 0..<steps {
            let state = program.complete || index + 1 < program.step ? "done" : index + 1 == program.step ? "now" : "later"
            out +=
                "<rect class=\"\(state)\" x=\"\(n(Double(index) * (each + Double(gap)) + 1))\" y=\"1\" width=\"\(n(each - 2))\" height=\"20\" rx=\"4\"/>"
        }
        return out + "</svg>"
    }
}
