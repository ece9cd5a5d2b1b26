import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, case 5: a client that pipelines requests and reads nothing. The daemon used to
/// read every request and queue every reply (1.96 GB for 30,000 `next`s); it must stop
/// reading that connection while its replies wait, stay small, serve others, and still owe
/// the client every reply once it reads.
@Suite(.serialized) struct BackpressureTortureTests {
    static let requests = 20_000

    @Test func aClientThatPipelinesWithoutReadingCannotGrowTheDaemon() throws {
        let daemon = try TortureDaemon()
        try daemon.start()
        #expect(try daemon.kindling("status").status == 0)
        let baselineKiB = try daemon.residentKiB()

        // Each reply is ~4 KB (50 occurrences); the requests are ~50 bytes each.
        var payload: [UInt8] = []
        for id in 1...Self.requests { payload += Array(#"{"v":1,"id":\#(id),"cmd":"next","count":50}"#.utf8) + [0x0A] }
        // Sends stop making progress after 3 s once the daemon no longer reads.
        let client = try RawClient(daemon.socket, timeout: 3)
        let sentWhileStalled = client.send(payload)
        usleep(500_000)
        let stalledKiB = try daemon.residentKiB()
        print(
            "measured: \(sentWhileStalled) of \(payload.count) request bytes taken while the client read nothing;"
                + " RSS \(baselineKiB) KiB -> \(stalledKiB) KiB")
        #expect(
            stalledKiB - baselineKiB < 32 * 1024,
            "the daemon grew by \(stalledKiB - baselineKiB) KiB for a client that reads nothing")

        // Another client is answered promptly all the while.
        let started = Date()
        let status = try ControlClient(socketPath: daemon.socket).send(Request.Status())
        let seconds = Date().timeIntervalSince(started)
        print("measured: status beside the stalled client answered in \(String(format: "%.1f", seconds * 1000)) ms")
        #expect((try? status.get()) != nil)
        #expect(seconds < 1, "status took \(seconds) s beside a stalled client")

        // Now read everything (and send the rest): every request gets its reply, in order.
        let reader = LineCounter(fd: client.fd)
        let thread = Thread { reader.run(expecting: Self.requests) }
        thread.start()
        if sentWhileStalled < payload.count {
            var rest = Array(payload[sentWhileStalled...])
            while !rest.isEmpty {
                let sent = client.send(rest)
                if sent == 0 && !reader.isRunning { break }
                rest.removeFirst(sent)
            }
        }
        let finished = waitUntil(timeout: 120, interval: 0.1) { !reader.isRunning }
        #expect(finished, "the replies stopped after \(reader.ids.count)")
        #expect(reader.ids.count == Self.requests, "\(reader.ids.count) replies for \(Self.requests) requests")
        #expect(reader.ids == Array(1...Self.requests), "the replies are not one per request, in order")
        #expect(reader.failures == 0, "\(reader.failures) replies were errors")
        #expect(daemon.process?.isRunning == true, "\(daemon.state)")
    }
}

/// Reads reply lines from a socket on its own thread and keeps their ids.
final class LineCounter: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var _running = true
    private(set) var ids: [Int] = []
    private(set) var failures = 0

    init(fd: Int32) { self.fd = fd }

    var isRunning: Bool { lock.withLock { _running } }

    func run(expecting count: Int) {
        defer { lock.withLock { _running = false } }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var misses = 0
        while ids.count < count {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // Read timeouts while the daemon works through the backlog; give up after 30 s.
                misses += 1
                if misses > 10 { return }
                continue
            }
            if got <= 0 { return }
            misses = 0
            buffer += chunk[0..<got]
            var start = 0
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
                if object?["ok"] as? Bool != true { failures += 1 }
                ids.append((object?["id"] as? Int) ?? -1)
            }
            buffer.removeFirst(start)
        }
    }
}
