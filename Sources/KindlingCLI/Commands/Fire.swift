import ArgumentParser
import KindlingControl

/// `kindling fire SLOT`: deliver a prompt of that slot now.
struct Fire: VerbCommand {
    typealias Verb = Request.Fire

    static let configuration = CommandConfiguration(
        commandName: "fire", abstract: "Deliver a prompt of SLOT now (intention, nudge, reflection, ...).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The slot: intention, nudge, reflection, review, break, or a custom slot's name.")
    var slot: String

    func run() throws {
        let result = try global.call(Verb(slot: slot))
        if global.json { return try global.printJSON(result) }
        print("[\(result.id)] \(Terminal.safe(result.text))")
    }
}
