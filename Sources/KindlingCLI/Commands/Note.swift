import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling note [TEXT] [--given|--received] [--mood N] [--energy N]`: a quick note, at any time.
struct Note: VerbCommand {
    typealias Verb = Request.Note

    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Save a quick note: a kindness you gave or received, or anything worth keeping.",
        discussion: """
            Without TEXT the note is read from standard input (end it with Ctrl-D). On a day you give an \
            energy of 1 or 2 (here or with `kindling respond --energy`), that day's nudge and reflection \
            turn toward rest and kindness to yourself.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Your note.", valueName: "TEXT"))
    var words: [String] = []

    @Flag(name: .long, help: "A kindness you gave.")
    var given = false

    @Flag(name: .long, help: "A kindness you received.")
    var received = false

    @Option(name: .long, help: "How you feel, 1 (low) to 5 (bright).")
    var mood: Int?

    @Option(name: .long, help: "Your energy, 1 (drained) to 5 (full); 1 or 2 makes the day's prompts gentle.")
    var energy: Int?

    func validate() throws {
        if given && received { throw ValidationError("choose --given or --received, not both") }
        if let mood, !(1...5).contains(mood) { throw ValidationError("--mood must be from 1 to 5") }
        if let energy, !(1...5).contains(energy) { throw ValidationError("--energy must be from 1 to 5") }
    }

    func run() throws {
        var text = words.joined(separator: " ")
        if text.isEmpty {
            if isatty(0) == 1 { Terminal.printError("Your note (Ctrl-D when done):") }
            text = TerminalInput.readToEnd()
        }
        try SavedText.checkSize(text, "note")
        let request = Verb(
            text: text, kind: given ? "given" : received ? "received" : nil, mood: mood, energy: energy)
        let result: JournalEntry
        do {
            result = try global.call(request)
        } catch {
            throw SavedText.keeping(error, text, "note")
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }
}
