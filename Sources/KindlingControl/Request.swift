import Foundation

/// What a client asks of the daemon. One case per command, each with its arguments;
/// the daemon dispatches on it in one `switch` (one verb, one name in every layer).
public enum Request: Equatable, Sendable {
    /// The daemon's state: next prompts, pending prompts, paths, problems.
    case status
    /// Re-read the configuration file; on error keep the running one.
    case reload

    /// The wire name of the command, `"cmd"` in the JSON.
    public var command: String {
        switch self {
        case .status: "status"
        case .reload: "reload"
        }
    }
}

/// A request with the id that ties it to its response.
public struct RequestEnvelope: Equatable, Sendable {
    public var id: Int
    public var request: Request

    public init(id: Int, request: Request) {
        self.id = id
        self.request = request
    }
}

// MARK: - Wire form

extension RequestEnvelope {
    private enum Keys: String, CodingKey {
        case v, id, cmd
    }

    /// One JSON line, without the newline.
    public func encoded() -> Data {
        // Commands that take arguments add them beside these three keys.
        let object: [String: Any] = ["v": ControlProtocol.version, "id": id, "cmd": request.command]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// Parses one line. On failure the error carries the protocol code to answer with,
    /// and the id when one could be read (so the client can match the error).
    public static func decode(_ line: Data) -> Result<RequestEnvelope, RequestDecodingError> {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: line, options: [])
        } catch {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request is not valid JSON")))
        }
        guard let object = json as? [String: Any] else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request must be a JSON object")))
        }
        let id = (object["id"] as? NSNumber).flatMap { Int(exactly: $0.doubleValue) }
        guard let version = (object["v"] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }) else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no protocol version \"v\"")))
        }
        guard version == ControlProtocol.version else {
            return .failure(
                .init(
                    id: id,
                    error: ControlError(
                        .unsupportedVersion,
                        "protocol version \(version) is not supported; this kindlingd speaks version \(ControlProtocol.version)"
                    )))
        }
        guard let id else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request has no integer \"id\"")))
        }
        guard let command = object["cmd"] as? String else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no \"cmd\"")))
        }
        switch command {
        case "status": return .success(.init(id: id, request: .status))
        case "reload": return .success(.init(id: id, request: .reload))
        default:
            return .failure(.init(id: id, error: ControlError(.unknownCommand, "unknown command \"\(command.prefix(64))\"")))
        }
    }
}

/// Why a request line could not be understood.
public struct RequestDecodingError: Error, Equatable, Sendable {
    public var id: Int?
    public var error: ControlError
}
