import Foundation
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The tests' own process starter, which stands in for Foundation's `Process` everywhere a test
/// starts a program: it must report how a child ended and hand it nothing of the test process.
@Suite struct TestProcessTests {
    @Test func anExitStatusAndASignalAreToldApart() throws {
        let exits = TestProcess("/bin/sh", ["-c", "exit 7"])
        try exits.run()
        exits.waitUntilExit()
        #expect(exits.terminationReason == .exit && exits.terminationStatus == 7)

        let sleeps = TestProcess("/bin/sleep", ["30"])
        try sleeps.run()
        #expect(sleeps.isRunning)
        sleeps.terminate()
        sleeps.waitUntilExit()
        #expect(sleeps.terminationReason == .uncaughtSignal && sleeps.terminationStatus == SIGTERM)
    }

    @Test func theChildGetsOnlyItsThreeStreams() throws {
        let folder = try makePrivateDirectory("kindling-testprocess")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A descriptor of the test process without FD_CLOEXEC, as a leaked one would be.
        let held = open(folder + "/held", O_WRONLY | O_CREAT, 0o600)
        #expect(held > 2)
        defer { close(held) }
        try "given on stdin\n".write(toFile: folder + "/in", atomically: true, encoding: .utf8)
        let child = TestProcess(
            "/bin/sh", ["-c", "cat; ls /proc/self/fd; echo oops >&2"], environment: ["PATH": "/usr/bin:/bin"],
            standardInput: .file(folder + "/in"), standardOutput: .file(folder + "/out"), standardError: .standardOutput)
        try child.run()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        let lines = try String(contentsOfFile: folder + "/out", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "given on stdin")
        #expect(lines.last == "oops")
        // ls itself holds one more: the directory it reads.
        let descriptors = lines.dropFirst().dropLast().compactMap { Int($0) }
        #expect(!descriptors.contains(Int(held)), "\(descriptors)")
        #expect(descriptors.filter { $0 > 2 }.count <= 1, "\(descriptors)")
    }

    @Test func aMissingProgramIsAnErrorNotACrash() {
        #expect(throws: TestProcess.SpawnError.self) { try TestProcess("/nonexistent/program").run() }
    }
}
