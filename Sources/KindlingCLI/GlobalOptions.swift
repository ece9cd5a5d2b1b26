import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// Options every command that talks to the daemon shares.
public struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The daemon's control socket (default: $XDG_RUNTIME_DIR/kindling/control.sock).", valueName: "PATH"))
    var socket: String?

    @Flag(name: .long, help: "Print the result as JSON (stable, for scripts).")
    var json = false

    public init() {}

    /// The socket to use: --socket, KINDLING_SOCKET, or the XDG default.
    var socketPath: String {
        Paths.resolve(environment: ProcessInfo.processInfo.environment, socket: socket).socketFile
    }

    /// A client for the daemon at ``socketPath`` (see ``ControlClient/cli(socket:patience:)``).
    func client(patience: ControlClient.Patience = .request) -> ControlClient {
        ControlClient.cli(socket: socketPath, patience: patience)
    }

    /// Sends `request` and returns its result, turning every failure into a ``CLIError``.
    func call<V: ControlVerb>(_ request: V, patience: ControlClient.Patience = .request) throws(CLIError) -> V.Result {
        let client = client(patience: patience)
        return try Self.outcome { () throws(ControlClient.ClientError) in try client.send(request) }
    }

    /// ``call(_:patience:)`` to the daemon at `socket`, the result read by `read` instead of JSONDecoder.
    static func call<R>(socket: String, _ request: some ControlVerb, reading read: (JSONValue) -> R?) throws(CLIError) -> R {
        let client = ControlClient.cli(socket: socket)
        return try outcome { () throws(ControlClient.ClientError) in try client.send(request, reading: read) }
    }

    /// The result of an exchange, or the ``CLIError`` its failure means.
    private static func outcome<R>(_ exchange: () throws(ControlClient.ClientError) -> Result<R, ControlError>) throws(CLIError)
        -> R
    {
        let outcome: Result<R, ControlError>
        do {
            outcome = try exchange()
        } catch {
            throw CLIError(error)
        }
        switch outcome {
        case .success(let result): return result
        case .failure(let error): throw CLIError(error.message, exitCode: 1)
        }
    }

    /// Prints `value` as one JSON object on stdout.
    func printJSON<T: Encodable>(_ value: T) throws(CLIError) {
        let encoder = ControlProtocol.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        do {
            let data = try encoder.encode(value)
            print(String(decoding: data, as: UTF8.self))
        } catch {
            throw CLIError("could not encode the result as JSON: \(error)", exitCode: 1)
        }
    }
}

/// A failure worded for the person: printed as `kindling: MESSAGE`, then the exit code
/// DESIGN.md fixes (1 refused or failed, 2 usage, 3 daemon not reachable).
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public var exitCode: Int32
    /// True when the request may have reached the daemon and been acted on, though no answer
    /// came back: a command that saves must not then say its text was not saved.
    public var outcomeUnknown = false

    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }

    /// The failure of an exchange with the daemon, with its exit code.
    public init(_ error: ControlClient.ClientError) {
        self.init(error.description, exitCode: error.exitCode)
        outcomeUnknown = error.requestMayHaveArrived
    }
}

extension ControlClient {
    /// How long the CLI waits for the daemon.
    public enum Patience {
        /// An ordinary request: ``ControlClient/defaultTimeout``, or `KINDLING_TIMEOUT` seconds
        /// (0: no limit).
        case request
        /// Copies of the whole journal (export, import, backup, restore): the daemon may work
        /// for a while before it answers, and a stream may pause.
        case longOperation
    }

    /// The wait for a long operation, in seconds, unless `KINDLING_TIMEOUT` asks for more.
    static let longOperationTimeout: Double = 600

    /// A client as the CLI uses it: the default socket's folder must be private (anyone can make
    /// `/tmp/kindling-$UID`), and every wait is bounded so a stopped daemon cannot hang a command.
    static func cli(socket: String, patience: Patience = .request) -> ControlClient {
        let isDefault = socket == Paths.defaultSocketFromProcessEnvironment()
        var timeout: Double? = ControlClient.defaultTimeout
        if let text = getenv("KINDLING_TIMEOUT").map({ String(cString: $0) }), let seconds = Double(text), seconds >= 0 {
            timeout = seconds == 0 ? nil : seconds
        }
        if patience == .longOperation, let shorter = timeout { timeout = max(shorter, longOperationTimeout) }
        return ControlClient(socketPath: socket, requiresPrivateFolder: isDefault, timeout: timeout)
    }
}
