import Foundation
import KindlingControl
import KindlingCore

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
            \(stylesheet)
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
            out += "<p class=\"text\">\(escape(entry.text.trimmingCharacters(in: .whitespacesAndNewlines)))</p>\n"
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

    /// Warm and quiet, printable: colours kept when printed, sections never split across pages.
    static let stylesheet = """
        :root { color-scheme: light; --ink: #2d2823; --soft: #6d645b; --line: #e6ddd2; --paper: #fffdf9;
          --warm: #d9822b; --warm-mid: #eeaa62; --warm-light: #f7d6ad; --calm: #3f7f8c; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; background: var(--paper); color: var(--ink);
          font: 15px/1.5 system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
        h1 { font-size: 1.7rem; font-weight: 600; margin: 0; }
        h2 { font-size: 1.15rem; font-weight: 600; margin: 2.2rem 0 .4rem; }
        h3 { font-size: 1rem; font-weight: 600; margin: 1.4rem 0 .3rem; }
        .range { color: var(--soft); margin: .2rem 0 1.5rem; }
        .note, .quiet, footer { color: var(--soft); font-size: .9rem; margin: 0 0 .8rem; }
        .glance { display: flex; flex-wrap: wrap; gap: .8rem; }
        .tile { border: 1px solid var(--line); border-radius: .6rem; padding: .6rem 1rem; background: #fff; }
        .figure { font-size: 1.4rem; font-weight: 600; color: var(--warm); margin-right: .3rem; }
        svg { display: block; max-width: 100%; height: auto; }
        svg text { font-family: inherit; }
        .cal rect.d { fill: #fff; stroke: var(--line); }
        .cal rect.p1 { fill: var(--warm-light); }
        .cal rect.p2 { fill: var(--warm-mid); }
        .cal rect.p3 { fill: var(--warm); }
        .cal text { font-size: 8px; fill: var(--soft); text-anchor: middle; }
        .cal text.on { fill: #fff; }
        .cal text.m { font-size: 12px; font-weight: 600; fill: var(--ink); text-anchor: start; }
        .cal text.w { font-size: 9px; }
        .feel .grid, .kind .grid { stroke: var(--line); stroke-width: 1; }
        .feel .tick { stroke: var(--soft); }
        .feel text, .kind text { font-size: 11px; fill: var(--soft); }
        .feel .axis { text-anchor: end; }
        .feel .month, .kind .month, .kind .count { text-anchor: middle; }
        .feel path { fill: none; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
        .feel .mood circle { fill: var(--warm); fill-opacity: .35; }
        .feel .mood path, .mood-key { stroke: var(--warm); }
        .feel .energy circle { fill: var(--calm); fill-opacity: .35; }
        .feel .energy path, .energy-key { stroke: var(--calm); }
        .mood-key, .energy-key { stroke-width: 3; }
        .legend text { font-size: 12px; fill: var(--ink); }
        .kind rect.given { fill: var(--warm); }
        .kind rect.received { fill: var(--calm); }
        .prog rect { stroke: var(--warm); stroke-width: 1.5; }
        .prog rect.done { fill: var(--warm); }
        .prog rect.now { fill: var(--warm-light); }
        .prog rect.later { fill: #fff; stroke: var(--line); }
        .entry { margin: 0 0 .9rem; padding-left: .8rem; border-left: 3px solid var(--warm-light); }
        .entry p { margin: 0; }
        .label { font-size: .8rem; color: var(--soft); text-transform: uppercase; letter-spacing: .04em; }
        .prompt { font-style: italic; color: var(--soft); }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; }
        .feelings { font-size: .85rem; color: var(--soft); }
        footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .6rem; }
        @media print {
          body { margin: 0; max-width: none; background: #fff; font-size: 11pt; }
          @page { margin: 15mm; }
          section:not(#words), .entry, .tile { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          .tile { background: #fff; }
        }
        """
}
