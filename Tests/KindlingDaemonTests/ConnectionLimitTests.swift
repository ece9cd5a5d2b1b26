import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// Limits that keep one client from costing everyone else: a bounded number of connections,
/// and a watcher that stops reading is dropped rather than buffered without end.
@Suite(.serialized) struct ConnectionLimitTests {
    typealias Harness = DaemonTests.Harness

    /// Issue 18, case 7: one connection too many is served; the stalest one gives way.
    @Test func oneConnectionTooManyIsServedAndTheStalestGivesWay() throws {
        let harness = try Harness()
        let held = try (0..<ControlServer.maxConnections).map { _ in try rawConnection(harness.socket) }
        defer { held.forEach { close($0) } }
        let accepted = (0..<500).contains { _ in
            usleep(10_000)
            return harness.daemon.queue.sync { harness.daemon.server.connectionCount } == ControlServer.maxConnections
        }
        #expect(accepted)
        #expect(try harness.call(Request.Status()).get().journal == "ok")
        // The first of the idle ones was told why it was closed.
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { recv(held[0], $0.baseAddress, $0.count, 0) }
        let reply = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        #expect(reply.contains(#""code":"conflict""#) && reply.contains("make room"), "\(reply)")
        #expect(harness.daemon.queue.sync { harness.daemon.server.connectionCount } <= ControlServer.maxConnections)
    }

    @Test func aWatcherThatStopsReadingIsDropped() throws {
        let harness = try Harness()
        let watcher = try rawConnection(harness.socket)
        defer { close(watcher) }
        var small: Int32 = 4096
        setsockopt(watcher, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        _ = Array(#"{"v":1,"id":1,"cmd":"watch"}"#.utf8 + [0x0A]).withUnsafeBytes { send(watcher, $0.baseAddress, $0.count, 0) }
        #expect(
            (0..<500).contains { _ in
                usleep(10_000)
                return harness.daemon.queue.sync { !harness.daemon.watchers.isEmpty }
            })
        // Events pile up for a reader that never reads, past the backlog limit.
        let big = Event(event: .fired, id: 1, slot: "nudge", text: String(repeating: "kindness ", count: 7000))
        harness.daemon.queue.sync {
            for _ in 0..<(Daemon.watcherBacklogLimit / 60_000 + 40) { harness.daemon.broadcast(big) }
        }
        #expect(harness.daemon.queue.sync { harness.daemon.watchers.isEmpty }, "the stalled watcher was kept")
        // Everyone else is still served.
        #expect(try harness.call(Request.Status()).get().journal == "ok")
    }

    /// A burst of clients costs memory only while it lasts: once the last of them has left,
    /// the free memory goes back to the kernel, once. Single requests never trigger it, and
    /// an open watcher does not stop it.
    @Test func freeMemoryGoesBackOnceAfterABurstOfClients() throws {
        let harness = try Harness()
        let server = harness.daemon.server!
        var releases = 0
        harness.daemon.queue.sync { server.releaseFreeMemory = { releases += 1 } }
        let watcher = try rawConnection(harness.socket)
        defer { close(watcher) }
        _ = Array(#"{"v":1,"id":1,"cmd":"watch"}"#.utf8 + [0x0A]).withUnsafeBytes { send(watcher, $0.baseAddress, $0.count, 0) }
        #expect(try waitFor { harness.daemon.queue.sync { !harness.daemon.watchers.isEmpty } })

        for _ in 0..<3 { _ = try harness.call(Request.Status()).get() }
        #expect(harness.daemon.queue.sync { releases } == 0, "a few single requests released memory")

        let burst = try (0..<ControlServer.releaseAfterConnections).map { _ in try rawConnection(harness.socket) }
        #expect(try waitFor { harness.daemon.queue.sync { server.connectionCount } >= burst.count })
        #expect(harness.daemon.queue.sync { releases } == 0, "released while the burst was still connected")
        burst.forEach { close($0) }
        #expect(try waitFor { harness.daemon.queue.sync { releases } == 1 })
        #expect(harness.daemon.queue.sync { server.memoryReleases } == 1)
    }

    /// A peer that walks away from a long answer leaves its unsent replies in the daemon; they
    /// are freed when its connection closes, before the memory goes back, not later when the
    /// connection's sources have wound down (CI once kept 36 MB after the torture test's 300
    /// walk-aways).
    @Test func whatAClosedConnectionHeldIsFreedBeforeMemoryGoesBack() throws {
        let harness = try Harness()
        let server = harness.daemon.server!
        let burst = try (0..<ControlServer.releaseAfterConnections).map { _ in try rawConnection(harness.socket) }
        // The first asks for thousands of answers and reads none: they wait in its connection.
        let asks = Array(String(repeating: #"{"v":1,"id":1,"cmd":"status"}"# + "\n", count: 3000).utf8)
        #expect(asks.withUnsafeBytes { send(burst[0], $0.baseAddress, $0.count, 0) } == asks.count)
        #expect(
            try waitFor {
                harness.daemon.queue.sync { server.connections.values.contains { $0.pendingOutputBytes > 0 } }
            })
        final class Seen: @unchecked Sendable {
            var connections: [() -> Connection?] = []
            var unsentAtRelease: Int?
        }
        let seen = Seen()
        harness.daemon.queue.sync {
            seen.connections = server.connections.values.map { connection in { [weak connection] in connection } }
            server.releaseFreeMemory = {
                seen.unsentAtRelease = seen.connections.compactMap { $0()?.pendingOutputBytes }.reduce(0, +)
            }
        }
        burst.dropFirst().forEach { close($0) }
        #expect(try waitFor { harness.daemon.queue.sync { server.connectionCount } == 1 })
        close(burst[0])
        #expect(try waitFor { harness.daemon.queue.sync { seen.unsentAtRelease } != nil })
        #expect(harness.daemon.queue.sync { seen.unsentAtRelease } == 0)
    }

    private func waitFor(_ condition: () throws -> Bool) throws -> Bool {
        for _ in 0..<500 {
            if try condition() { return true }
            usleep(10_000)
        }
        return false
    }
}
