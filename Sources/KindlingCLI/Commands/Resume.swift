import ArgumentParser
import KindlingControl

/// `kindling resume`.
struct Resume: VerbCommand {
    typealias Verb = Request.Resume

    static let configuration = CommandConfiguration(commandName: "resume", abstract: "End a pause.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let result = try global.call(Verb())
        if global.json { return try global.printJSON(result) }
        print("Prompts are on again.")
    }
}
