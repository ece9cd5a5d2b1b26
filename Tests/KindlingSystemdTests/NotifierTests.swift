import Dispatch
import Foundation
import Testing

@testable import KindlingSystemd

#if canImport(Glibc)
    import Glibc
#endif

/// The Notifier against a real datagram socket standing in for systemd's notify socket
/// (the end-to-end tests use the real manager).
@Suite(.serialized) struct NotifierTests {
    /// Binds a datagram socket, points NOTIFY_SOCKET at it, and reads what arrives.
    final class NotifySocket {
        let path: String
        let fd: Int32

        init() throws {
            path = "/tmp/kindling-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: Array(path.utf8))
                raw[path.utf8.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
            // Long enough for several 100 ms watchdog intervals, short enough to keep tests quick.
            var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setenv("NOTIFY_SOCKET", path, 1)
        }

        deinit {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
            close(fd)
            unlink(path)
        }

        /// The next datagram; waits up to the socket's timeout unless `wait` is false.
        func receive(wait: Bool = true) -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let flags = wait ? Int32(0) : Int32(MSG_DONTWAIT)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, flags) }
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
        }
    }

    @Test func sendsEachStateChangeThroughSdNotify() throws {
        let socket = try NotifySocket()
        let notifier = Notifier()
        // Daemons that other suites start in this process see NOTIFY_SOCKET too while this
        // test runs, so look for our messages among whatever arrives.
        func next(_ prefix: String) -> String? {
            while let message = socket.receive() {
                if message.hasPrefix(prefix) { return message }
            }
            return nil
        }
        notifier.ready(status: "next: evening reflection at 21:00 (notifier test)")
        #expect(next("READY=1\nSTATUS=next: evening reflection at 21:00 (notifier test)") != nil)
        notifier.status("line one\nline two")
        #expect(next("STATUS=line one line two") != nil)
        notifier.stopping()
        #expect(next("STOPPING=1") != nil)
    }

    @Test func reloadingIsFollowedByReady() {
        let sent = Sent()
        let notifier = Notifier(watchdogMicroseconds: nil) { sent.append($0) }
        notifier.reloading()
        notifier.ready(status: "ok")
        #expect(sent.all == ["RELOADING=1\nSTATUS=Reloading the configuration", "READY=1\nSTATUS=ok"])
    }

    @Test func pingsTheWatchdogFromTheGivenQueueAtHalfTheInterval() throws {
        let sent = Sent()
        let notifier = Notifier(watchdogMicroseconds: 100_000) { sent.append($0) }
        let queue = DispatchQueue(label: "test-daemon")
        queue.sync { notifier.startWatchdog(on: queue) }
        #expect(sent.waitForCount(3, timeout: 2), "expected pings every 50 ms, got \(sent.all)")
        #expect(Set(sent.all) == ["WATCHDOG=1"])

        // A stuck queue stops the pings: that is what lets systemd notice.
        let entered = DispatchSemaphore(value: 0)
        let stuck = DispatchSemaphore(value: 0)
        queue.async {
            entered.signal()
            stuck.wait()
        }
        entered.wait()
        let before = sent.all.count
        usleep(400_000)
        #expect(sent.all.count == before, "pings continued while the queue was stuck")
        stuck.signal()
        #expect(sent.waitForCount(before + 1, timeout: 2), "pings did not resume")
    }

    @Test func withoutSystemdNothingIsSentAndNothingFails() {
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        let notifier = Notifier()
        #expect(notifier.watchdogMicroseconds == nil)
        notifier.ready(status: "fine")
        notifier.stopping()
    }
}

/// Collects what a Notifier sends, from any thread.
final class Sent: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }

    func waitForCount(_ count: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if all.count >= count { return true }
            usleep(5_000)
        }
        return all.count >= count
    }
}
