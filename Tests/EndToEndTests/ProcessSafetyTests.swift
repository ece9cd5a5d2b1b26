import Foundation
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's process-level defences: a log sink that goes away, core dumps.
@Suite(.serialized) struct ProcessSafetyTests {
    /// Starts kindlingd with stdout and stderr on a pipe (default signal dispositions, as a
    /// shell would give it), and returns its pid and the pipe's read end.
    private func startOnPipe(_ sandbox: DaemonProcessTests.Sandbox) throws -> (pid: pid_t, reader: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw TestSetupError("pipe(): \(String(cString: strerror(errno)))") }
        // The child gets the write end as stdout and stderr, and neither end otherwise.
        let process = TestProcess(
            binDirectory + "/kindlingd", environment: sandbox.environment, standardOutput: .descriptor(ends[1]),
            standardError: .descriptor(ends[1]))
        let started = Result { try process.run() }
        close(ends[1])
        if case .failure(let error) = started {
            close(ends[0])
            throw TestSetupError("\(error)")
        }
        let pid = process.processIdentifier
        let up = try waitUntil(timeout: 10) { try isAlive(pid) && sandbox.kindling("status").status == 0 }
        guard up else {
            kill(pid, SIGKILL)
            close(ends[0])
            throw TestSetupError("kindlingd did not answer within 10 s")
        }
        return (pid, ends[0])
    }

    /// Case 9 of issue 18: with stderr on a pipe whose reader has gone, the next log line
    /// raised SIGPIPE and killed the daemon mid-request, leaving its socket file behind.
    @Test func aLogPipeWhoseReaderLeftDoesNotStopTheDaemon() throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let (pid, reader) = try startOnPipe(sandbox)
        defer { stopSessionLeader(pid, grace: 1) }
        close(reader)

        // Each of these writes a log line into the broken pipe.
        let fired = try sandbox.kindling("fire", "nudge")
        #expect(fired.status == 0, "\(fired)")
        #expect(try sandbox.kindling("reload").status == 0)
        #expect(isAlive(pid), "kindlingd died writing a log line to a pipe nobody reads")
        #expect(try sandbox.kindling("status").status == 0)

        kill(pid, SIGTERM)
        var status: Int32 = 0
        let exited = waitUntil(timeout: 3) { waitpid(pid, &status, WNOHANG) == pid }
        #expect(exited)
        #expect(status == 0, "exit status word \(status)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.socket), "the socket file was left behind")
    }

    /// Who owns /proc/PID/environ: the process's own uid while it is dumpable, root once it
    /// is not (the kernel's task_dump_owner).
    private func environOwner(_ pid: pid_t) -> uid_t? {
        var info = stat()
        return stat("/proc/\(pid)/environ", &info) == 0 ? info.st_uid : nil
    }

    /// Case 17 of issue 18: a core dump of kindlingd held the person's notes. The daemon
    /// makes itself non-dumpable, which also keeps ptrace and /proc/PID/mem away from it.
    /// Root's files all belong to root, so as root the daemon runs as nobody (setpriv).
    @Test func theDaemonIsNotDumpable() throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let asRoot = getuid() == 0
        let user: uid_t = asRoot ? 65534 : getuid()
        if asRoot {
            for path in ["", "/run", "/config", "/config/kindling", "/data"] { chown(sandbox.root + path, user, user) }
        }
        let prefix = asRoot ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
        func start(_ command: [String]) throws -> pid_t {
            let words = prefix + command
            return try spawnSessionLeader(
                words[0], Array(words.dropFirst()), environment: sandbox.environment, logPath: sandbox.root + "/daemon.log")
        }
        // The probe can tell: an ordinary process of that user owns its environ.
        let sleeper = try start(["/bin/sleep", "30"])
        defer { stopSessionLeader(sleeper, grace: 0.5) }
        #expect(waitUntil(timeout: 5) { environOwner(sleeper) == user }, "the probe cannot see an ordinary process's owner")

        let daemon = try start([binDirectory + "/kindlingd"])
        defer { stopSessionLeader(daemon, grace: 1) }
        let up = waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: sandbox.socket) }
        try #require(
            up,
            "kindlingd did not bind its socket: \((try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? "")"
        )
        #expect(
            environOwner(daemon) == 0,
            "kindlingd is dumpable (environ owned by \(environOwner(daemon).map(String.init) ?? "?")): a crash would write its journal text to a core file"
        )
    }
}
