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
        let request = Request.note(text: text, kind: given ? "given" : received ? "received" : nil)
        let result: JournalEntry
        do {
            result = try global.call(request, expecting: JournalEntry.self)
        } catch {
            throw Self.keepingText(error, text, "note")
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }

    /// Never lose what someone wrote: a failed save gives the words back (`what`: "note", "edit").
    static func keepingText(_ error: CLIError, _ text: String, _ what: String) -> CLIError {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return error }
        return CLIError(
            "\(error.description)\nYour \(what) was NOT saved. Here it is, to keep:\n\(text)", exitCode: error.exitCode)
    }
}
