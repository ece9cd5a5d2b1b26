import Dispatch
import Foundation
import Testing

@testable import KindlingSystemd

/// Hooks and the Answer command: started without a shell, watched through a pidfd, stopped
/// at their time limit.
@Suite struct ChildProcessTests {
    /// Runs `arguments` and waits (up to 10 s) for the outcome.
    func run(_ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"], timeLimit: Double? = nil)
        throws -> (ChildProcess.Outcome, Bool)?
    {
        let queue = DispatchQueue(label: "child-test")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (ChildProcess.Outcome, Bool)?
        try ChildProcess.spawn(arguments, environment: environment, timeLimit: timeLimit, queue: queue) { outcome, timedOut in
            result = (outcome, timedOut)
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
        return queue.sync { result }
    }

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theExitStatusIsReported() throws {
        let outcome = try #require(try run(["sh", "-c", "exit 3"]))
        #expect(outcome.0 == .exited(3) && !outcome.1)
    }

    @Test func theEnvironmentIsExactlyWhatWasGivenAndTextIsNeverRunAsACommand() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hostile = "$(touch \(directory)/pwned) `touch \(directory)/pwned2`; \"quotes\" 'and' \n newline"
        // printf receives the text as one argument and the environment verbatim.
        let outcome = try #require(
            try run(
                ["sh", "-c", "printf '%s|%s' \"$1\" \"$KINDLING_TEXT\" > \"$2\"", "hook", hostile, directory + "/out"],
                environment: ["PATH": "/usr/bin:/bin", "KINDLING_TEXT": hostile]))
        #expect(outcome.0 == .exited(0))
        #expect(try String(contentsOfFile: directory + "/out", encoding: .utf8) == hostile + "|" + hostile)
        #expect(!FileManager.default.fileExists(atPath: directory + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/pwned2"))
    }

    @Test func aChildPastItsTimeLimitIsStopped() throws {
        let started = Date()
        let outcome = try #require(try run(["sleep", "30"], timeLimit: 0.3))
        #expect(outcome.0 == .signalled(SIGTERM))
        #expect(outcome.1, "the outcome does not say the limit was reached")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func aChildThatIgnoresSIGTERMIsKilled() throws {
        let outcome = try #require(try run(["sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"], timeLimit: 0.2))
        #expect(outcome.0 == .signalled(SIGKILL) && outcome.1)
    }

    @Test func noDescriptorOfTheParentLeaksIntoTheChild() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A descriptor without FD_CLOEXEC, as a careless library might leave one, at a
        // number that `ls` itself would not take for reading /proc/self/fd.
        let opened = open(directory + "/leaky", O_CREAT | O_WRONLY, 0o600)
        let leaky = dup2(opened, 217)
        close(opened)
        defer { close(leaky) }
        #expect(leaky == 217)
        let outcome = try #require(try run(["sh", "-c", "ls /proc/self/fd > \"$0\"", directory + "/fds"]))
        #expect(outcome.0 == .exited(0))
        let fds = try String(contentsOfFile: directory + "/fds", encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(!fds.contains(Int(leaky)), "fd \(leaky) reached the child: \(fds)")
    }

    @Test func aMissingProgramIsOneClearError() {
        let error = #expect(throws: ChildProcess.SpawnError.self) {
            try ChildProcess.spawn(["no-such-kindling-program"], environment: ["PATH": "/usr/bin"], queue: .main) { _, _ in }
        }
        #expect(error?.description == "no-such-kindling-program: no such program (looked in PATH)")
    }

    /// Runs `arguments` as if the pidfd could not be opened (the daemon at its fd limit);
    /// returns the outcome and whether the child was reaped by then.
    func runWithoutPidfd(_ arguments: [String], timeLimit: Double? = nil) throws -> (ChildProcess.Outcome, Bool, reaped: Bool)? {
        let queue = DispatchQueue(label: "child-test")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (ChildProcess.Outcome, Bool)?
        let child = try ChildProcess.spawn(
            arguments, environment: ["PATH": "/usr/bin:/bin"], timeLimit: timeLimit, queue: queue, openPidfd: { _ in -EMFILE }
        ) { outcome, timedOut in
            result = (outcome, timedOut)
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
        guard let result = queue.sync(execute: { result }) else {
            kill(child.pid, SIGKILL)
            return nil
        }
        var status: Int32 = 0
        let reaped = waitpid(child.pid, &status, WNOHANG) == -1 && errno == ECHILD
        return (result.0, result.1, reaped)
    }

    /// Issue 18, case 8: a child whose pidfd could not be opened was reported as ended at
    /// once (status -1), then never reaped (a zombie) and never stopped at its time limit.
    @Test func withoutAPidfdAChildIsReapedWithItsRealStatus() throws {
        let outcome = try #require(try runWithoutPidfd(["sh", "-c", "sleep 0.3; exit 4"]))
        #expect(outcome.0 == .exited(4), "\(outcome.0)")
        #expect(outcome.reaped, "the child was left a zombie")
    }

    @Test func withoutAPidfdTheTimeLimitStillHolds() throws {
        let started = Date()
        let outcome = try #require(try runWithoutPidfd(["sleep", "30"], timeLimit: 0.3))
        #expect(outcome.0 == .signalled(SIGTERM) && outcome.1, "\(outcome)")
        #expect(outcome.reaped)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
