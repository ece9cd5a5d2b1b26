import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling respond [ID] [TEXT]`: answer a prompt.
struct Respond: VerbCommand {
    typealias Verb = Request.Respond

    static let configuration = CommandConfiguration(
        commandName: "respond", abstract: "Answer a prompt (the most recent waiting one unless an ID is given).",
        discussion: """
            Without TEXT the answer is read from standard input (end it with Ctrl-D). With --dialog a small \
            window asks for it instead (yad, zenity or kdialog, whichever is installed), then mood and \
            energy when the prompt's slot asks them; Cancel saves nothing.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The prompt's id (digits only), then your answer.", valueName: "ID] [TEXT"))
    var words: [String] = []

    @Option(name: .long, help: "How you feel, 1 (low) to 5 (bright).")
    var mood: Int?

    @Option(name: .long, help: "Your energy, 1 (drained) to 5 (full).")
    var energy: Int?

    @Flag(name: .long, help: "Ask for the answer in a desktop window instead of the terminal.")
    var dialog = false

    func validate() throws {
        if dialog, words.count > 1 || words.first.map({ !Self.isID($0) }) == true {
            throw ValidationError("--dialog asks for the answer in its window; give at most the prompt's ID")
        }
        for (name, value) in [("--mood", mood), ("--energy", energy)] {
            if let value, !(1...5).contains(value) { throw ValidationError("\(name) must be from 1 to 5") }
        }
    }

    func run() throws {
        var words = self.words
        var id: Int64?
        if let first = words.first, Self.isID(first) {
            id = Int64(first)
            words.removeFirst()
        }
        if dialog { return try answerInDialog(id) }
        var text = words.joined(separator: " ")
        var mood = self.mood
        var energy = self.energy
        if text.isEmpty {
            if isatty(0) == 1 {
                // At a terminal: show the prompt being answered, take a multi-line answer,
                // then, when its slot's `ask_mood` says so, offer (never require) mood and energy.
                let prompt = try target(id)
                Terminal.printError("[\(prompt.id)] \(Terminal.safe(prompt.text))")
                Terminal.printError("Your answer (as many lines as you like; Ctrl-D when done):")
                text = TerminalInput.readToEnd()
                guard !text.trimmed().isEmpty else {
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
        let request = Verb(id: id, text: text, mood: mood, energy: energy, channel: "cli")
        let result: RespondResult
        do {
            result = try global.call(request)
        } catch {
            throw SavedText.keeping(error, text, "answer")
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }

    /// A first argument of digits only is a prompt's id.
    private static func isID(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy(\.isASCII) && word.allSatisfy(\.isNumber)
    }

    /// `--dialog`: the prompt in a desktop window, the answer saved as a typed one would be,
    /// then (when the slot's `ask_mood` says so) a second window offering mood and energy.
    /// Cancel (or an empty answer) saves nothing and is not an error. A failed save shows the
    /// answer again in a window, to copy, and the reason; it is never written to a log.
    private func answerInDialog(_ id: Int64?) throws {
        let window = try AnswerDialog.find()
        let prompt = try target(id)
        guard case .answered(let text) = try window.ask(prompt: prompt.text),
            !text.trimmed().isEmpty
        else { return }
        do {
            try SavedText.checkSize(text, "answer")
        } catch {
            // Said on stderr only, the words typed into the window would be gone unseen.
            window.showFailure("your answer was NOT saved: it is longer than an entry can hold; here it is to copy", text: text)
            throw error
        }
        var mood = self.mood
        var energy = self.energy
        if prompt.askMood, mood == nil || energy == nil {
            let offered = window.askMood()
            mood = mood ?? offered.mood
            energy = energy ?? offered.energy
        }
        let request = Verb(id: prompt.id, text: text, mood: mood, energy: energy, channel: "cli")
        let result: RespondResult
        do {
            result = try global.call(request)
        } catch {
            let said = error.outcomeUnknown ? "perhaps not saved (check `kindling journal`)" : "NOT saved"
            window.showFailure("your answer was \(said); here it is to copy", text: text)
            throw CLIError("\(error.description); the answer window showed the text again", exitCode: error.exitCode)
        }
        if global.json { return try global.printJSON(result) }
        print("Saved as entry \(result.id).")
    }

    /// The prompt to answer: `id`, or the most recent waiting one.
    private func target(_ id: Int64?) throws(CLIError) -> StatusResult.Pending {
        let waiting = try global.call(Request.Pending()).pending
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
