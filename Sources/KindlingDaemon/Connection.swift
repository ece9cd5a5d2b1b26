import Dispatch
import Foundation
import KindlingControl
import KindlingSystemd

#if canImport(Glibc)
    import Glibc
#endif

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
    /// Set by `watch` (ControlServer.admitWatcher): an event stream is quiet by nature and
    /// never timed out; watchers have a cap of their own.
    var isWatcher = false
    /// Entries of an `import` under way on this connection, not yet saved (ImportHandler).
    var heldImport = HeldImport()
    private var closeAfterFlush = false
    /// Requests framed but not yet answered (see ``answerHeld()``), from `heldIndex` on.
    private var held: [LineFramer.Output] = []
    private var heldIndex = 0
    private var readingPaused = false
    private var answering = false
    /// A verb answers later (``deferredReply``): the requests after it wait, so that replies
    /// keep the order of their requests.
    private var awaitingReply = false
    /// Whether a deferred reply is still to come (the idle sweep leaves such a connection be).
    var isAwaitingReply: Bool { awaitingReply }
    /// The peer shut down its sending side: close once everything is answered.
    private var peerFinished = false
    private var isClosed = false
    /// Sources not yet through their cancel handler. The fd is closed only when this
    /// reaches zero: closing earlier lets the number be reused while libdispatch still
    /// watches it, and the new connection would lose its events.
    private var liveSources = 0

    init(fd: Int32, queue: DispatchQueue, server: ControlServer) {
        self.fd = fd
        self.queue = queue
        self.server = server
    }

    func start() {
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
        while !isClosed && !readingPaused && readSource != nil {
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
                peerFinished = true
                answerHeld()
                return
            }
            held.append(contentsOf: framer.append(contiguous: UnsafeBufferPointer(rebasing: chunk[0..<count])))
            // While a reply is awaited, what the peer pipelines waits in the socket, not here.
            if awaitingReply {
                pauseReading()
                return
            }
            answerHeld()
        }
    }

    /// Answers the requests read so far, in order, while the replies not yet taken by the
    /// peer stay under ``outputLimit``. Past it, reading stops (the requests already framed
    /// wait in `held`) until the peer has taken everything: a client that pipelines without
    /// reading costs the daemon one bound's worth of memory, not one reply per request.
    private func answerHeld() {
        guard !answering, !awaitingReply else { return }
        answering = true
        defer { answering = false }
        while !isClosed, !awaitingReply, heldIndex < held.count, output.count <= Self.outputLimit {
            let item = held[heldIndex]
            heldIndex += 1
            switch item {
            case .line(let line):
                let reply = server.handle(line, from: self)
                if reply.isEmpty {
                    awaitingReply = true
                } else {
                    send(reply)
                }
            case .tooLarge:
                // Marked for closing before the answer goes out: once it is flushed,
                // nothing else would ever close this connection.
                stopReading()
                held.removeAll()
                heldIndex = 0
                closeAfterFlush = true
                let error = ControlError(.tooLarge, "a request line is longer than \(ControlProtocol.maxLineBytes) bytes")
                send(
                    (try? ControlProtocol.makeEncoder().encode(ResponseEnvelope<EmptyResult>(id: nil, error: error)))
                        ?? Data())
                return
            }
        }
        if heldIndex == held.count {
            held.removeAll(keepingCapacity: true)
            heldIndex = 0
        }
        guard !isClosed else { return }
        if awaitingReply {
            if !held.isEmpty { pauseReading() }
            return
        }
        if !held.isEmpty || output.count > Self.outputLimit {
            pauseReading()
        } else if peerFinished {
            closeAfterFlush = true
            if output.isEmpty { close() }
        }
    }

    /// What a verb's handler returns instead of a reply line when it answers later, through
    /// ``sendDeferredReply(_:)`` (a call to the keyring, say): never a real reply, which always
    /// holds at least `{}`.
    static let deferredReply = Data()

    /// Sends the reply a handler deferred, then answers the requests that waited behind it.
    /// Always called later on the queue, never from within the handler itself.
    func sendDeferredReply(_ line: Data) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard awaitingReply else { return }
        awaitingReply = false
        send(line)
        // Answers what waited behind it, and reads again if reading was paused meanwhile.
        resumeAfterDrain()
    }

    /// Unsent reply bytes above which a connection's further requests wait (see ``answerHeld()``).
    static let outputLimit = 256 * 1024

    private func pauseReading() {
        guard !readingPaused, let readSource else { return }
        readSource.suspend()
        readingPaused = true
    }

    /// Everything was taken: answer what waits, then read again if nothing is left over.
    private func resumeAfterDrain() {
        guard !answering else { return }
        answerHeld()
        guard !isClosed, readingPaused, held.isEmpty, output.count <= Self.outputLimit else { return }
        readingPaused = false
        readSource?.resume()
        // Requests that arrived while paused may raise no new event: read them now.
        queue.async { [weak self] in self?.readAvailable() }
    }

    var isOpen: Bool { !isClosed }

    /// What the peer has been sent and not taken: replies still queued here, and bytes in
    /// the socket that it has not read. A client that reads what it asked for has none.
    var unreadBytes: Int { output.count + SocketCalls.unreadBytes(fd) }

    /// Closes a connection to make room for another, telling the peer why (best effort).
    func dismiss(_ error: ControlError) {
        guard !isClosed else { return }
        stopReading()
        whenDrained = nil
        if let line = try? ControlProtocol.makeEncoder().encode(ResponseEnvelope<EmptyResult>(id: nil, error: error)) {
            send(line)
        }
        close()
    }

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
            return
        }
        if let drained = whenDrained {
            whenDrained = nil
            drained()
        }
        if readingPaused || (peerFinished && heldIndex < held.count) { resumeAfterDrain() }
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
        // A suspended source runs its cancel handler only once resumed.
        if readingPaused {
            readingPaused = false
            readSource?.resume()
        }
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
        // The object lives on until its sources' cancel handlers have run, later on the queue;
        // what it buffered goes now, so that the server, told below, can give it back to the
        // kernel (a peer that walked away from a long answer leaves up to `outputLimit` here).
        output = []
        held = []
        heldIndex = 0
        framer = LineFramer()
        heldImport = HeldImport()
        server.closed(self)
    }
}
