import ArgumentParser
import KindlingControl

/// `kindling pending`: prompts waiting for an answer.
struct Pending: VerbCommand {
    typealias Verb = Request.Pending

    static let configuration = CommandConfiguration(commandName: "pending", abstract: "List the prompts waiting for an answer.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print only a tiny marker for a shell prompt (nothing when none is waiting).")
    var short = false

    func run() throws {
        if short {
            // Quiet by design: a shell prompt must never show an error.
            guard let result = try? global.call(Verb()), !result.pending.isEmpty else { return }
            print("✦\(result.pending.count)")
            return
        }
        let result = try global.call(Verb())
        if global.json { return try global.printJSON(result) }
        if result.pending.isEmpty {
            print("Nothing is waiting for you.")
            return
        }
        for prompt in result.pending { print(Self.describe(prompt)) }
        print("Answer with `kindling respond [ID] [TEXT]`.")
    }

    /// One waiting prompt, as printed. The slot name is neutralised like the text: a journal from
    /// elsewhere (an import, a restore) may hold any slot name.
    static func describe(_ prompt: StatusResult.Pending) -> String {
        let snoozed = prompt.status == "snoozed" ? " (snoozed until \(Terminal.safe(prompt.until ?? "later")))" : ""
        return "[\(prompt.id)] \(Terminal.safe(prompt.slot))\(snoozed): \(Terminal.safe(prompt.text))"
    }
}
