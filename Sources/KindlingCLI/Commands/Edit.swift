import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling edit ID [TEXT] [--mood N] [--energy N]`: change an answer or a note.
struct Edit: VerbCommand {
    typealias Verb = Request.Edit

    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change an entry's text, mood or energy.",
        discussion: """
            Without TEXT (and without --mood or --energy) the entry opens in $EDITOR (vi when unset), \
            in a private temporary file that is removed afterwards. `kindling journal` shows each entry's id.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's id.")
    var id: Int64

    @Argument(help: ArgumentHelp("The new text.", valueName: "TEXT"))
    var words: [String] = []

    @Option(name: .long, help: "How you felt, 1 (low) to 5 (bright). Answers only.")
    var mood: Int?

    @Option(name: .long, help: "Your energy, 1 (drained) to 5 (full). Answers only.")
    var energy: Int?

    func validate() throws {
        guard id > 0 else { throw ValidationError("an entry id is a positive number") }
        for (name, value) in [("--mood", mood), ("--energy", energy)] {
            if let value, !(1...5).contains(value) { throw ValidationError("\(name) must be from 1 to 5") }
        }
    }

    func run() throws {
        var text: String? = words.isEmpty ? nil : words.joined(separator: " ")
        var expected: String?
        if text == nil, mood == nil, energy == nil {
            let current = try global.call(Request.Entry(id: id))
            let edited = try EntryEditor.edit(current.text, id: id)
            guard let edited, edited != current.text else {
                if global.json { return try global.printJSON(current) }
                print("Entry \(id) is unchanged; nothing was saved.")
                return
            }
            guard !edited.trimmed().isEmpty else {
                print("The text is empty, so nothing was saved. (`kindling delete \(id)` removes an entry.)")
                return
            }
            text = edited
            // The daemon refuses the edit if the entry no longer holds what the editor started from.
            expected = TextDigest.of(current.text)
        }
        if let text { try SavedText.checkSize(text, "edit") }
        let result: JournalEntry
        do {
            result = try global.call(
                Verb(id: id, text: text, mood: mood, energy: energy, expected: expected))
        } catch {
            throw text.map { SavedText.keeping(error, $0, "edit") } ?? error
        }
        if global.json { return try global.printJSON(result) }
        print("Saved entry \(result.id).")
    }
}
