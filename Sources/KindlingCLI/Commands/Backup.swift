import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling backup [--output FILE]`: a consistent copy of the journal, now.
struct Backup: VerbCommand {
    typealias Verb = Request.Backup

    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy your journal now (by default as today's snapshot) and print where.",
        discussion: """
            The daemon writes the copy (mode 0600) through SQLite's online backup, so it is consistent even \
            while prompts are answered. Without --output it becomes today's snapshot in the snapshots folder \
            beside the journal, where the daemon also keeps one a day (the last 7). An existing FILE is \
            replaced only when you agree (or with --force), and only if it is a regular file.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the copy to this file instead.", valueName: "FILE"))
    var output: String?

    @Flag(name: .long, help: "Replace an existing FILE without asking.")
    var force = false

    func run() throws {
        let target = output.map(Self.absolute)
        if let target, try !OutputFile.mayWrite(target, force: force, what: "backup") { return }
        let result = try global.call(
            Verb(output: target, replace: target.map { FileManager.default.fileExists(atPath: $0) } ?? false),
            patience: .longOperation)
        if global.json { return try global.printJSON(result) }
        print(result.path)
    }

    /// `path` made absolute against the current directory (the daemon runs elsewhere).
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: PathText.expandingTilde(path)).standardizedFileURL.path
    }
}
