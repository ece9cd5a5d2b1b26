import FoundationEssentials
import KindlingControl

/// `kindling report` as one self-contained HTML page: inline CSS and SVG, no script, no link,
/// no font or image to fetch, and a Content-Security-Policy that would stop any fetch anyway.
/// It shows what was practised, never what was not; the person's own words appear only when
/// the daemon sent them (they asked with --with-text or --entry). Pure: tests render it directly.
enum ReportPage {
    static func html(_ result: ReportResult) -> String {
        let summary = ReportSummary(result)
        var out = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Kindness practice, \(escape(summary.rangeText))</title>
            <style>
            \(ReportStyle.css)
            </style>
            </head>
            <body>
            <header>
            <h1>Kindness practice</h1>
            <p class="range">\(escape(summary.rangeText))</p>
            </header>

            """
        out += glance(summary)
        out += """
            <section id="days">
            <h2>Practised days</h2>
            <p class="note">A filled day is a day with an answer or a note; the deeper the colour, the more were written that day.</p>
            \(ReportCharts.calendar(summary))
            </section>

            """
        out += "<section id=\"feelings\">\n<h2>Mood and energy</h2>\n"
        if let chart = ReportCharts.feelings(summary) {
            out +=
                "<p class=\"note\">Each dot is a day’s mood or energy, from 1 (low) to 5 (high); the line follows the days around it.</p>\n"
            out += chart + "\n"
        } else {
            out += "<p class=\"quiet\">No mood or energy was noted in these dates.</p>\n"
        }
        out += "</section>\n\n<section id=\"kindness\">\n<h2>Kindness given and received</h2>\n"
        if let chart = ReportCharts.kindness(summary) {
            out +=
                "<p class=\"note\">Kindness given counts notes marked given and answers to the mindful-action nudge; received counts notes marked received.</p>\n"
            out += chart + "\n"
        } else {
            out += "<p class=\"quiet\">No kindness notes in these dates.</p>\n"
        }
        out += "</section>\n"
        if let program = result.program, let line = summary.programLine {
            out += "\n<section id=\"program\">\n<h2>Program</h2>\n<p>\(escape(line)).</p>\n"
            out += ReportCharts.program(program) + "\n</section>\n"
        }
        if summary.hasWords { out += words(summary) }
        let privacy =
            summary.hasWords
            ? "This page holds words from the journal, chosen to be shared."
            : "This page holds none of the words written in the journal."
        out += """

            <footer>
            <p>Made with Kindling on \(escape(madeOn(result))). \(privacy)</p>
            </footer>
            </body>
            </html>

            """
        return out
    }

    /// The figures at the top: days, kindness, program.
    static func glance(_ summary: ReportSummary) -> String {
        var tiles: [(String, String)] = []
        if summary.result.counts, !summary.practised.isEmpty {
            tiles.append(("\(summary.practised.count)", summary.practised.count == 1 ? "practised day" : "practised days"))
        }
        if summary.given > 0 { tiles.append(("\(summary.given)", "kindness given")) }
        if summary.received > 0 { tiles.append(("\(summary.received)", "kindness received")) }
        if let program = summary.result.program {
            let unit = program.stepsBy == "week" ? "week" : "day"
            tiles.append(
                program.complete
                    ? ("✓", "\(program.title) complete")
                    : ("\(program.step)/\(program.steps)", "\(unit)s of \(program.title)"))
        }
        guard !tiles.isEmpty else {
            return "<p class=\"quiet\">The days practised in these dates will gather here.</p>\n\n"
        }
        var out = "<section class=\"glance\" aria-label=\"At a glance\">\n"
        for (figure, words) in tiles {
            out += "<div class=\"tile\"><span class=\"figure\">\(escape(figure))</span> <span>\(escape(words))</span></div>\n"
        }
        return out + "</section>\n\n"
    }

    /// The person's own words, day by day, oldest first.
    static func words(_ summary: ReportSummary) -> String {
        var out = "\n<section id=\"words\">\n<h2>Words from the journal</h2>\n"
        guard !summary.entries.isEmpty else {
            return out + "<p class=\"quiet\">No entry falls in these dates.</p>\n</section>\n"
        }
        var day: String?
        for entry in summary.entries {
            if entry.localDate != day {
                if day != nil { out += "</article>\n" }
                day = entry.localDate
                out += "<article>\n<h3>\(escape(JournalText.heading(entry.localDate)))</h3>\n"
            }
            out += "<div class=\"entry\">\n<p class=\"label\">\(escape(ReportSummary.label(entry)))</p>\n"
            if let prompt = entry.prompt, !prompt.isEmpty { out += "<p class=\"prompt\">\(escape(prompt))</p>\n" }
            out += "<p class=\"text\">\(escape(entry.text.trimmed()))</p>\n"
            let feelings = [entry.mood.map { "mood \($0) of 5" }, entry.energy.map { "energy \($0) of 5" }].compactMap { $0 }
            if !feelings.isEmpty { out += "<p class=\"feelings\">\(feelings.joined(separator: ", "))</p>\n" }
            out += "</div>\n"
        }
        return out + "</article>\n</section>\n"
    }

    /// "4 December 2026", from the instant the data was read.
    static func madeOn(_ result: ReportResult) -> String {
        LocalDate(String(result.madeAt.prefix(10))).map(ReportSummary.longDate) ?? result.today
    }

    /// Text made safe inside HTML (elements and attributes alike); control characters, which
    /// have no place on a page, become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
