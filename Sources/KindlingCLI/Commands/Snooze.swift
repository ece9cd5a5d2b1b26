import ArgumentParser
import KindlingControl

/// `kindling snooze [ID] [--for 10m]`.
struct Snooze: VerbCommand {
    typealias Verb = Request.Snooze

    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Bring a waiting prompt back later (default: the configured snooze).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The prompt's id (default: the most recent waiting one).")
    var id: Int64?

    @Option(name: .customLong("for"), help: ArgumentHelp("How long, e.g. 10m, 1h30m.", valueName: "DURATION"))
    var duration: String?

    func run() throws {
        let result = try global.call(Verb(id: id, duration: duration))
        if global.json { return try global.printJSON(result) }
        print("[\(result.id)] will come back at \(Next.readable(result.until ?? "")).")
    }
}
