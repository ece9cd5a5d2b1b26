import Foundation
import PipeWireFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling doctor` and `status --json` say what the daemon sees of calls: PipeWire not
/// running, watched with no call, a call on (and who), and calls not watched at all.
@Suite(.serialized) struct CallsDoctorTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    static func callsLine(_ sandbox: Sandbox) throws -> String {
        let doctor = try sandbox.kindling("doctor")
        return doctor.stdout.split(separator: "\n").first { $0.contains(" calls ") }.map(String.init) ?? "none in: \(doctor)"
    }

    static func calls(_ sandbox: Sandbox) throws -> [String: Any] {
        let status = try sandbox.kindling("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return try #require(object?["calls"] as? [String: Any], "\(status)")
    }

    @Test func doctorFollowsPipeWireAndTheCallsOnIt() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try Self.callsLine(sandbox).contains("PipeWire is not running, so calls are not seen"))
        #expect(try Self.calls(sandbox)["pipewire"] as? String == "not-running")

        let media = try PrivatePipeWire(runtimeDirectory: sandbox.root + "/run")
        // The runtime directory is the daemon's too: only PipeWire's processes end.
        defer { media.stop(keepingDirectory: true) }
        #expect(waitUntil(timeout: 30) { (try? Self.calls(sandbox)["pipewire"] as? String) == "connected" })
        #expect(try Self.callsLine(sandbox).contains("PipeWire is watched; no call now"))

        let recorder = try media.run("pw-record", "--target", "kindling-mic", sandbox.root + "/take.wav")
        defer {
            kill(recorder.processIdentifier, SIGKILL)
            recorder.waitUntilExit()
        }
        #expect(waitUntil(timeout: 30) { (try? Self.calls(sandbox)["holders"] as? [String]) == ["pw-record (microphone)"] })
        let line = try Self.callsLine(sandbox)
        #expect(line.contains("a call is on (pw-record (microphone)): prompts wait until it ends"), "\(line)")
        #expect(try Self.calls(sandbox)["holds"] as? Bool == true)
    }

    @Test func callsNotWatchedAreSaidSo() throws {
        let sandbox = try Sandbox()
        try "[calls]\nhold = false\n".write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try Self.callsLine(sandbox).contains("not watched: prompts do not wait for calls ([calls] hold = false)"))
        let calls = try Self.calls(sandbox)
        #expect(calls["pipewire"] as? String == "off" && calls["holds"] as? Bool == false, "\(calls)")
    }
}
