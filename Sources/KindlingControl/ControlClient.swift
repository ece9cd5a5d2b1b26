import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking client for the control socket, used by the CLI and by tests.
public final class ControlClient {
    /// Why a request got no answer from the daemon (as opposed to an error answer).
    public enum ClientError: Error, CustomStringConvertible, Equatable {
        /// Nothing listens on the socket: the CLI exits 3 with this message.
        case unreachable(socket: String, reason: String)
        /// The daemon closed the connection or sent something that is not a response.
        case brokenReply(socket: String, reason: String)

        public var description: String {
            switch self {
            case .unreachable(let socket, let reason):
                "kindlingd is not reachable at \(socket) (\(reason)); start it with `systemctl --user start kindling` or run `kindlingd`"
            case .brokenReply(let socket, let reason):
                "kindlingd at \(socket) gave no usable answer (\(reason))"
            }
        }
    }

    public let socketPath: String
    private var fd: Int32 = -1
    private var framer = LineFramer()
    private var lines: [[UInt8]] = []
    private var nextID = 1

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Connects (once; later calls reuse the connection).
    public func connect() throws(ClientError) {
        guard fd < 0 else { return }
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard sock >= 0 else { throw .unreachable(socket: socketPath, reason: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(sock)
            throw .unreachable(socket: socketPath, reason: "the path is too long for a Unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = errno == ENOENT ? "no socket there" : String(cString: strerror(errno))
            close(sock)
            throw .unreachable(socket: socketPath, reason: reason)
        }
        fd = sock
    }

    /// Sends a request and waits for its response, decoding the result as `R`.
    /// An error answer is returned as `.failure`, not thrown: it is the daemon's word.
    public func send<R: Codable & Sendable>(_ request: Request, expecting: R.Type) throws(ClientError) -> Result<R, ControlError>
    {
        let reply = try exchange(request)
        let envelope: ResponseEnvelope<R>
        do {
            envelope = try ControlProtocol.makeDecoder().decode(ResponseEnvelope<R>.self, from: Data(reply))
        } catch {
            throw .brokenReply(socket: socketPath, reason: "the response could not be decoded: \(error)")
        }
        if envelope.ok, let result = envelope.result { return .success(result) }
        return .failure(envelope.error ?? ControlError(.badRequest, "the daemon answered without a result"))
    }

    /// Sends a request and reads its result with `read` rather than JSONDecoder, whose first
    /// dynamic casts cost a short-lived CLI more than the rest of its work (`status` uses it).
    public func send<R>(_ request: Request, reading read: (JSONValue) -> R?) throws(ClientError) -> Result<R, ControlError> {
        let reply = try exchange(request)
        guard let envelope = JSONValue.parse(reply), case .bool(let ok)? = envelope["ok"] else {
            throw .brokenReply(socket: socketPath, reason: "the response is not a JSON response object")
        }
        if ok, let result = envelope["result"] {
            guard let value = read(result) else {
                throw .brokenReply(socket: socketPath, reason: "the response's result could not be read")
            }
            return .success(value)
        }
        guard let error = envelope["error"] else {
            return .failure(ControlError(.badRequest, "the daemon answered without a result"))
        }
        guard let code = error["code"]?.string.flatMap(ControlError.Code.init(rawValue:)), let message = error["message"]?.string
        else {
            throw .brokenReply(socket: socketPath, reason: "the response's error could not be read")
        }
        return .failure(ControlError(code, message))
    }

    /// Writes one request and reads the line that answers it.
    private func exchange(_ request: Request) throws(ClientError) -> [UInt8] {
        try connect()
        let id = nextID
        nextID += 1
        var line = RequestEnvelope(id: id, request: request).encoded()
        line.append(UInt8(ascii: "\n"))
        do {
            try writeAll(line)
            return try readLine()
        } catch {
            // A daemon that refuses the connection (another uid, too many clients) says why
            // and closes, possibly before our request is written: read its explanation.
            guard let explanation = try? readLine() else { throw error }
            return explanation
        }
    }

    /// Sends a request and returns the response line undecoded (for callers that need only a
    /// glance at it and not the cost of decoding).
    public func sendRaw(_ request: Request) throws(ClientError) -> [UInt8] {
        try connect()
        let id = nextID
        nextID += 1
        var line = RequestEnvelope(id: id, request: request).encoded()
        line.append(UInt8(ascii: "\n"))
        try writeAll(line)
        return try readLine()
    }

    /// The connection's descriptor (-1 before ``connect()``), for `poll` alongside other input.
    public var fileDescriptor: Int32 { fd }

    /// Whether a whole line has been read already: ``readLine()`` returns it without waiting,
    /// and `poll` on ``fileDescriptor`` would not report it.
    public var hasBufferedLine: Bool { !lines.isEmpty }

    /// Reads the next line the daemon sends (responses, or events after `watch`).
    public func readLine() throws(ClientError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while lines.isEmpty {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw .brokenReply(
                    socket: socketPath, reason: count == 0 ? "the connection was closed" : String(cString: strerror(errno)))
            }
            for output in framer.append(chunk[0..<count]) {
                switch output {
                case .line(let bytes): lines.append(bytes)
                case .tooLarge: throw .brokenReply(socket: socketPath, reason: "a response line is too long")
                }
            }
        }
        return lines.removeFirst()
    }

    private func writeAll(_ data: Data) throws(ClientError) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .brokenReply(socket: socketPath, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
