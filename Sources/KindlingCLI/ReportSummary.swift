import FoundationEssentials
import KindlingControl

/// What both forms of `kindling report` (HTML and Markdown) say, worked out once from the
/// daemon's ``ReportResult``. It counts what was practised and never what was not.
struct ReportSummary {
    let result: ReportResult
    let first: LocalDate
    let last: LocalDate
    /// Each month the range touches, oldest first.
    let months: [(year: Int, month: Int)]
    let practised: [LocalDate: ReportResult.Day]
    let given: Int
    let received: Int

    init(_ result: ReportResult) {
        self.result = result
        let first = LocalDate(result.since) ?? LocalDate(year: 2000, month: 1, day: 1)
        let last = max(first, LocalDate(result.until) ?? first)
        self.first = first
        self.last = last
        var months: [(year: Int, month: Int)] = []
        var cursor = (year: first.year, month: first.month)
        while (cursor.year, cursor.month) <= (last.year, last.month) {
            months.append(cursor)
            cursor = cursor.month == 12 ? (cursor.year + 1, 1) : (cursor.year, cursor.month + 1)
        }
        self.months = months
        var practised: [LocalDate: ReportResult.Day] = [:]
        for day in result.days {
            if let date = LocalDate(day.date), date >= first, date <= last { practised[date] = day }
        }
        self.practised = practised
        given = result.days.reduce(0) { $0 + $1.given }
        received = result.days.reduce(0) { $0 + $1.received }
    }

    /// The person's words are on the page only when the daemon sent them (they asked).
    var entries: [JournalEntry] { result.entries ?? [] }
    var hasWords: Bool { result.entries != nil }

    /// "5 December 2025 to 4 December 2026", or one date when the range is one day.
    var rangeText: String {
        first == last ? Self.longDate(first) : "\(Self.longDate(first)) to \(Self.longDate(last))"
    }

    /// "On 245 days you practised kindness" style count, or nil when counts are off (`streaks = false`)
    /// or nothing was practised yet.
    var practisedLine: String? {
        guard result.counts, !practised.isEmpty else { return nil }
        return practised.count == 1 ? "1 practised day" : "\(practised.count) practised days"
    }

    /// "Widening circle: week 3 of 4, acquaintances and coworkers" or "...: all 4 weeks practised".
    var programLine: String? {
        guard let program = result.program else { return nil }
        let unit = program.stepsBy == "week" ? "week" : "day"
        if program.complete {
            return "\(program.title): all \(program.steps) \(unit)s practised"
        }
        var line = "\(program.title): \(unit) \(program.step) of \(program.steps)"
        if let theme = program.theme, !theme.isEmpty { line += ", \(theme)" }
        return line
    }

    /// Days with a mood (or an energy), oldest first.
    var moods: [(date: LocalDate, value: Double)] {
        practised.sorted { $0.key < $1.key }.compactMap { date, day in day.mood.map { (date, $0) } }
    }
    var energies: [(date: LocalDate, value: Double)] {
        practised.sorted { $0.key < $1.key }.compactMap { date, day in day.energy.map { (date, $0) } }
    }

    /// The practised days of one month, in order.
    func practisedDays(year: Int, month: Int) -> [ReportResult.Day] {
        practised.filter { $0.key.year == year && $0.key.month == month }.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Kindness given and received in one month.
    func kindness(year: Int, month: Int) -> (given: Int, received: Int) {
        practisedDays(year: year, month: month).reduce((0, 0)) { ($0.0 + $1.given, $0.1 + $1.received) }
    }

    /// The means of the mood and energy noted in one month.
    func feelings(year: Int, month: Int) -> (mood: Double?, energy: Double?) {
        let days = practisedDays(year: year, month: month)
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        return (mean(days.compactMap(\.mood)), mean(days.compactMap(\.energy)))
    }

    /// What the page will hold, in one line, said before it is written (on a terminal).
    func inclusionLine(path: String) -> String {
        var parts = ["practised days", "mood and energy", "kindness given and received"]
        if result.program != nil { parts.append("program progress") }
        let words: String
        switch result.entries?.count {
        case nil: words = "none of the words you wrote"
        case 0: words = "your words, though no entry falls in these dates"
        case 1: words = "the words of 1 entry you wrote"
        case let count?: words = "the words of \(count) entries you wrote"
        }
        return "Writing \(path) (\(rangeText)): " + parts.joined(separator: ", ") + "; " + words + "."
    }

    /// A label for an entry: its slot's name, or the kind of note.
    static func label(_ entry: JournalEntry) -> String {
        if entry.type == "note" {
            switch entry.kind {
            case "given": return "Kindness given"
            case "received": return "Kindness received"
            default: return "Note"
            }
        }
        let name = SlotNames.displayName(of: entry.slot ?? "")
        return name.isEmpty ? "Answer" : name.prefix(1).uppercased() + name.dropFirst()
    }

    /// "5 December 2025".
    static func longDate(_ date: LocalDate) -> String {
        "\(date.day) \(JournalText.monthNames[date.month - 1]) \(date.year)"
    }

    /// "December 2025".
    static func monthName(year: Int, month: Int) -> String {
        "\(JournalText.monthNames[month - 1]) \(year)"
    }

    /// A number with at most one decimal, as SVG coordinates and means are written.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        // Rounded to tenths from the exact binary value, halves to even, as printf's "%.1f"
        // rounds (value * 10 would round once before that, and 6.8500000000000005 would
        // come out 6.8). The magnitude is m / 2^shift, with shift from 13 to 59 here.
        let magnitude = abs(value)
        var tenths = 0
        if magnitude >= 0.01 {
            let scaled = ((UInt64(1) << 52) | magnitude.significandBitPattern) * 10
            let shift = UInt64(52 - Int(magnitude.exponent))
            let whole = scaled >> shift
            let rest = scaled & ((1 << shift) - 1)
            let half = UInt64(1) << (shift - 1)
            tenths = Int(whole) + (rest > half || rest == half && whole % 2 == 1 ? 1 : 0)
        }
        let sign = value < 0 && tenths != 0 ? "-" : ""
        return sign + String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10))
    }
}
