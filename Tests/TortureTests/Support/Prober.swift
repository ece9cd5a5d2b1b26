import Foundation
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// A well-formed client that asks `status` every `interval` on a thread of its own while an
/// attack runs, and remembers every answer it did not get.
final class Prober: @unchecked Sendable {
    private let socket: String
    private let interval: useconds_t
    private let lock = NSLock()
    private var running = true
    private var thread: Thread?
    private(set) var answered = 0
    /// "too many open connections": the daemon's bound at work, answered and not a failure.
    private(set) var turnedAway = 0
    private(set) var failures: [String] = []

    init(socket: String, interval: useconds_t = 50_000) {
        self.socket = socket
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                probeOnce()
                usleep(interval)
            }
        }
        thread.start()
        self.thread = thread
    }

    /// Stops probing and returns once the last probe is done.
    func stop() {
        lock.withLock { running = false }
        while thread?.isFinished == false { usleep(10_000) }
    }

    private func probeOnce() {
        let client = ControlClient(socketPath: socket)
        var outcome: String?
        do {
            try client.connect()
            // A hung daemon must show up as a failure, not hang the test.
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(client.fileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            switch try client.send(Request.Status()) {
            case .success: outcome = nil
            case .failure(let error) where error.code == .conflict: outcome = "conflict"
            case .failure(let error): outcome = "\(error.code): \(error.message)"
            }
        } catch {
            outcome = error.description
        }
        lock.withLock {
            switch outcome {
            case nil: answered += 1
            case "conflict": turnedAway += 1
            case let failure?: failures.append(failure)
            }
        }
    }

    var summary: String {
        lock.withLock { "\(answered) answered, \(turnedAway) turned away (connection bound), \(failures.count) failed" }
    }
}
