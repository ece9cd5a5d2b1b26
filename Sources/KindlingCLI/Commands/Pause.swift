import ArgumentParser
import KindlingControl

/// `kindling pause [--for 2h | --until 18:00]`.
struct Pause: VerbCommand {
    typealias Verb = Request.Pause

    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause prompts for a while, until a time, or until `kindling resume`.",
        discussion: "Rest never costs: paused days neither end a streak nor use up a grace day.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("for"), help: ArgumentHelp("How long, e.g. 2h, 3d.", valueName: "DURATION"))
    var duration: String?

    @Option(help: ArgumentHelp("Until this time of day (18:30) or ISO 8601 instant.", valueName: "TIME"))
    var until: String?

    func validate() throws {
        if duration != nil && until != nil { throw ValidationError("give --for or --until, not both") }
    }

    func run() throws {
        let result = try global.call(Verb(duration: duration, until: until))
        if global.json { return try global.printJSON(result) }
        print(result.pausedUntil.map { "Paused until \(Next.readable($0))." } ?? "Paused until you run `kindling resume`.")
    }
}
