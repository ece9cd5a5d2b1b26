import ArgumentParser
import Foundation
import KindlingControl

/// `kindling note [TEXT] [--given|--received]`: a quick note, at any time.
struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Save a quick note: a kindness you gave or received, or anything worth keeping.",
        discussion: "Without TEXT the note is read from standard input (end it with Ctrl-D).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Your note.", valueName: "TEXT"))
    var words: [String] = []

    @Flag(name: .long, help: "A kindness you gave.")
    var given = false

    @Flag(name: .long, help: "A kindness you received.")
    var received = false

    func validate() throws {
        if given && received { throw ValidationError("choose --given or --received, not both") }
    }

    func run() throws {
        var text = words.joined(separator: " ")
        if text.isEmpty {
            if isatty(0) == 1 { FileHandle.standardError.write(Data("Your note (Ctrl-D when done):\n".utf8)) }
            text = TerminalInput.readToEnd()
        }
        try SavedText.checkSize(text, "note")
        let request = Request.note(text: text, kind: given ? "given" : received ? "received" : nil)
        let result: JournalEntry
        do {
            result = try global.call(request, expecting: JournalEntry.self)
        } catch {
            throw SavedText.keeping(error, text, "note")
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }
}
