import CSystemd
import Dispatch
import Foundation
import KindlingControl
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The control socket: accepts connections and reads newline-delimited JSON requests,
/// all from Dispatch sources on the daemon's serial queue (nothing blocks, nothing polls).
///
/// Each complete line goes to `handler`, whose answer is written back in order. A peer
/// with another uid is answered `forbidden` and closed.
final class ControlServer: @unchecked Sendable {
    /// Produces the response line (without newline) for one request line.
    typealias Handler = (_ line: [UInt8], _ connection: Connection) -> Data

    let path: String
    private let queue: DispatchQueue
    private let log: Logger
    private let listenFD: Int32
    private let lockFD: Int32
    private var acceptSource: DispatchSourceRead?
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var handler: Handler = { _, _ in Data() }
    /// More connections than this are answered with an error and closed, never queued.
    static let maxConnections = 128
    /// A connection (other than a watcher) that sends nothing for this long is closed, so
    /// half a line and a stall cannot hold a slot forever.
    var idleTimeout: TimeInterval = 30
    private var sweepTimer: DispatchSourceTimer?
    /// Where every connection reads into: all of them run on the one queue, and the framer
    /// copies out what it keeps before the next read.
    fileprivate let readBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 16 * 1024)

    // MARK: - Binding

    /// Binds the socket at `path`, refusing if another kindlingd holds it.
    /// Throws a ``StartupError`` whose message is meant for the person.
    init(path: String, enforcePrivateDirectory: Bool, queue: DispatchQueue, log: Logger) throws(StartupError) {
        self.path = path
        self.queue = queue
        self.log = log
        let directory = (path as NSString).deletingLastPathComponent
        try Self.prepareDirectory(directory, enforcePrivate: enforcePrivateDirectory)

        // The lock, not the socket file, decides who owns the path: two daemons started
        // at once cannot both see a "stale" socket and bind over each other.
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else {
            throw StartupError("cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            let owner = Self.peerPID(atSocket: path).map { " (pid \($0))" } ?? ""
            throw StartupError(
                "another kindlingd is already running on \(path)\(owner); stop it with `systemctl --user stop kindling`, or give this one another --socket"
            )
        }
        lockFD = lock

        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                close(lock)
                throw StartupError("\(path) exists and is not a socket; move it away or choose another --socket")
            }
            guard info.st_uid == getuid() else {
                close(lock)
                throw StartupError(
                    "the socket \(path) belongs to uid \(info.st_uid), not to you; remove it or choose another --socket")
            }
            // We hold the lock, so whatever answers there is not a kindlingd: a stale file.
            unlink(path)
        }

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            close(lock)
            throw StartupError("cannot create a Unix socket: \(String(cString: strerror(errno)))")
        }
        guard var address = Self.address(path) else {
            close(fd)
            close(lock)
            throw StartupError("the socket path \(path) is too long (at most 107 bytes)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            close(lock)
            throw StartupError("cannot listen on \(path): \(reason)")
        }
        listenFD = fd
    }

    /// Creates the socket's directory 0700, or checks one that exists.
    private static func prepareDirectory(_ directory: String, enforcePrivate: Bool) throws(StartupError) {
        var info = stat()
        if lstat(directory, &info) != 0 {
            guard errno == ENOENT else {
                throw StartupError("cannot use the socket directory \(directory): \(String(cString: strerror(errno)))")
            }
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                throw StartupError("cannot create the socket directory \(directory): \(String(cString: strerror(errno)))")
            }
            guard lstat(directory, &info) == 0 else {
                throw StartupError("cannot use the socket directory \(directory): \(String(cString: strerror(errno)))")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw StartupError("the socket directory \(directory) is not a directory (a symlink is refused); remove it")
        }
        guard enforcePrivate else { return }
        guard info.st_uid == getuid() else {
            throw StartupError("the socket directory \(directory) belongs to uid \(info.st_uid), not to you; remove it")
        }
        if info.st_mode & 0o077 != 0 {
            throw StartupError(
                "the socket directory \(directory) is open to others (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 700 \(directory)`"
            )
        }
    }

    static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// The pid of whatever process listens at `path`, to name it in the refusal.
    private static func peerPID(atSocket path: String) -> pid_t? {
        guard var address = address(path) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        var pid: pid_t = 0
        guard connected == 0, kindling_peer_credentials(fd, nil, nil, &pid) == 0 else { return nil }
        return pid
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: - Serving

    /// Starts accepting; `handler` runs on the queue for every request line.
    func start(handler: @escaping Handler) {
        dispatchPrecondition(condition: .onQueue(queue))
        self.handler = handler
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
        source.setEventHandler { [unowned self] in self.acceptAll() }
        source.resume()
        acceptSource = source
    }

    private func acceptAll() {
        while true {
            let fd = kindling_accept_nonblocking(listenFD)
            if fd < 0 {
                if -fd == EINTR || -fd == ECONNABORTED { continue }
                if -fd != EAGAIN && -fd != EWOULDBLOCK {
                    log.warning("accept failed: \(String(cString: strerror(-fd)))")
                }
                return
            }
            var uid: uid_t = 0
            guard kindling_peer_credentials(fd, &uid, nil, nil) == 0, uid == getuid() else {
                log.notice("refused a control connection from uid \(uid)")
                Self.refuse(fd, ControlError(.forbidden, "this kindlingd belongs to another user"))
                continue
            }
            guard connections.count < Self.maxConnections else {
                log.warning("refused a control connection: \(Self.maxConnections) already open")
                Self.refuse(fd, ControlError(.conflict, "too many open connections; try again shortly"))
                continue
            }
            let connection = Connection(fd: fd, queue: queue, server: self)
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
            startSweeping()
        }
    }

    // MARK: - Idle connections

    /// A timer that runs only while connections other than watchers are open: an idle
    /// daemon with no clients (or only watchers) is never woken by it.
    private func startSweeping() {
        guard sweepTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(flags: [], queue: queue)
        let interval = DispatchTimeInterval.milliseconds(max(50, Int(idleTimeout * 500)))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.resume()
        sweepTimer = timer
    }

    private func sweep() {
        let now = DispatchTime.now()
        var active = 0
        for connection in connections.values where !connection.isWatcher {
            if now.uptimeNanoseconds - connection.lastActivity.uptimeNanoseconds > UInt64(idleTimeout * 1e9) {
                log.notice("closed a control connection idle for \(Int(idleTimeout)) s")
                connection.close()
            } else {
                active += 1
            }
        }
        if active == 0 {
            sweepTimer?.cancel()
            sweepTimer = nil
        }
    }

    /// Best effort: one error line, then close. The socket is non-blocking, so a peer that
    /// reads nothing cannot hold us up.
    private static func refuse(_ fd: Int32, _ error: ControlError) {
        if var line = try? ControlProtocol.makeEncoder().encode(ResponseEnvelope<EmptyResult>(id: nil, error: error)) {
            line.append(UInt8(ascii: "\n"))
            _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        close(fd)
    }

    fileprivate func handle(_ line: [UInt8], from connection: Connection) -> Data {
        handler(line, connection)
    }

    fileprivate func closed(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Stops accepting, closes every connection and removes the socket file.
    func shutdown() {
        dispatchPrecondition(condition: .onQueue(queue))
        acceptSource?.cancel()
        acceptSource = nil
        sweepTimer?.cancel()
        sweepTimer = nil
        for connection in connections.values { connection.close() }
        connections.removeAll()
        unlink(path)
        close(listenFD)
        // The lock goes last: until the socket is gone, no successor may bind.
        close(lockFD)
    }

    var connectionCount: Int { connections.count }
}

// MARK: - Connection

/// One client connection: a read source, a line framer and a queue of pending output.
final class Connection: @unchecked Sendable {
    let fd: Int32
    private let queue: DispatchQueue
    private unowned let server: ControlServer
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var framer = LineFramer()
    private var output: [UInt8] = []
    /// When the peer last sent something (for the idle timeout).
    private(set) var lastActivity = DispatchTime.now()
    /// Set by `watch`: an event stream is quiet by nature and never timed out.
    var isWatcher = false
    private var closeAfterFlush = false
    private var isClosed = false
    /// Sources not yet through their cancel handler. The fd is closed only when this
    /// reaches zero: closing earlier lets the number be reused while libdispatch still
    /// watches it, and the new connection would lose its events.
    private var liveSources = 0

    fileprivate init(fd: Int32, queue: DispatchQueue, server: ControlServer) {
        self.fd = fd
        self.queue = queue
        self.server = server
    }

    fileprivate func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.readAvailable() }
        watch(source)
        readSource = source
    }

    private func watch(_ source: any DispatchSourceProtocol) {
        liveSources += 1
        // The source keeps this connection alive until its cancel handler has run.
        source.setCancelHandler { [self] in
            liveSources -= 1
            if isClosed && liveSources == 0 { Glibc.close(fd) }
        }
        source.resume()
    }

    private func readAvailable() {
        let chunk = server.readBuffer
        while !isClosed {
            let count = read(fd, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                close()
                return
            }
            lastActivity = DispatchTime.now()
            if count == 0 {
                // The peer finished sending: answer what it asked, then close.
                stopReading()
                closeAfterFlush = true
                if output.isEmpty { close() }
                return
            }
            for item in framer.append(contiguous: UnsafeBufferPointer(rebasing: chunk[0..<count])) {
                switch item {
                case .line(let line):
                    send(server.handle(line, from: self))
                case .tooLarge:
                    // Marked for closing before the answer goes out: once it is flushed,
                    // nothing else would ever close this connection.
                    stopReading()
                    closeAfterFlush = true
                    let error = ControlError(.tooLarge, "a request line is longer than \(ControlProtocol.maxLineBytes) bytes")
                    send(
                        (try? ControlProtocol.makeEncoder().encode(ResponseEnvelope<EmptyResult>(id: nil, error: error)))
                            ?? Data())
                    return
                }
            }
        }
    }

    var isOpen: Bool { !isClosed }

    /// Bytes queued for the peer and not yet written (a stream checks it before sending more).
    var pendingOutputBytes: Int { output.count }

    /// Runs once on the queue when everything queued has been written: a stream waits on it instead
    /// of buffering without end for a slow reader. Dropped if the connection closes.
    var whenDrained: (() -> Void)?

    /// Queues a line unless more than `limit` bytes already wait for a slow reader; false
    /// when over (the caller drops the connection rather than buffer without end).
    func send(_ line: Data, dropAbove limit: Int) -> Bool {
        guard output.count <= limit else { return false }
        send(line)
        return true
    }

    /// Queues one line (a newline is added) and writes as much as the socket takes now.
    func send(_ line: Data) {
        guard !isClosed else { return }
        output.append(contentsOf: line)
        output.append(UInt8(ascii: "\n"))
        flush()
    }

    private func flush() {
        while !output.isEmpty {
            let written = output.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    waitUntilWritable()
                    return
                }
                close()
                return
            }
            output.removeFirst(written)
            // A peer that keeps reading a long stream is active, whatever it sends.
            lastActivity = DispatchTime.now()
        }
        writeSource?.cancel()
        writeSource = nil
        if closeAfterFlush {
            close()
        } else if let drained = whenDrained {
            whenDrained = nil
            drained()
        }
    }

    private func waitUntilWritable() {
        guard writeSource == nil else { return }
        let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.flush() }
        watch(source)
        writeSource = source
    }

    private func stopReading() {
        readSource?.cancel()
        readSource = nil
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        whenDrained = nil
        stopReading()
        writeSource?.cancel()
        writeSource = nil
        if liveSources == 0 { Glibc.close(fd) }
        server.closed(self)
    }
}
