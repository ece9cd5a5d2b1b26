import CPipeWire
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Tells when a call is on, as far as the desktop can tell without polling: PipeWire's graph,
/// read through its own client library, on the owner's queue (see ``CaptureGraph`` for the
/// rule). When PipeWire is not running, the runtime directory is watched for its socket, so
/// a PipeWire that starts (or restarts) later is joined at once.
///
/// What it cannot see: screen sharing on X11 (nothing announces it), cameras that applications
/// open directly rather than through PipeWire, and systems with PulseAudio alone.
public final class CaptureWatch: @unchecked Sendable {
    /// Where PipeWire stands, for `status` and `kindling doctor`.
    public enum Connection: Equatable, Sendable {
        case connected
        /// No PipeWire socket in the runtime directory (yet): joined when one appears.
        case notRunning
        /// It is there but could not be joined: the reason.
        case failed(String)
    }

    /// Called on the queue when ``holders`` changes.
    public var onChange: (() -> Void)?
    /// Applications whose capture never holds prompts (a level meter, a noise filter).
    public var ignoring: Set<String> = [] {
        didSet { publish() }
    }
    /// Who is capturing now, ``ignoring`` left out.
    public private(set) var holders: [CaptureGraph.Holder] = []
    /// Who is capturing now among the ``ignoring`` (for tests, and to say why nothing waits).
    public var ignoredHolders: [CaptureGraph.Holder] {
        graph.holders().filter { ignoring.contains($0.application) }
    }
    public private(set) var connection: Connection = .notRunning

    private let runtimeDirectory: String
    private let queue: DispatchQueue
    private let log: Logger
    private var graph = CaptureGraph()
    private var pw: OpaquePointer?
    private var source: DispatchSourceRead?
    private var socketWatch: DirectoryWatch?
    private var started = false
    /// The socket joined (device, inode): a new PipeWire makes a new one.
    private var joined: (device: UInt64, inode: UInt64) = (0, 0)
    /// Attempts left after a refused connection (see ``connect()``).
    private var retriesLeft = CaptureWatch.retries
    static let retries = 50
    static let retryInterval = DispatchTimeInterval.milliseconds(100)

    /// The socket's name in the runtime directory (PipeWire's default remote).
    static let socketName = "pipewire-0"

    public init(runtimeDirectory: String, queue: DispatchQueue, log: Logger) {
        self.runtimeDirectory = runtimeDirectory
        self.queue = queue
        self.log = log
    }

    deinit {
        disconnect()
    }

    public func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !started else { return }
        started = true
        socketWatch = DirectoryWatch(directory: runtimeDirectory, names: [Self.socketName], queue: queue) {
            [weak self] in self?.socketChanged()
        }
        connect()
    }

    public func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        started = false
        socketWatch = nil
        disconnect()
        connection = .notRunning
        publish()
    }

    // MARK: - Joining PipeWire

    private func socketChanged() {
        guard started else { return }
        // A new socket is a PipeWire that (re)started: join it afresh. The socket joined, its
        // mode or times changed, or gone while the connection stands (PipeWire's own
        // disconnection says when it ends), is not: rejoining would empty the graph for a
        // moment and let prompts through in the middle of a call.
        if pw != nil {
            var status = stat()
            let present = stat(runtimeDirectory + "/" + Self.socketName, &status) == 0
            if !present || (UInt64(status.st_dev) == joined.device && UInt64(status.st_ino) == joined.inode) { return }
        }
        disconnect()
        retriesLeft = Self.retries
        connect()
    }

    private func connect() {
        guard pw == nil else { return }
        let path = runtimeDirectory + "/" + Self.socketName
        guard access(path, F_OK) == 0 else {
            connection = .notRunning
            publish()
            return
        }
        var events = kindling_pw_events()
        events.node = { context, id, mediaClass, application in
            CaptureWatch.from(context).changeGraph {
                $0.nodeAppeared(id, mediaClass: String(cString: mediaClass!), application: String(cString: application!))
            }
        }
        events.state = { context, id, state, application in
            CaptureWatch.from(context).changeGraph {
                $0.stateChanged(id, state: state, application: String(cString: application!))
            }
        }
        events.link = { context, id, output, input in
            CaptureWatch.from(context).changeGraph { $0.linkAppeared(id, output: output, input: input) }
        }
        events.removed = { context, id in
            CaptureWatch.from(context).changeGraph { $0.removed(id) }
        }
        events.lost = { context, _ in
            let watch = CaptureWatch.from(context)
            // Not from inside PipeWire's own callback: after it returns.
            watch.queue.async { [weak watch] in watch?.lost() }
        }
        var error: Int32 = 0
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard let pw = kindling_pw_connect(path, events, context, &error) else {
            let reason = String(cString: strerror(-error))
            connection = error == -ENOENT || error == -ECONNREFUSED ? .notRunning : .failed(reason)
            publish()
            // The socket appears when PipeWire binds it, a moment before it listens: a refusal
            // then is tried again shortly, a few times, since no further event will come.
            if error == -ECONNREFUSED, retriesLeft > 0 {
                retriesLeft -= 1
                queue.asyncAfter(deadline: .now() + Self.retryInterval) { [weak self] in
                    guard let self, started, self.pw == nil else { return }
                    connect()
                }
                return
            }
            if error == -ECONNREFUSED {
                // A socket nobody listens on: PipeWire ended and left it. The new one it makes
                // when it starts again is joined then.
                log.notice("nothing answers on PipeWire's socket \(path); calls are seen once PipeWire starts again")
            } else {
                log.notice("PipeWire at \(path) could not be joined: \(reason); calls are not detected")
            }
            return
        }
        retriesLeft = Self.retries
        self.pw = pw
        var status = stat()
        if stat(path, &status) == 0 { joined = (UInt64(status.st_dev), UInt64(status.st_ino)) }
        let fd = kindling_pw_fd(pw)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.dispatchReady() }
        source.resume()
        self.source = source
        connection = .connected
        log.info("watching PipeWire at \(path) for calls (microphone, camera, screen sharing)")
        // The registry's first announcements arrive once the socket is read.
        dispatchReady()
    }

    /// Runs PipeWire's loop until nothing more is ready. Dispatch reports the loop's fd once
    /// for a change from idle to ready, so what became ready while the loop ran (the answer to
    /// a bind made from a callback, say) must be taken now, or it would wait for the next event.
    private func dispatchReady() {
        for _ in 0..<Self.roundsPerWakeup {
            guard let pw, kindling_pw_dispatch(pw) > 0 else { return }
        }
    }

    /// A bound on the rounds of one wakeup, so a stream of events cannot hold the queue.
    static let roundsPerWakeup = 64

    private func lost() {
        guard pw != nil else { return }
        log.notice("PipeWire went away; watching for it to come back")
        disconnect()
        connection = .notRunning
        publish()
        // A PipeWire that restarted may have made its new socket already (even under the old
        // one's inode number), and no further event would come: try it now.
        retriesLeft = Self.retries
        if started { connect() }
    }

    private func disconnect() {
        source?.cancel()
        source = nil
        if let pw {
            kindling_pw_disconnect(pw)
            self.pw = nil
        }
        graph = CaptureGraph()
    }

    // MARK: - The graph

    private static func from(_ context: UnsafeMutableRawPointer?) -> CaptureWatch {
        Unmanaged<CaptureWatch>.fromOpaque(context!).takeUnretainedValue()
    }

    private func changeGraph(_ change: (inout CaptureGraph) -> Void) {
        change(&graph)
        publish()
    }

    private func publish() {
        let now = graph.holders(ignoring: ignoring)
        guard now != holders else { return }
        holders = now
        onChange?()
    }
}
