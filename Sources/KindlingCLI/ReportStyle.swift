/// The report page's stylesheet, kept apart from the page's words: it is read by the browser,
/// not by people, so the kind-words test reads every file but this one (CSS says
/// "font-weight").
enum ReportStyle {
    /// Warm and quiet, printable: colours kept when printed, sections never split across pages.
    static let css = """
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
