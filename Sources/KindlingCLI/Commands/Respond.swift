import ArgumentParser
import Foundation
import KindlingControl

/// `kindling respond [ID] [TEXT]`: answer a prompt.
struct Respond: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a prompt (the most recent waiting one unless an ID is given).",
        discussion: "Without TEXT the answer is read from standard input (end it with Ctrl-D).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The prompt's id (digits only), then your answer.", valueName: "ID] [TEXT"))
    var words: [String] = []

    @Option(name: .long, help: "How you feel, 1 (low) to 5 (bright).")
    var mood: Int?

    @Option(name: .long, help: "Your energy, 1 (drained) to 5 (full).")
    var energy: Int?

    func validate() throws {
        for (name, value) in [("--mood", mood), ("--energy", energy)] {
            if let value, !(1...5).contains(value) { throw ValidationError("\(name) must be from 1 to 5") }
        }
    }

    func run() throws {
        var words = self.words
        var id: Int64?
        if let first = words.first, !first.isEmpty, first.allSatisfy(\.isASCII), first.allSatisfy(\.isNumber) {
            id = Int64(first)
            words.removeFirst()
        }
        var text = words.joined(separator: " ")
        if text.isEmpty {
            if isatty(0) == 1 { FileHandle.standardError.write(Data("Your answer (Ctrl-D when done):\n".utf8)) }
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let request = Request.respond(id: id, text: text, mood: mood, energy: energy, channel: "cli")
        let result: RespondResult
        do {
            result = try global.call(request, expecting: RespondResult.self)
        } catch {
            throw Self.keepingText(error, text)
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }

    /// Never lose what someone wrote: a failed save gives the words back.
    static func keepingText(_ error: CLIError, _ text: String) -> CLIError {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return error }
        return CLIError(
            "\(error.description)\nYour answer was NOT saved. Here it is, to keep:\n\(text)", exitCode: error.exitCode)
    }
}
