// A real PipeWire for tests, shared by the tests of CaptureWatch and of the daemon.
import Foundation
import ProcessFixture

#if canImport(Glibc)
    import Glibc
#endif

/// pipewire, wireplumber and pipewire-pulse in a runtime directory of their own, on a session
/// bus of their own (wireplumber will not run without one; not at `bus`, where a daemon under
/// test would take it for the desktop's), with one virtual microphone
/// ("kindling-mic").
public final class PrivatePipeWire {
    public let runtimeDirectory: String
    private var processes: [TestProcess] = []

    public init(runtimeDirectory: String? = nil) throws {
        let directory =
            runtimeDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kindling-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        self.runtimeDirectory = directory
        processes.append(try run("dbus-daemon", "--session", "--nofork", "--address=unix:path=\(directory)/pipewire-test-bus"))
        try waitFor(directory + "/pipewire-test-bus")
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
    public func run(_ program: String, _ arguments: String...) throws -> TestProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtimeDirectory
        environment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(runtimeDirectory)/pipewire-test-bus"
        // No gvfs daemons started on that bus for GIO's sake: they would outlive the test.
        environment["GIO_USE_VFS"] = "local"
        let process = TestProcess(
            "/usr/bin/\(program)", arguments, environment: environment, standardOutput: .null,
            standardError: .file(runtimeDirectory + "/\(program).log"))
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

    /// Ends every process; `keepingDirectory` leaves the runtime directory (and the dead
    /// PipeWire's socket in it) for another PipeWire to start in, as after a crash.
    public func stop(keepingDirectory: Bool = false) {
        // SIGKILL: wireplumber was seen to linger after SIGTERM, and nothing here needs a clean end.
        for process in processes.reversed() where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if !keepingDirectory { try? FileManager.default.removeItem(atPath: runtimeDirectory) }
    }
}

public struct PipeWireSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
