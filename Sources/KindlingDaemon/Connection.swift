import Dispatch
import Foundation
import KindlingControl

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
    /// Set by `watch`: an event stream is quiet by nature and never timed out.
    var isWatcher = false
    private var closeAfterFlush = false
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
