import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling erase --all [--yes]`: erase the whole journal and its snapshots, keep using Kindling.
struct Erase: VerbCommand {
    typealias Verb = Request.Erase

    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase your whole journal and its snapshots, and start afresh (asks first).",
        discussion: """
            The daemon removes the journal, its write-ahead log, every automatic snapshot and any copy it left \
            half-made, then keeps running with an empty journal. Your settings stay. Files you saved yourself \
            with `kindling backup --output` or `kindling export` are yours and are left as they are. To remove one \
            entry, use `kindling delete ID`. Without a terminal to ask on, it erases only with --yes, and \
            otherwise changes nothing (exit 2).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Erase everything in the journal (required: there is no partial erase).")
    var all = false

    @Flag(name: .long, help: "Erase without asking.")
    var yes = false

    func validate() throws {
        guard all else {
            throw ValidationError("`kindling erase` needs --all; to remove one entry, use `kindling delete ID`")
        }
    }

    func run() throws {
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError(
                    "nothing was erased: there is no terminal to confirm on. To erase your whole journal, run `kindling erase --all --yes`.",
                    exitCode: 2)
            }
            guard TerminalInput.confirm("Erase everything in your journal and its snapshots for good? This cannot be undone.")
            else {
                print("Kept your journal; nothing was erased.")
                return
            }
        }
        let result = try global.call(Verb())
        if global.json { return try global.printJSON(result) }
        print("Erased your journal and its snapshots from \(result.dataDirectory). Kindling goes on with an empty journal.")
        print(Delete.ownCopiesNote)
    }
}
