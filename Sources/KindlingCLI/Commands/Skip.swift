import ArgumentParser
import KindlingControl

/// `kindling skip [ID]`.
struct Skip: VerbCommand {
    typealias Verb = Request.Skip

    static let configuration = CommandConfiguration(
        commandName: "skip", abstract: "Let a waiting prompt go (default: the most recent one).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The prompt's id.")
    var id: Int64?

    func run() throws {
        let result = try global.call(Verb(id: id))
        if global.json { return try global.printJSON(result) }
        print("[\(result.id)] skipped.")
    }
}
