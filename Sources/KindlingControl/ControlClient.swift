import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking client for the control socket, used by the CLI and by tests.
///
/// It talks only to the person's own daemon: before it writes a byte it checks that the
/// process behind the socket runs as the same uid (SO_PEERCRED) and, for the default socket,
/// that the folder holding it is private. Every wait is bounded by ``timeout``.
public final class ControlClient {
    /// Why a request got no answer from the daemon (as opposed to an error answer).
    public enum ClientError: Error, CustomStringConvertible, Equatable {
        /// Nothing listens on the socket: the CLI exits 3 with this message.
        case unreachable(socket: String, reason: String)
        /// The socket, or the folder that holds it, is not the person's own: nothing was sent.
        case untrusted(socket: String, reason: String)
        /// The daemon took longer than the time limit; `sent` when the whole request had been
        /// written (the daemon may still act on it once it wakes).
        case timedOut(socket: String, seconds: Double, sent: Bool)
        /// The daemon closed the connection or sent something that is not a response; `sent`
        /// when the whole request had been written before.
        case brokenReply(socket: String, reason: String, sent: Bool)

        public var description: String {
            switch self {
            case .unreachable(let socket, let reason):
                "kindlingd is not reachable at \(socket) (\(reason)); start it with `systemctl --user start kindling` or run `kindlingd`"
            case .untrusted(_, let reason):
                reason
            case .timedOut(let socket, let seconds, _):
                "kindlingd at \(socket) did not answer within \(Self.format(seconds)) s; it may be stopped or very busy (`systemctl --user status kindling` shows its state)"
            case .brokenReply(let socket, let reason, _):
                "kindlingd at \(socket) gave no usable answer (\(reason))"
            }
        }

        /// DESIGN.md's exit code: 3 when the daemon (the person's own) could not be reached
        /// or did not answer, 1 when it answered something unusable.
        public var exitCode: Int32 {
            if case .brokenReply = self { return 1 }
            return 3
        }

        /// True when the daemon may have received the whole request and acted on it, though
        /// its answer never came: a save's outcome is then unknown, not failed.
        public var requestMayHaveArrived: Bool {
            switch self {
            case .unreachable, .untrusted: false
            case .timedOut(_, _, let sent), .brokenReply(_, _, let sent): sent
            }
        }

        private static func format(_ seconds: Double) -> String {
            seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        }
    }

    /// How long the CLI lets an ordinary request wait for the daemon (the library itself waits
    /// as long as its caller says: see ``timeout``).
    public static let defaultTimeout: Double = 10

    public let socketPath: String
    /// When true, the folder holding the socket must belong to this user with no access for
    /// anyone else (the default socket's folder; `/tmp/kindling-$UID` can be made by anyone).
    public let requiresPrivateFolder: Bool
    /// The longest wait, in seconds, for any one step (connecting, writing, each read); nil
    /// waits for ever (`watch` between events). A stream that keeps arriving never times out.
    public var timeout: Double? {
        didSet { if fd >= 0 { applyTimeout(to: fd) } }
    }
    private var fd: Int32 = -1
    private var framer = LineFramer(limit: ControlProtocol.maxReplyBytes)
    private var lines: [[UInt8]] = []
    private var nextID = 1
    /// Set once a whole request line has been written: from then on a missing answer does not
    /// mean the daemon never saw it.
    private var requestWritten = false

    public init(socketPath: String, requiresPrivateFolder: Bool = false, timeout: Double? = nil) {
        self.socketPath = socketPath
        self.requiresPrivateFolder = requiresPrivateFolder
        self.timeout = timeout
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Connects (once; later calls reuse the connection), and refuses a socket that is not
    /// the person's own before anything is written to it.
    public func connect() throws(ClientError) {
        guard fd < 0 else { return }
        if requiresPrivateFolder { try checkFolder() }
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
        // SO_SNDTIMEO also bounds connect(2) on a Unix socket whose backlog is full.
        applyTimeout(to: sock)
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let error = errno
            close(sock)
            if error == EAGAIN || error == EWOULDBLOCK || error == EINPROGRESS {
                throw .timedOut(socket: socketPath, seconds: timeout ?? 0, sent: false)
            }
            throw .unreachable(socket: socketPath, reason: error == ENOENT ? "no socket there" : String(cString: strerror(error)))
        }
        do {
            try checkPeer(sock)
        } catch {
            close(sock)
            throw error
        }
        fd = sock
    }

    /// Linux's `struct ucred` (pid, uid, gid), which Glibc does not export to Swift.
    private struct PeerCredentials {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// The process that listens must run as this user: anyone else could read what we send
    /// and answer anything (a fake "saved").
    private func checkPeer(_ sock: Int32) throws(ClientError) {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
            throw .untrusted(
                socket: socketPath,
                reason:
                    "cannot tell who listens on \(socketPath) (\(String(cString: strerror(errno)))), so kindling sent it nothing"
            )
        }
        let me = getuid()
        guard credentials.uid == me else {
            throw .untrusted(
                socket: socketPath,
                reason:
                    "the process listening on \(socketPath) runs as uid \(credentials.uid), not as you (uid \(me)), so kindling sent it nothing; stop it and start your own kindlingd (`systemctl --user start kindling`)"
            )
        }
    }

    /// The folder part of a path ("." for a bare name), as dirname(1) gives it: the client runs
    /// without Foundation's NSString.
    public static func folder(of path: String) -> String {
        func trimmed(_ path: Substring) -> Substring {
            var path = path
            while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
            return path
        }
        let path = trimmed(Substring(path))
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = trimmed(path[..<slash])
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The folder holding the socket must be a real folder (not a symlink), owned by this user,
    /// closed to everyone else: otherwise another user may have made it to catch our words.
    private func checkFolder() throws(ClientError) {
        let folder = Self.folder(of: socketPath)
        var info = stat()
        guard lstat(folder, &info) == 0 else {
            let reason = errno == ENOENT ? "no socket there" : String(cString: strerror(errno))
            throw .unreachable(socket: socketPath, reason: reason)
        }
        let me = getuid()
        let mode = String(info.st_mode & 0o777, radix: 8)
        let problem: String? =
            if info.st_mode & S_IFMT != S_IFDIR {
                "is not a folder (a symlink is refused)"
            } else if info.st_uid != me {
                "belongs to uid \(info.st_uid), not to you (uid \(me))"
            } else if info.st_mode & 0o077 != 0 {
                "is open to others (mode \(mode), not 700)"
            } else {
                nil
            }
        guard let problem else { return }
        throw .untrusted(
            socket: socketPath,
            reason:
                "the socket folder \(folder) \(problem), so kindling sent nothing there; remove it (or, if it is yours, `chmod 700` it) and start kindlingd again"
        )
    }

    /// SO_RCVTIMEO and SO_SNDTIMEO from ``timeout`` (zero: no limit).
    private func applyTimeout(to sock: Int32) {
        let seconds = max(0, timeout ?? 0)
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        if timeout != nil, value.tv_sec == 0, value.tv_usec == 0 { value.tv_usec = 1000 }
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(sock, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Sends a request and waits for its response, decoding the verb's result.
    /// An error answer is returned as `.failure`, not thrown: it is the daemon's word.
    public func send<V: ControlVerb>(_ request: V) throws(ClientError) -> Result<V.Result, ControlError> {
        try post(request)
        return try receive(V.self)
    }

    /// Writes a request without waiting for its answer. The daemon answers a connection's
    /// requests in order, so a client may post the next request before it ``receive(_:)``s
    /// the answer to the one before: `import` prepares a batch while the daemon saves the last.
    public func post(_ request: some ControlVerb) throws(ClientError) {
        try connect()
        let id = nextID
        nextID += 1
        var line = RequestEnvelope(id: id, request: request).encoded()
        line.append(UInt8(ascii: "\n"))
        do {
            try writeAll(line)
        } catch {
            // A daemon that refuses the connection (another uid, too many clients) says why
            // and closes, possibly before our request is written: its explanation is the answer.
            guard case .brokenReply = error, let explanation = try? readLine() else { throw error }
            lines.insert(explanation, at: 0)
        }
    }

    /// Reads the next answer (to the oldest request posted and not yet answered) as `verb`'s.
    public func receive<V: ControlVerb>(_ verb: V.Type) throws(ClientError) -> Result<V.Result, ControlError> {
        let reply = try readLine()
        let envelope: ResponseEnvelope<V.Result>
        do {
            envelope = try ControlProtocol.makeDecoder().decode(ResponseEnvelope<V.Result>.self, from: Data(reply))
        } catch {
            throw .brokenReply(socket: socketPath, reason: "the response could not be decoded: \(error)", sent: true)
        }
        if envelope.ok, let result = envelope.result { return .success(result) }
        return .failure(envelope.error ?? ControlError(.badRequest, "the daemon answered without a result"))
    }

    /// Sends a request and reads its result with `read` rather than JSONDecoder, whose first
    /// dynamic casts cost a short-lived CLI more than the rest of its work (`status` uses it).
    public func send<R>(_ request: some ControlVerb, reading read: (JSONValue) -> R?) throws(ClientError) -> Result<
        R, ControlError
    > {
        let reply = try exchange(request)
        guard let envelope = JSONValue.parse(reply), case .bool(let ok)? = envelope["ok"] else {
            throw .brokenReply(socket: socketPath, reason: "the response is not a JSON response object", sent: true)
        }
        if ok, let result = envelope["result"] {
            guard let value = read(result) else {
                throw .brokenReply(socket: socketPath, reason: "the response's result could not be read", sent: true)
            }
            return .success(value)
        }
        guard let error = envelope["error"] else {
            return .failure(ControlError(.badRequest, "the daemon answered without a result"))
        }
        guard let code = error["code"]?.string.flatMap(ControlError.Code.init(rawValue:)), let message = error["message"]?.string
        else {
            throw .brokenReply(socket: socketPath, reason: "the response's error could not be read", sent: true)
        }
        return .failure(ControlError(code, message))
    }

    /// Writes one request and reads the line that answers it.
    private func exchange(_ request: some ControlVerb) throws(ClientError) -> [UInt8] {
        try post(request)
        return try readLine()
    }

    /// Sends a request and returns the response line undecoded (for callers that need only a
    /// glance at it and not the cost of decoding).
    public func sendRaw(_ request: some ControlVerb) throws(ClientError) -> [UInt8] {
        try exchange(request)
    }

    /// The connection's descriptor (-1 before ``connect()``), for `poll` alongside other input.
    public var fileDescriptor: Int32 { fd }

    /// Whether a whole line has been read already: ``readLine()`` returns it without waiting,
    /// and `poll` on ``fileDescriptor`` would not report it.
    public var hasBufferedLine: Bool { !lines.isEmpty }

    /// Reads the next line the daemon sends (responses, or events after `watch`).
    public func readLine() throws(ClientError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while lines.isEmpty {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw .timedOut(socket: socketPath, seconds: timeout ?? 0, sent: requestWritten)
            }
            guard count > 0 else {
                throw .brokenReply(
                    socket: socketPath, reason: count == 0 ? "the connection was closed" : String(cString: strerror(errno)),
                    sent: requestWritten)
            }
            for output in framer.append(chunk[0..<count]) {
                switch output {
                case .line(let bytes): lines.append(bytes)
                case .tooLarge:
                    throw .brokenReply(
                        socket: socketPath, reason: "a response is longer than \(ControlProtocol.maxReplyBytes >> 20) MiB",
                        sent: requestWritten)
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
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw .timedOut(socket: socketPath, seconds: timeout ?? 0, sent: false)
                }
                throw .brokenReply(socket: socketPath, reason: String(cString: strerror(errno)), sent: false)
            }
            offset += written
        }
        requestWritten = true
    }
}
