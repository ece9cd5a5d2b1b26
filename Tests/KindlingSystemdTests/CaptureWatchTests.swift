import Dispatch
import Foundation
import KindlingSystemd
import Logging
import Testing

/// ``CaptureWatch`` against a real PipeWire (with wireplumber and its PulseAudio server) in a
/// private runtime directory: a virtual microphone, recorded by `pw-record`.
@Suite(.serialized) struct CaptureWatchTests {
    @Test func aRecordingOfTheMicrophoneIsSeenAndItsEndToo() throws {
        let media = try PrivatePipeWire()
        defer { media.stop() }
        let queue = DispatchQueue(label: "capture-test")
        let watch = CaptureWatch(runtimeDirectory: media.runtimeDirectory, queue: queue, log: Logger(label: "test"))
        let changed = DispatchSemaphore(value: 0)
        queue.sync {
            watch.onChange = { changed.signal() }
            watch.start()
        }
        #expect(queue.sync { watch.connection } == .connected)
        #expect(queue.sync { watch.holders }.isEmpty)

        let recorder = try media.run("pw-record", "--target", "kindling-mic", media.runtimeDirectory + "/take.wav")
        #expect(
            changed.wait(timeout: .now() + 10) == .success,
            "the recording was not seen: \((try? String(contentsOfFile: media.runtimeDirectory + "/pw-record.log", encoding: .utf8)) ?? "")"
        )
        let holders = queue.sync { watch.holders }
        #expect(holders.map(\.kind) == [.microphone], "\(holders)")
        #expect(holders.first?.application == "pw-record", "\(holders)")

        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(changed.wait(timeout: .now() + 10) == .success, "the recording's end was not seen")
        #expect(queue.sync { watch.holders }.isEmpty)
        queue.sync { watch.stop() }
    }

    @Test func aPipeWireThatStartsLaterIsJoined() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let queue = DispatchQueue(label: "capture-later")
        let watch = CaptureWatch(runtimeDirectory: directory, queue: queue, log: Logger(label: "test"))
        queue.sync { watch.start() }
        #expect(queue.sync { watch.connection } == .notRunning)
        let media = try PrivatePipeWire(runtimeDirectory: directory)
        defer { media.stop() }
        let joined = (0..<200).contains { _ in
            usleep(50_000)
            return queue.sync { watch.connection } == .connected
        }
        #expect(joined, "the watch did not join PipeWire once its socket appeared")
        queue.sync { watch.stop() }
    }
}

/// pipewire, wireplumber and pipewire-pulse in a runtime directory of their own, on a session
/// bus of their own (wireplumber will not run without one), with one virtual microphone
/// ("kindling-mic").
final class PrivatePipeWire {
    let runtimeDirectory: String
    private var processes: [Process] = []

    init(runtimeDirectory: String? = nil) throws {
        let directory =
            runtimeDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kindling-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        self.runtimeDirectory = directory
        processes.append(try run("dbus-daemon", "--session", "--nofork", "--address=unix:path=\(directory)/bus"))
        try waitFor(directory + "/bus")
        for program in ["pipewire", "wireplumber", "pipewire-pulse"] {
            processes.append(try run(program))
            if program == "pipewire" { try waitFor(directory + "/pipewire-0") }
        }
        try waitFor(directory + "/pulse/native")
        // wireplumber may take a moment before pactl's module can be placed in the graph.
        var loaded = false
        for _ in 0..<50 where !loaded {
            let pactl = try run(
                "pactl", "load-module", "module-null-sink", "media.class=Audio/Source/Virtual", "sink_name=kindling-mic")
            pactl.waitUntilExit()
            loaded = pactl.terminationStatus == 0
            if !loaded { usleep(100_000) }
        }
        guard loaded else { throw PipeWireSetupError("pactl could not add a virtual microphone") }
    }

    @discardableResult
    func run(_ program: String, _ arguments: String...) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(program)")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtimeDirectory
        environment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(runtimeDirectory)/bus"
        // No gvfs daemons started on that bus for GIO's sake: they would outlive the test.
        environment["GIO_USE_VFS"] = "local"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let log = runtimeDirectory + "/\(program).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/\(program)") else {
            throw PipeWireSetupError("/usr/bin/\(program) is missing: `make test-deps` installs it")
        }
        try process.run()
        return process
    }

    private func waitFor(_ path: String) throws {
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: path) { return }
            usleep(25_000)
        }
        throw PipeWireSetupError("\(path) did not appear")
    }

    func stop() {
        // SIGKILL: wireplumber was seen to linger after SIGTERM, and nothing here needs a clean end.
        for process in processes.reversed() where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: runtimeDirectory)
    }
}

struct PipeWireSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
