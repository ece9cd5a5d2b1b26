import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling report`: a summary of the practice, written as one page the person may keep or share.
struct Report: VerbCommand {
    typealias Verb = Request.Report

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a summary of your practice to share if you choose: a calendar, mood and energy, kindness, program.",
        discussion: """
            The page is one self-contained HTML file (inline CSS and SVG; it fetches nothing) that \
            prints well from a browser, or Markdown with --format markdown. It shows the days you \
            practised, mood and energy over time, kindness given and received, and your program's \
            progress; never the days you did not practise. It holds none of the words you wrote unless \
            you ask: --with-text adds every entry in the dates, --entry ID only the ones you pick. \
            The dates default to the year up to today (never before your first entry). FILE defaults to \
            kindling-report-DATE.html (or .md) in the current folder, created private (mode 0600); an \
            existing FILE is replaced only when you agree (or with --force). --output - writes to \
            standard output; --json prints the data instead of a page.
            """)

    /// Whether the person's own words go on the page.
    enum TextChoice: String, EnumerableFlag {
        case withText, noText

        static func help(for value: TextChoice) -> ArgumentHelp? {
            switch value {
            case .withText: ArgumentHelp("Include the words of every entry in the dates.")
            case .noText: ArgumentHelp("Include none of the words you wrote (the default).")
            }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, markdown
        var fileExtension: String { self == .html ? "html" : "md" }
    }

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long, help: ArgumentHelp("The first day: YYYY-MM-DD, today or yesterday (default a year back).", valueName: "DATE")
    )
    var since: String?

    @Option(name: .long, help: ArgumentHelp("The last day: YYYY-MM-DD, today or yesterday (default today).", valueName: "DATE"))
    var until: String?

    @Flag var text: TextChoice?

    @Option(
        name: .customLong("entry"),
        help: ArgumentHelp("Include the words of this entry (its id from `kindling journal`); repeat for more.", valueName: "ID"))
    var entries: [Int64] = []

    @Option(name: .long, help: ArgumentHelp("html (the default) or markdown.", valueName: "FORMAT"))
    var format: Format = .html

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write the page here (default kindling-report-DATE.html; - for standard output).", valueName: "FILE"))
    var output: String?

    @Flag(name: .long, help: "Replace an existing FILE without asking.")
    var force = false

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, !["today", "yesterday"].contains(value), LocalDate(value) == nil {
                throw ValidationError("\(name) \"\(value)\" is not a date; write YYYY-MM-DD, today or yesterday")
            }
        }
        if text == .noText, !entries.isEmpty {
            throw ValidationError("--entry puts that entry's words on the page, so it cannot go with --no-text")
        }
    }

    func run() throws {
        if let output, output != "-", try !OutputFile.mayWrite(output, force: force, what: "report") { return }
        let result = try global.call(
            Verb(since: since, until: until, withText: text == .withText, entries: entries))
        if global.json { return try global.printJSON(result) }
        let page = format == .html ? ReportPage.html(result) : ReportMarkdown.render(result)
        if output == "-" {
            Terminal.writeOutput(page)
            return
        }
        let path = output ?? "kindling-report-\(result.today).\(format.fileExtension)"
        if output == nil, try !OutputFile.mayWrite(path, force: force, what: "report") { return }
        // On a terminal the person sees what the page will hold before it exists; scripts hear nothing.
        let onTerminal = isatty(2) == 1
        if onTerminal { Terminal.printError(ReportSummary(result).inclusionLine(path: path)) }
        let file = try OutputFile.Temporary(beside: path)
        defer { file.discard() }
        do {
            try SystemError.write(file.descriptor, Array(page.utf8))
        } catch {
            throw CLIError("cannot write \(path): \(SystemError.describe(error)); nothing was written")
        }
        try file.commit()
        if onTerminal { Terminal.printError("Saved. Open it in a browser to read or print it.") }
    }
}
