import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling restore FILE [--yes]`: replace the journal with a snapshot or a backup.
struct Restore: VerbCommand {
    typealias Verb = Request.Restore

    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace your journal with a snapshot or a backup (asks first; --yes does not).",
        discussion: """
            The daemon checks that FILE is a sound Kindling journal, keeps the current journal as a snapshot \
            (journal-before-restore-...), then swaps. This is also how a damaged journal is repaired. Without a \
            terminal to ask on, it restores only with --yes, and otherwise changes nothing (exit 2).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The journal file to restore (`kindling backup` makes one).", valueName: "FILE"))
    var file: String

    @Flag(name: .long, help: "Restore without asking.")
    var yes = false

    func run() throws {
        let path = Backup.absolute(file)
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError(
                    "nothing was restored: there is no terminal to confirm on. To restore, run `kindling restore \(file) --yes`.",
                    exitCode: 2)
            }
            guard TerminalInput.confirm("Replace your journal with \(path)? The current one is kept as a snapshot first.") else {
                print("Kept your journal; nothing was restored.")
                return
            }
        }
        let result = try global.call(Verb(path: path), patience: .longOperation)
        if global.json { return try global.printJSON(result) }
        print("Restored your journal from \(path).")
        if let previous = result.previousSnapshot {
            print("The journal as it was is kept in \(previous).")
        }
    }
}
