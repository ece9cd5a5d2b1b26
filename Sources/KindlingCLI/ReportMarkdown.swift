import FoundationEssentials
import KindlingControl

/// `kindling report --format markdown`: the same summary as the HTML page, in text. The
/// calendar becomes each month's practised dates, the chart each month's mean mood and energy.
/// Pure: tests render it directly.
enum ReportMarkdown {
    static func render(_ result: ReportResult) -> String {
        let summary = ReportSummary(result)
        var out = "# Kindness practice\n\n\(summary.rangeText)\n"
        var glance: [String] = []
        if let line = summary.practisedLine { glance.append(line) }
        if summary.given > 0 { glance.append("kindness given \(summary.given) times") }
        if summary.received > 0 { glance.append("kindness received \(summary.received) times") }
        if !glance.isEmpty {
            let line = glance.joined(separator: " · ")
            out += "\n" + line.prefix(1).uppercased() + line.dropFirst() + ".\n"
        }

        out += "\n## Practised days\n\n"
        var anyDay = false
        for month in summary.months {
            let days = summary.practisedDays(year: month.year, month: month.month)
            guard !days.isEmpty else { continue }
            anyDay = true
            let dates = days.compactMap { LocalDate($0.date).map { String($0.day) } }.joined(separator: ", ")
            out += "- **\(ReportSummary.monthName(year: month.year, month: month.month))**: \(dates)\n"
        }
        if !anyDay { out += "The days practised in these dates will gather here.\n" }

        out += "\n## Mood and energy\n\n"
        let rows = summary.months.compactMap { month -> String? in
            let feelings = summary.feelings(year: month.year, month: month.month)
            guard feelings.mood != nil || feelings.energy != nil else { return nil }
            let mood = feelings.mood.map(ReportSummary.number) ?? "–"
            let energy = feelings.energy.map(ReportSummary.number) ?? "–"
            return "| \(ReportSummary.monthName(year: month.year, month: month.month)) | \(mood) | \(energy) |\n"
        }
        if rows.isEmpty {
            out += "No mood or energy was noted in these dates.\n"
        } else {
            out += "The month’s mean, from 1 (low) to 5 (high).\n\n| Month | Mood | Energy |\n|---|---|---|\n" + rows.joined()
        }

        out += "\n## Kindness given and received\n\n"
        let kindness = summary.months.compactMap { month -> String? in
            let counts = summary.kindness(year: month.year, month: month.month)
            guard counts.given + counts.received > 0 else { return nil }
            return "| \(ReportSummary.monthName(year: month.year, month: month.month)) | \(counts.given) | \(counts.received) |\n"
        }
        if kindness.isEmpty {
            out += "No kindness notes in these dates.\n"
        } else {
            out += "| Month | Given | Received |\n|---|---|---|\n" + kindness.joined()
            out += "| **All** | **\(summary.given)** | **\(summary.received)** |\n"
        }

        if let line = summary.programLine {
            out += "\n## Program\n\n" + Terminal.safe(line) + ".\n"
        }
        if summary.hasWords { out += words(summary) }
        let privacy =
            summary.hasWords
            ? "This summary holds words from the journal, chosen to be shared."
            : "This summary holds none of the words written in the journal."
        return out + "\n---\n\nMade with Kindling on \(ReportPage.madeOn(result)). \(privacy)\n"
    }

    /// The person's words, day by day, each as a block quote so nothing in them can become a
    /// heading or a list; control characters are neutralised.
    static func words(_ summary: ReportSummary) -> String {
        var out = "\n## Words from the journal\n"
        guard !summary.entries.isEmpty else { return out + "\nNo entry falls in these dates.\n" }
        var day: String?
        for entry in summary.entries {
            if entry.localDate != day {
                day = entry.localDate
                out += "\n### \(JournalText.heading(entry.localDate))\n"
            }
            out += "\n**\(ReportSummary.label(entry))**"
            if let prompt = entry.prompt, !prompt.isEmpty { out += " – *\(Terminal.safe(prompt))*" }
            out +=
                "\n\n" + ExportRenderer.quoted(Terminal.safe(entry.text.trimmed())) + "\n"
            let feelings = [entry.mood.map { "mood \($0) of 5" }, entry.energy.map { "energy \($0) of 5" }].compactMap { $0 }
            if !feelings.isEmpty { out += "\n*\(feelings.joined(separator: ", "))*\n" }
        }
        return out
    }
}
