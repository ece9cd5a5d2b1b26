import FoundationEssentials

/// Constants and coders shared by both ends of the control socket.
public enum ControlProtocol {
    /// The protocol version carried as `"v"` in every message.
    public static let version = 1
    /// The longest request line the daemon accepts, newline excluded.
    public static let maxLineBytes = 64 * 1024
    /// The longest reply line a client accepts: replies may be longer than requests (a day of
    /// long entries, a thousand upcoming prompts), but not without bound.
    public static let maxReplyBytes = 16 * 1024 * 1024
    /// The most one saved text (an answer, a note, an edit) may hold, in bytes of UTF-8: far
    /// more than anyone types, and small enough that its request and echo stay well framed.
    public static let maxTextBytes = 32 * 1024

    /// The encoder for every message: snake_case keys, one line (no pretty printing).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder matching ``makeEncoder()``.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// An error answered over the socket: `{"code": "...", "message": "..."}`.
public struct ControlError: Error, Codable, Equatable, Sendable, CustomStringConvertible {
    /// The machine-readable codes fixed by DESIGN.md.
    public enum Code: String, Codable, Sendable {
        case badRequest = "bad_request"
        case unknownCommand = "unknown_command"
        case notFound = "not_found"
        case tooLarge = "too_large"
        case forbidden
        case conflict
        /// The answer was not saved; the message says why and the text comes back.
        case storage
        case unsupportedVersion = "unsupported_version"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
