import FoundationEssentials
import KindlingControl

/// `kindling pending --short`, the shell-prompt marker, on a path of its own: it runs before
/// every prompt a shell draws, so it skips swift-argument-parser and JSONDecoder, whose first
/// dynamic casts scan every protocol conformance in the static binary (most of the command's
/// cost, measured with callgrind). Its output is exactly `Pending`'s with `--short`.
enum PendingMarker {
    /// The arguments this path takes: `pending --short`, with an optional `--socket PATH`
    /// before or after. Anything else goes through the parser as usual.
    struct Invocation: Equatable {
        var socket: String?
    }

    static func matches(_ arguments: [String]) -> Invocation? {
        guard case .pendingMarker(let socket) = FastPath.match(arguments) else { return nil }
        return Invocation(socket: socket)
    }

    /// How long the marker waits for the daemon, in seconds.
    static let markerTimeout = 0.5

    /// Prints `✦N` when N prompts wait, nothing otherwise; never an error (a shell prompt
    /// must not show one).
    static func run(socket: String?) {
        let path = Paths.resolveFromProcessEnvironment(socket: socket).socketFile
        // A shell prompt must never hang on a stopped daemon: a short wait, then nothing.
        let client = ControlClient.cli(socket: path)
        client.timeout = markerTimeout
        guard let reply = try? client.sendRaw(Request.Pending()) else { return }
        let count = waitingCount(in: reply)
        if count > 0 { print("✦\(count)") }
    }

    /// The number of prompts in a `pending` response, read from its bytes. Each prompt
    /// object has the key "slot" right after "id" (keys are sorted), so `,"slot":` appears
    /// once per prompt and never inside a string, where its quotes would be escaped.
    static func waitingCount(in reply: [UInt8]) -> Int {
        guard contains(reply, Array(#""ok":true"#.utf8)) else { return 0 }
        let needle = Array(#","slot":"#.utf8)
        var count = 0
        var index = 0
        while index + needle.count <= reply.count {
            if reply[index] == needle[0], reply[index..<(index + needle.count)].elementsEqual(needle) {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
