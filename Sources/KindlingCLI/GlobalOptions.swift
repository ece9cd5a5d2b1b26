import ArgumentParser
import Foundation
import KindlingControl
import KindlingCore

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

    /// Sends `request` and returns its result, turning every failure into a ``CLIError``.
    func call<R: Codable & Sendable>(_ request: Request, expecting type: R.Type) throws(CLIError) -> R {
        let client = ControlClient(socketPath: socketPath)
        return try Self.outcome { () throws(ControlClient.ClientError) in try client.send(request, expecting: type) }
    }

    /// ``call(_:expecting:)`` to the daemon at `socket`, the result read by `read` instead of JSONDecoder.
    static func call<R>(socket: String, _ request: Request, reading read: (JSONValue) -> R?) throws(CLIError) -> R {
        let client = ControlClient(socketPath: socket)
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
            switch error {
            case .unreachable: throw CLIError(error.description, exitCode: 3)
            case .brokenReply: throw CLIError(error.description, exitCode: 1)
            }
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

    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
