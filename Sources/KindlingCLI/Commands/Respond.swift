import ArgumentParser
import Foundation
import KindlingControl

/// `kindling respond [ID] [TEXT]`: answer a prompt.
struct Respond: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond", abstract: "Answer a prompt (the most recent waiting one unless an ID is given).",
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
        var mood = self.mood
        var energy = self.energy
        if text.isEmpty {
            if isatty(0) == 1 {
                // At a terminal: show the prompt being answered, take a multi-line answer,
                // then, when its slot's `ask_mood` says so, offer (never require) mood and energy.
                let prompt = try target(id)
                FileHandle.standardError.write(Data("[\(prompt.id)] \(Terminal.safe(prompt.text))\n".utf8))
                FileHandle.standardError.write(Data("Your answer (as many lines as you like; Ctrl-D when done):\n".utf8))
                text = TerminalInput.readToEnd()
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw CLIError("nothing was written, so nothing was saved")
                }
                id = prompt.id
                if prompt.askMood {
                    if mood == nil { mood = TerminalInput.askScale("How is your mood") }
                    if energy == nil { energy = TerminalInput.askScale("And your energy") }
                }
            } else {
                text = TerminalInput.readToEnd()
            }
        }
        // The newline that ends typed or piped input is not part of the answer.
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        try SavedText.checkSize(text, "answer")
        let request = Request.respond(id: id, text: text, mood: mood, energy: energy, channel: "cli")
        let result: RespondResult
        do {
            result = try global.call(request, expecting: RespondResult.self)
        } catch {
            throw SavedText.keeping(error, text, "answer")
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }

    /// The prompt to answer: `id`, or the most recent waiting one.
    private func target(_ id: Int64?) throws(CLIError) -> StatusResult.Pending {
        let waiting = try global.call(.pending, expecting: PendingResult.self).pending
        if let id {
            guard let prompt = waiting.first(where: { $0.id == id }) else {
                throw CLIError("prompt \(id) is not waiting for an answer; `kindling pending` lists the ones that are")
            }
            return prompt
        }
        guard let latest = waiting.last else {
            throw CLIError("no prompt is waiting for an answer; `kindling note` keeps a thought at any time")
        }
        return latest
    }
}
