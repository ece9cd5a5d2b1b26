import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// A real daemon started in-process on a temporary socket and journal, driven through
/// the same ControlClient the CLI uses.
@Suite(.serialized) struct DaemonTests {
    final class Harness {
        let root: String
        let daemon: Daemon
        let clock: ManualClock
        var socket: String { root + "/run/kindling/control.sock" }
        var configFile: String { root + "/config/kindling/config.toml" }

        /// Whether the folder goes with this harness (not when a later one takes it over).
        var removesRoot = true

        /// `root`: the folder of a harness stopped before (``stop()``), to start a daemon again
        /// on its journal; a new folder when nil.
        init(config: String? = nil, idleTimeout: TimeInterval = 30, root: String? = nil) throws {
            self.root =
                root ?? FileManager.default.temporaryDirectory.appendingPathComponent("kindling-daemon-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(
                atPath: self.root + "/run", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(atPath: self.root + "/config/kindling", withIntermediateDirectories: true)
            let configFile = self.root + "/config/kindling/config.toml"
            if let config { try config.write(toFile: configFile, atomically: true, encoding: .utf8) }
            let environment = [
                "HOME": self.root, "XDG_RUNTIME_DIR": self.root + "/run", "XDG_CONFIG_HOME": self.root + "/config",
                "XDG_DATA_HOME": self.root + "/data",
            ]
            var options = Daemon.Options(environment: environment)
            options.idleTimeout = idleTimeout
            // 2026-11-21 12:00 UTC, a Saturday.
            clock = ManualClock(Date(timeIntervalSince1970: 1_763_726_400 + 365 * 86_400))
            daemon = try Daemon.start(
                options, queue: DispatchQueue(label: "test-kindlingd"), clock: clock)
        }

        deinit {
            daemon.shutdownForTesting()
            if removesRoot { try? FileManager.default.removeItem(atPath: root) }
        }

        /// Stops the daemon and leaves its folder for a new harness (``init(config:idleTimeout:root:)``).
        func stop() -> String {
            daemon.shutdownForTesting()
            removesRoot = false
            return root
        }

        func call<V: ControlVerb>(_ request: V) throws -> Result<V.Result, ControlError> {
            try ControlClient(socketPath: socket).send(request)
        }

        /// The daemon's refusal of `request`, or nil when it was done.
        func failure(_ request: some ControlVerb) throws -> ControlError? {
            guard case .failure(let error) = try call(request) else { return nil }
            return error
        }
    }

    @Test func statusReportsTheNextPromptsAndThePaths() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let status = try harness.call(Request.Status()).get()
        #expect(status.pid == getpid())
        #expect(status.timezone == "UTC")
        #expect(status.journal == "ok")
        #expect(status.socketPath == harness.socket)
        #expect(status.configPath == harness.configFile)
        #expect(status.lastError == nil)
        #expect(status.next.count == 5)
        // Saturday 12:00 UTC: the nudge may still come today; the reflection certainly does.
        #expect(status.next.contains { $0.slot == "reflection" && $0.at.hasPrefix("2026-11-21T21:00:00.000+00:00") })
        #expect(status.statusLine.hasPrefix("next: "))
    }

    @Test func theStatusLineNamesTheNextPromptInPlainWords() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n[nudge]\nenabled = false\n")
        let line = harness.daemon.queue.sync { harness.daemon.statusLine() }
        #expect(line == "next: evening reflection at 21:00")
    }

    @Test func reloadSwapsInAValidConfigAndKeepsTheOldOneOnError() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        try "timezone = \"Pacific/Chatham\"\n".write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        let reloaded = try harness.call(Request.Reload()).get()
        #expect(reloaded.configPath == harness.configFile)
        #expect(try harness.call(Request.Status()).get().timezone == "Pacific/Chatham")

        try "timezone = \"Mars/Olympus\"\n".write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        guard case .failure(let error) = try harness.call(Request.Reload()) else {
            Issue.record("a reload with an unknown zone succeeded")
            return
        }
        #expect(error.message.contains("config.toml:1"), "\(error.message)")
        #expect(error.message.contains("timezone"), "\(error.message)")
        let status = try harness.call(Request.Status()).get()
        #expect(status.timezone == "Pacific/Chatham")
        #expect(status.lastError?.contains("Mars/Olympus") == true, "\(status.lastError ?? "nil")")
    }

    @Test func malformedAndUnknownRequestsGetTheirErrorCodes() throws {
        let harness = try Harness()
        let fd = try rawConnection(harness.socket)
        defer { close(fd) }
        let replies = try exchange(
            fd,
            [
                "this is not json",
                #"{"v":9,"id":1,"cmd":"status"}"#,
                #"{"v":1,"id":2,"cmd":"levitate"}"#,
                #"{"v":1,"id":3,"cmd":"status"}"#,
            ])
        #expect(replies.count == 4)
        #expect(replies[0].contains(#""code":"bad_request""#))
        #expect(replies[1].contains(#""code":"unsupported_version""#) && replies[1].contains(#""id":1"#))
        #expect(replies[2].contains(#""code":"unknown_command""#) && replies[2].contains(#""id":2"#))
        #expect(replies[3].contains(#""ok":true"#) && replies[3].contains(#""id":3"#))
    }

    @Test func anOverlongLineIsAnsweredTooLargeAndClosed() throws {
        let harness = try Harness()
        let fd = try rawConnection(harness.socket)
        defer { close(fd) }
        let replies = try exchange(fd, [String(repeating: "x", count: ControlProtocol.maxLineBytes + 10)])
        #expect(replies.count == 1)
        #expect(replies.first?.contains(#""code":"too_large""#) == true)
        // The daemon is still there for everyone else.
        #expect(try harness.call(Request.Status()).get().journal == "ok")
    }

    @Test func aClientThatStallsMidLineIsClosedAndWatchersAreNot() throws {
        let harness = try Harness(idleTimeout: 0.3)
        let stalled = try rawConnection(harness.socket)
        defer { close(stalled) }
        _ = #"{"v":1,"id":1,"cmd":"sta"#.withCString { send(stalled, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let watcher = ControlClient(socketPath: harness.socket)
        _ = try watcher.send(Request.Watch()).get()
        // The stalled client is closed: its read ends (EOF) well within the 5 s receive timeout.
        var byte: UInt8 = 0
        let start = Date()
        #expect(recv(stalled, &byte, 1, 0) == 0)
        #expect(Date().timeIntervalSince(start) < 4)
        // The watcher, silent just as long, still gets events.
        _ = try harness.call(Request.Pause(duration: nil, until: nil)).get()
        let event = try ControlProtocol.makeDecoder().decode(Event.self, from: Data(watcher.readLine()))
        #expect(event.event == .paused)
    }

    @Test func theIdleSweepStopsWhenTheLastRequesterLeaves() throws {
        let harness = try Harness()
        let watcher = ControlClient(socketPath: harness.socket)
        _ = try watcher.send(Request.Watch()).get()
        // A requester that stays connected after its answer, as a shell's prompt hook might.
        let requester = try rawConnection(harness.socket)
        let line = Array(#"{"v":1,"id":1,"cmd":"status"}"#.utf8) + [UInt8(ascii: "\n")]
        #expect(line.withUnsafeBytes { send(requester, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == line.count)
        var byte: UInt8 = 0
        while recv(requester, &byte, 1, 0) == 1, byte != UInt8(ascii: "\n") {}
        #expect(harness.daemon.queue.sync { harness.daemon.server.isSweeping })
        close(requester)
        // Only the watcher is left: nothing for the sweep to do, so no timer may wake the daemon.
        let deadline = Date().addingTimeInterval(5)
        while harness.daemon.queue.sync(execute: { harness.daemon.server.connectionCount }) > 1, Date() < deadline {
            usleep(10_000)
        }
        #expect(harness.daemon.queue.sync { harness.daemon.server.connectionCount } == 1)
        #expect(!harness.daemon.queue.sync { harness.daemon.server.isSweeping })
    }

    @Test func aSecondDaemonOnTheSameSocketIsRefused() throws {
        let harness = try Harness()
        let environment = [
            "HOME": harness.root, "XDG_RUNTIME_DIR": harness.root + "/run", "XDG_DATA_HOME": harness.root + "/data2",
        ]
        #expect(throws: StartupError.self) {
            try Daemon.start(Daemon.Options(environment: environment), queue: DispatchQueue(label: "second"))
        }
    }

    // MARK: - Raw socket helpers

    /// Sends every line, half-closes, and reads replies until the daemon closes.
    private func exchange(_ fd: Int32, _ lines: [String]) throws -> [String] {
        let payload = Array(lines.map { $0 + "\n" }.joined().utf8)
        var offset = 0
        while offset < payload.count {
            let written = payload[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }  // the daemon may close early (too_large)
            offset += written
        }
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
