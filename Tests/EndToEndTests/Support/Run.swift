import Foundation
import ProcessFixture

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished command left behind.
struct Outcome: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double

    var description: String { "exit \(status) after \(String(format: "%.3f", seconds)) s\nstdout: \(stdout)\nstderr: \(stderr)" }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion with output captured in files (no pipe can fill up).
func run(_ executable: String, _ arguments: [String], environment: [String: String], stdin: String? = nil, timeout: Double = 60)
    throws -> Outcome
{
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out")
    let err = scratch.appendingPathComponent("err")
    var input = TestProcess.Stream.null
    if let stdin {
        let path = scratch.appendingPathComponent("in").path
        try Data(stdin.utf8).write(to: URL(fileURLWithPath: path))
        input = .file(path)
    }
    let process = TestProcess(
        executable, arguments, environment: environment, standardInput: input, standardOutput: .file(out.path),
        standardError: .file(err.path))
    let start = Date()
    try process.run()
    let deadline = start.addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        usleep(2_000)
    }
    return Outcome(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
        seconds: Date().timeIntervalSince(start))
}

/// Waits until `condition` holds, checking every `interval`; returns false on timeout.
func waitUntil(timeout: Double, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(UInt32(interval * 1_000_000))
    }
    return try condition()
}

/// Where `swift build` put kindlingd and kindling: $KINDLING_BIN_DIR (set by `make test`),
/// else the directory of this test binary, which SwiftPM builds beside them.
let binDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["KINDLING_BIN_DIR"], !dir.isEmpty { return dir }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = (exe as NSString).deletingLastPathComponent
    // Inside KindlingPackageTests.xctest/... when the runner is a bundle.
    while !FileManager.default.fileExists(atPath: dir + "/kindlingd"), dir != "/" {
        dir = (dir as NSString).deletingLastPathComponent
    }
    return dir
}()

/// A private temporary directory (mode 0700), removed by the caller.
func makePrivateDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed: \(String(cString: strerror(errno)))") }
    return String(cString: made)
}

/// Starts `executable` as the leader of a new session (posix_spawn with POSIX_SPAWN_SETSID,
/// so no `setsid` wrapper forks away from us), output appended to `logPath`; stderr goes
/// there too unless `errorLogPath` names a file of its own (for tools that print a value
/// on stdout, such as a bus address or a display number). Stop it with
/// ``stopSessionLeader(_:grace:)``.
func spawnSessionLeader(
    _ executable: String, _ arguments: [String], environment: [String: String], logPath: String,
    errorLogPath: String? = nil
) throws -> pid_t {
    let process = TestProcess(
        executable, arguments, environment: environment, standardOutput: .appending(logPath),
        standardError: errorLogPath.map { .appending($0) } ?? .standardOutput, newSession: true)
    do {
        try process.run()
    } catch {
        throw TestSetupError("\(error)")
    }
    return process.processIdentifier
}

/// True while `pid` (our child) has not exited; reaps it once it has.
func isAlive(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == 0
}

/// Stops a process started with ``spawnSessionLeader(_:_:environment:logPath:errorLogPath:)``
/// and everything it started in its session: SIGTERM to the whole process group, then
/// SIGKILL to the group when the leader has not exited after `grace` seconds. Returns once
/// the leader is reaped.
func stopSessionLeader(_ pid: pid_t, grace: Double = 3) {
    guard pid > 0, isAlive(pid) else { return }
    kill(-pid, SIGTERM)
    if !waitUntil(timeout: grace, { !isAlive(pid) }) {
        kill(-pid, SIGKILL)
        _ = waitUntil(timeout: 5, { !isAlive(pid) })
    }
}

/// The context switches of each thread of process `pid`, by thread id (from /proc): what an idle
/// daemon must not add to.
func contextSwitches(of pid: pid_t) -> [String: Int] {
    var result: [String: Int] = [:]
    for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
        result[task] = status.split(separator: "\n").filter { $0.contains("ctxt_switches") }
            .compactMap { Int($0.split(separator: "\t").last ?? "") }.reduce(0, +)
    }
    return result
}

/// The context switches process `pid` makes in `seconds` (threads that ended in between are left
/// out; threads that began count in full), and which threads made them.
func wakeups(of pid: pid_t, in seconds: UInt32) -> (count: Int, threads: String) {
    let before = contextSwitches(of: pid)
    sleep(seconds)
    let after = contextSwitches(of: pid)
    var count = 0
    var threads: [String] = []
    for (task, switches) in after.sorted(by: { $0.key < $1.key }) where switches != before[task] {
        count += switches - (before[task] ?? 0)
        let name = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "?"
        threads.append("\(name.trimmingCharacters(in: .whitespacesAndNewlines)) +\(switches - (before[task] ?? 0))")
    }
    return (count, threads.joined(separator: ", "))
}
