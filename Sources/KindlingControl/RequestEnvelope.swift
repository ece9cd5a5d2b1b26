import FoundationEssentials

/// A request with the id that ties it to its response.
public struct RequestEnvelope: Equatable, Sendable {
    public var id: Int
    /// The verb asked for, with its arguments (one of ``Request/verbs``).
    public var request: any ControlVerb

    public init(id: Int, request: any ControlVerb) {
        self.id = id
        self.request = request
    }

    public static func == (lhs: RequestEnvelope, rhs: RequestEnvelope) -> Bool {
        lhs.id == rhs.id && lhs.request.isEqual(to: rhs.request)
    }
}

// MARK: - Wire form

extension RequestEnvelope {
    /// One JSON line, without the newline (keys sorted).
    public func encoded() -> Data {
        var arguments = ArgumentWriter()
        request.write(to: &arguments)
        var members = arguments.members
        members.append(("v", Array(String(ControlProtocol.version).utf8)))
        members.append(("id", Array(String(id).utf8)))
        var command: [UInt8] = []
        JSONText.appendQuoted(type(of: request).wireName, to: &command)
        members.append(("cmd", command))
        members.sort { $0.key < $1.key }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.json)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// Parses one line. On failure the error carries the protocol code to answer with,
    /// and the id when one could be read (so the client can match the error).
    public static func decode(_ line: Data) -> Result<RequestEnvelope, RequestDecodingError> {
        line.withUnsafeBytes { decode(bytes: $0.bindMemory(to: UInt8.self)) }
    }

    /// ``decode(_:)`` for the daemon's line buffer, as it is.
    public static func decode(bytes line: [UInt8]) -> Result<RequestEnvelope, RequestDecodingError> {
        line.withUnsafeBufferPointer { decode(bytes: $0) }
    }

    static func decode(bytes line: UnsafeBufferPointer<UInt8>) -> Result<RequestEnvelope, RequestDecodingError> {
        var parser = JSONParser(line)
        parser.readsImportEntries = true
        let parsed = parser.value(depth: 0)
        parser.skipWhitespace()
        guard let json = parsed, parser.atEnd else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request is not valid JSON")))
        }
        guard case .object(let object) = json else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request must be a JSON object")))
        }
        let id = object["id"]?.integer.flatMap { Int(exactly: $0) }
        guard let version = object["v"]?.integer else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no protocol version \"v\"")))
        }
        guard version == Int64(ControlProtocol.version) else {
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
        guard let command = object["cmd"]?.string else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no \"cmd\"")))
        }
        guard let verb = Request.verb(named: command) else {
            return .failure(
                .init(id: id, error: ControlError(.unknownCommand, "unknown command \"\(command.prefix(64))\"")))
        }
        do {
            let arguments = ArgumentReader(object, importEntries: parser.importEntries)
            return .success(RequestEnvelope(id: id, request: try verb.init(from: arguments)))
        } catch {
            return .failure(.init(id: id, error: error))
        }
    }
}

/// Why a request line could not be understood.
public struct RequestDecodingError: Error, Equatable, Sendable {
    public var id: Int?
    public var error: ControlError
}
