import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling delete ID [--yes]`: remove an entry for good.
struct Delete: VerbCommand {
    typealias Verb = Request.Delete

    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Remove an entry for good (asks first; --yes does not).",
        discussion: """
            The words leave every file Kindling keeps: the journal, its write-ahead log, its automatic snapshots, \
            and an evening reflection that quoted a deleted intention. Files you saved yourself with \
            `kindling backup --output` or `kindling export` are yours and are left as they are. \
            Without a terminal to ask on, it deletes only with --yes, and otherwise changes nothing (exit 2).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's id (`kindling journal` shows it).")
    var id: Int64

    @Flag(name: .long, help: "Delete without asking.")
    var yes = false

    func validate() throws {
        guard id > 0 else { throw ValidationError("an entry id is a positive number") }
    }

    func run() throws {
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError(
                    "nothing was deleted: there is no terminal to confirm on. To delete entry \(id), run `kindling delete \(id) --yes`.",
                    exitCode: 2)
            }
            let entry = try global.call(Request.Entry(id: id))
            guard TerminalInput.confirm("Delete entry \(id) (\"\(Self.preview(entry.text))\")?") else {
                print("Kept entry \(id); nothing was deleted.")
                return
            }
        }
        let result = try global.call(Verb(id: id))
        if global.json { return try global.printJSON(result) }
        if result.uncleared.isEmpty {
            print("Deleted entry \(result.id) from your journal and Kindling's snapshots.")
        } else {
            print("Deleted entry \(result.id) from your journal. These still hold its words and could not be cleaned just now:")
            for place in result.uncleared { print("  \(Terminal.safe(place))") }
            print("`kindling status` says why; `kindling erase --all` or removing those files clears them for good.")
        }
        print(Self.ownCopiesNote)
    }

    /// Said wherever the person deletes: Kindling never reaches into the files they made.
    static let ownCopiesNote =
        "Copies you saved yourself (`kindling backup --output`, `kindling export`) are yours and are left as they are."

    /// The first line of `text`, cut at `length` characters.
    static func preview(_ text: String, length: Int = 40) -> String {
        let line = Terminal.safe(text).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let cut = line.count > length || line.count < text.trimmed().count
        return String(line.prefix(length)) + (cut ? "..." : "")
    }
}
