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
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setenv("NOTIFY_SOCKET", path, 1)
        }

        deinit {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
            close(fd)
            unlink(path)
        }

        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
        }
    }

    @Test func sendsEachStateChange() throws {
        let socket = try NotifySocket()
        let notifier = Notifier()
        notifier.ready(status: "next: evening reflection at 21:00")
        #expect(socket.receive() == "READY=1\nSTATUS=next: evening reflection at 21:00")
        notifier.reloading()
        #expect(socket.receive()?.hasPrefix("RELOADING=1\n") == true)
        notifier.status("line one\nline two")
        #expect(socket.receive() == "STATUS=line one line two")
        notifier.stopping()
        #expect(socket.receive()?.hasPrefix("STOPPING=1") == true)
    }

    @Test func pingsTheWatchdogFromTheGivenQueueAtHalfTheInterval() throws {
        let socket = try NotifySocket()
        setenv("WATCHDOG_USEC", "200000", 1)
        let notifier = Notifier()
        #expect(notifier.watchdogMicroseconds == 200_000)
        let queue = DispatchQueue(label: "test-daemon")
        queue.sync { notifier.startWatchdog(on: queue) }
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(socket.receive() == "WATCHDOG=1")

        // A stuck queue stops the pings: that is what lets systemd notice.
        let stuck = DispatchSemaphore(value: 0)
        queue.async { stuck.wait() }
        // Drain a ping that may already be in flight, then expect silence.
        var timeout = timeval(tv_sec: 0, tv_usec: 400_000)
        setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = socket.receive()
        #expect(socket.receive() == nil, "pings continued while the queue was stuck")
        stuck.signal()
        #expect(socket.receive() == "WATCHDOG=1")
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
