import Dispatch
import Foundation
import KindlingControl
import KindlingSystemd
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
    /// The accept source is suspended for a moment (see ``pauseAccepting(after:)``).
    private var acceptPaused = false
    /// Set by the first ``shutdown()``: a second one must not close numbers given back.
    private var isShutDown = false
    /// Left once the listening socket is closed, which happens in the accept source's cancel
    /// handler: closed earlier, its number could be reused while libdispatch still watches it.
    private let listenerClosed = DispatchGroup()
    private(set) var connections: [ObjectIdentifier: Connection] = [:]
    private var handler: Handler = { _, _ in Data() }
    /// Request connections (watchers aside) open at once. One more closes the stalest of
    /// them (see ``stalest(_:)``) rather than being refused: whatever holds the slots, a
    /// request from the person's own CLI always finds room.
    static let maxConnections = 128
    /// Watchers open at once, counted apart from the request connections above: a new one
    /// past the cap closes the stalest watcher.
    static let maxWatchers = 32
    /// The connections that asked to `watch`: every event goes to each of them.
    private(set) var watchers: [ObjectIdentifier: Connection] = [:]
    /// When a connection was last closed to make room: under a flood, one log line in ten seconds.
    private var lastEvictionLog: DispatchTime?
    private var evictedSinceLog = 0
    /// A connection (other than a watcher) that sends nothing for this long is closed, so
    /// half a line and a stall cannot hold a slot forever.
    var idleTimeout: TimeInterval = 30
    private var sweepTimer: DispatchSourceTimer?
    /// Connections accepted since free memory was last given back (see ``closed(_:)``).
    private var acceptedSinceRelease = 0
    /// How many connections make a burst worth giving memory back after: one shell prompt's
    /// `kindling pending` is not, a script's loop or a flood is.
    static let releaseAfterConnections = 64
    /// What gives free memory back to the kernel; tests count the calls.
    var releaseFreeMemory: () -> Void = ProcessSafety.releaseFreeMemory
    /// How often the memory was given back after a burst (tests read it).
    private(set) var memoryReleases = 0
    /// Where every connection reads into: all of them run on the one queue, and the framer
    /// copies out what it keeps before the next read.
    let readBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 16 * 1024)

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
        guard connected == 0 else { return nil }
        return SocketCalls.peer(of: fd)?.pid
    }

    deinit {
        readBuffer.deallocate()
    }

    /// The listening socket and the lock, for tests that check who closes them.
    var descriptorsForTesting: [Int32] { [listenFD, lockFD] }

    // MARK: - Serving

    /// Starts accepting; `handler` runs on the queue for every request line.
    func start(handler: @escaping Handler) {
        dispatchPrecondition(condition: .onQueue(queue))
        self.handler = handler
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
        source.setEventHandler { [unowned self] in self.acceptAll() }
        listenerClosed.enter()
        source.setCancelHandler { [listenFD, listenerClosed] in
            close(listenFD)
            listenerClosed.leave()
        }
        source.resume()
        acceptSource = source
    }

    private func acceptAll() {
        while true {
            let fd = SocketCalls.acceptNonBlocking(listenFD)
            if fd < 0 {
                if -fd == EINTR || -fd == ECONNABORTED { continue }
                if -fd != EAGAIN && -fd != EWOULDBLOCK { pauseAccepting(after: -fd) }
                return
            }
            let uid = SocketCalls.peer(of: fd)?.uid
            guard uid == getuid() else {
                log.notice("refused a control connection from uid \(uid.map(String.init) ?? "unknown")")
                Self.refuse(fd, ControlError(.forbidden, "this kindlingd belongs to another user"))
                continue
            }
            if connections.count - watchers.count >= Self.maxConnections,
                let stalest = Self.stalest(connections.values.filter { !$0.isWatcher })
            {
                evict(stalest, reason: "\(Self.maxConnections) control connections were open")
            }
            let connection = Connection(fd: fd, queue: queue, server: self)
            connections[ObjectIdentifier(connection)] = connection
            acceptedSinceRelease += 1
            connection.start()
            startSweeping()
        }
    }

    /// How long accepting pauses after accept(2) failed for a reason other than "nothing to accept".
    static let acceptBackoff = DispatchTimeInterval.seconds(1)

    /// accept(2) failed, most likely for want of a file descriptor (EMFILE, ENFILE): the
    /// connection stays in the backlog and the listening socket stays readable, so trying
    /// again at once would spin (80,000 failures a second were seen). Accepting pauses for
    /// a second, with one log line, while the descriptors come back.
    private func pauseAccepting(after errorNumber: Int32) {
        guard let acceptSource, !acceptPaused else { return }
        log.warning("accept failed: \(String(cString: strerror(errorNumber))); not accepting connections for 1 s")
        acceptSource.suspend()
        acceptPaused = true
        queue.asyncAfter(deadline: .now() + Self.acceptBackoff) { [weak self] in
            guard let self, acceptPaused else { return }
            acceptPaused = false
            self.acceptSource?.resume()
            // Connections that waited in the backlog raise no new event: take them now.
            acceptAll()
        }
    }

    // MARK: - Room for everyone

    /// Makes `connection` a watcher; past ``maxWatchers`` the stalest other watcher is closed.
    func admitWatcher(_ connection: Connection) {
        dispatchPrecondition(condition: .onQueue(queue))
        connection.isWatcher = true
        watchers[ObjectIdentifier(connection)] = connection
        if watchers.count > Self.maxWatchers, let stalest = Self.stalest(watchers.values.filter { $0 !== connection }) {
            evict(stalest, reason: "\(Self.maxWatchers) watchers were open")
        }
    }

    /// The connection to give up first: the one with the most sent and not read (a client
    /// that reads what it asked for, such as `kindling watch` in a terminal, has nothing
    /// waiting), then the one quiet for longest. Connections that pile up slots without
    /// reading go before any that reads.
    static func stalest(_ candidates: [Connection]) -> Connection? {
        candidates.map { ($0, $0.unreadBytes) }.min { a, b in
            a.1 != b.1 ? a.1 > b.1 : a.0.lastActivity.uptimeNanoseconds < b.0.lastActivity.uptimeNanoseconds
        }?.0
    }

    private func evict(_ connection: Connection, reason: String) {
        connection.dismiss(ControlError(.conflict, "closed to make room for a newer connection (\(reason))"))
        evictedSinceLog += 1
        let now = DispatchTime.now()
        if let last = lastEvictionLog, now.uptimeNanoseconds - last.uptimeNanoseconds < 10_000_000_000 { return }
        log.warning("closed \(evictedSinceLog) stale control connection(s) to make room: \(reason)")
        lastEvictionLog = now
        evictedSinceLog = 0
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
        // A connection whose reply is on its way (the keyring's) is not idle, however long
        // the keyring takes.
        for connection in connections.values where !connection.isWatcher {
            if !connection.isAwaitingReply,
                now.uptimeNanoseconds - connection.lastActivity.uptimeNanoseconds > UInt64(idleTimeout * 1e9)
            {
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

    func handle(_ line: [UInt8], from connection: Connection) -> Data {
        handler(line, connection)
    }

    func closed(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = nil
        watchers[ObjectIdentifier(connection)] = nil
        guard !connections.values.contains(where: { !$0.isWatcher }) else { return }
        // The sweep exists for open requesters only: once the last one leaves, its timer goes
        // too, so an idle daemon is not woken by a sweep that would find nothing to do.
        sweepTimer?.cancel()
        sweepTimer = nil
        // Once a burst of clients has left, malloc holds the memory their buffers took,
        // spread over its heaps, at the burst's peak: give it back while nobody is waiting.
        if acceptedSinceRelease >= Self.releaseAfterConnections {
            acceptedSinceRelease = 0
            memoryReleases += 1
            releaseFreeMemory()
        }
    }

    /// Stops accepting, closes every connection and removes the socket file. Once only: a
    /// second call does nothing.
    func shutdown() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isShutDown else { return }
        isShutDown = true
        if let acceptSource {
            // Its cancel handler closes the listening socket.
            acceptSource.cancel()
            // A suspended source runs its cancel handler only once resumed.
            if acceptPaused {
                acceptPaused = false
                acceptSource.resume()
            }
        } else {
            close(listenFD)
        }
        acceptSource = nil
        sweepTimer?.cancel()
        sweepTimer = nil
        for connection in connections.values { connection.close() }
        connections.removeAll()
        watchers.removeAll()
        unlink(path)
        // The lock goes last: until the socket file is gone, no successor may bind. (The old
        // socket, unlinked, may stay open a moment longer: nothing can reach it.)
        close(lockFD)
    }

    /// Waits until the listening socket is closed after ``shutdown()``. Not on the queue,
    /// where its cancel handler runs.
    func waitUntilListenerClosed() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        listenerClosed.wait()
    }

    var connectionCount: Int { connections.count }
    /// Whether the idle sweep's timer is armed (only while requesters are connected).
    var isSweeping: Bool { sweepTimer != nil }
}
