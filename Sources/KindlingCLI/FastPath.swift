import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// The command lines that skip swift-argument-parser: `--version`, `status [--json]` and
/// `pending --short`, the ones scripts and shell prompts run over and over, the plain
/// `kindling` (or `kindling today`) that a person may open in every new terminal, and the
/// plain forms of `journal` and `stats` (FastPath+Views). Building the
/// parser's command tree (every subcommand's arguments, by reflection) cost most of a
/// `kindling --version`, measured with callgrind. Each path's output and exit codes are
/// exactly those of the parsed command.
enum FastPath: Equatable {
    case version
    case status(socket: String?, json: Bool)
    case today(socket: String?)
    case pendingMarker(socket: String?)
    case journal(socket: String?, json: Bool, Journal.Filter)
    case stats(socket: String?, json: Bool, weeks: Int)

    /// The fast path for `arguments`, or nil for everything else (the parser takes it).
    static func match(_ arguments: [String]) -> FastPath? {
        if arguments == ["--version"] { return .version }
        if let view = matchView(arguments) { return view }
        if let today = matchToday(arguments) { return today }
        let (socket, rest) = splitSocket(arguments)
        switch rest {
        case ["status"]: return .status(socket: socket, json: false)
        case ["status", "--json"], ["--json", "status"]: return .status(socket: socket, json: true)
        case ["pending", "--short"]: return .pendingMarker(socket: socket)
        default: return nil
        }
    }

    /// The plain `kindling` or `kindling today`, with `--socket PATH` only where the parser takes
    /// it: after `today`, or alone (before `today`, the parser refuses it).
    private static func matchToday(_ arguments: [String]) -> FastPath? {
        let (socket, rest) = splitSocket(arguments.first == "today" ? Array(arguments.dropFirst()) : arguments)
        return rest.isEmpty ? .today(socket: socket) : nil
    }

    /// `--socket PATH`, taken out from anywhere in the arguments. A PATH that starts with `-` is
    /// no value to the parser (it reads an option there), so it is left in and nothing matches.
    static func splitSocket(_ arguments: [String]) -> (socket: String?, rest: [String]) {
        var rest = arguments
        guard let index = rest.firstIndex(of: "--socket"), index + 1 < rest.count, !rest[index + 1].hasPrefix("-") else {
            return (nil, rest)
        }
        let socket = rest[index + 1]
        rest.removeSubrange(index...(index + 1))
        return (socket, rest)
    }

    /// Runs the command and exits as ``Kindling/runMain(_:)`` would.
    func run() -> Never {
        switch self {
        case .version:
            print(KindlingVersion.string)
        case .pendingMarker(let socket):
            PendingMarker.run(socket: socket)
        case .today(let socket):
            show { () throws(CLIError) in try Today.show(socket: Self.socketFile(socket)) }
        case .status(let socket, let json):
            show { () throws(CLIError) in try Status.show(socket: Self.socketFile(socket), json: json) }
        case .journal(let socket, let json, let filter):
            show { () throws(CLIError) in try Journal.show(socket: Self.socketFile(socket), json: json, filter: filter) }
        case .stats(let socket, let json, let weeks):
            show { () throws(CLIError) in try Stats.show(socket: Self.socketFile(socket), json: json, weeks: weeks) }
        }
        exit(0)
    }

    /// The socket to use: `--socket`, else `KINDLING_SOCKET`, else the XDG default.
    private static func socketFile(_ socket: String?) -> String {
        Paths.resolveFromProcessEnvironment(socket: socket).socketFile
    }

    /// Runs `command`; a failure is printed and exits with its code, as in ``Kindling/runMain(_:)``.
    private func show(_ command: () throws(CLIError) -> Void) {
        do {
            try command()
        } catch {
            Terminal.printError("kindling: \(error.description)")
            exit(error.exitCode)
        }
    }
}
