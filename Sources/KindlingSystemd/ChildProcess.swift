import CSystemd
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A program started by the daemon (a hook, `systemd-run`, a terminal for Answer), watched
/// from the daemon's own queue without blocking it.
///
/// The child is spawned directly (no shell), in a session of its own, with stdin on
/// /dev/null, default signal dispositions and no inherited descriptors beyond stdout and
/// stderr. Its exit is seen through a pidfd read source (libdispatch has no process
/// source on Linux), or polled for when no pidfd could be had; a time limit, when given,
/// sends SIGTERM to its process group and SIGKILL two seconds later.
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (after a time limit, usually SIGTERM or SIGKILL).
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was ended by signal \(signal)"
            }
        }
    }

    /// A child could not be started.
    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        /// One line: what was started and why it failed.
        public let description: String
    }

    /// The child's process id.
    public let pid: pid_t
    /// The program, as given (for log lines).
    public let program: String
    private let queue: DispatchQueue
    private var exitSource: DispatchSourceRead?
    private var limitTimer: DispatchSourceTimer?
    /// Polls for the exit of a child whose pidfd could not be opened.
    private var exitPoll: DispatchSourceTimer?
    /// How often that poll runs.
    static let pollInterval = DispatchTimeInterval.milliseconds(250)
    private var onExit: ((Outcome, _ timedOut: Bool) -> Void)?
    private var timedOut = false

    private init(pid: pid_t, program: String, queue: DispatchQueue) {
        self.pid = pid
        self.program = program
        self.queue = queue
    }

    /// Starts `arguments[0]` (looked up in `PATH` when it has no slash) with exactly
    /// `environment`. `onExit` runs on `queue` once the child has ended and been reaped;
    /// the child object keeps itself alive until then.
    @discardableResult
    public static func spawn(
        _ arguments: [String], environment: [String: String], timeLimit: Double? = nil, queue: DispatchQueue,
        onExit: @escaping (Outcome, _ timedOut: Bool) -> Void
    ) throws(SpawnError) -> ChildProcess {
        try spawn(
            arguments, environment: environment, timeLimit: timeLimit, queue: queue, openPidfd: kindling_pidfd_open,
            onExit: onExit)
    }

    /// ``spawn(_:environment:timeLimit:queue:onExit:)`` with the pidfd opener given (a test
    /// makes it fail, as it does when the daemon is out of file descriptors).
    static func spawn(
        _ arguments: [String], environment: [String: String], timeLimit: Double?, queue: DispatchQueue,
        openPidfd: @escaping @Sendable (pid_t) -> Int32, onExit: @escaping (Outcome, _ timedOut: Bool) -> Void
    ) throws(SpawnError) -> ChildProcess {
        guard let program = arguments.first, !program.isEmpty else {
            throw SpawnError(description: "no program to start")
        }
        guard let path = resolve(program, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw SpawnError(description: "\(program): no such program (looked in PATH)")
        }
        let pid = try spawnProcess(path: path, arguments: arguments, environment: environment)
        let child = ChildProcess(pid: pid, program: program, queue: queue)
        child.onExit = onExit
        queue.async { child.watch(timeLimit: timeLimit, openPidfd: openPidfd) }
        return child
    }

    // MARK: - Spawning

    /// The executable for `program`: itself when it holds a slash, else the first match in `path`.
    public static func resolve(_ program: String, path: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                return candidate
            }
        }
        return nil
    }

    private static func spawnProcess(path: String, arguments: [String], environment: [String: String]) throws(SpawnError)
        -> pid_t
    {
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        // The daemon ignores TERM, INT and HUP (its signal sources see them): ignored
        // dispositions survive exec, so the child gets the defaults back explicitly.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | KINDLING_POSIX_SPAWN_SETSID))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SpawnError(description: "\(arguments[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }

    // MARK: - Watching

    private func watch(timeLimit: Double?, openPidfd: (pid_t) -> Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        let fd = openPidfd(pid)
        if fd >= 0 {
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            // The handlers hold the child until it has been reaped: then both are cancelled.
            source.setEventHandler { self.reap() }
            source.setCancelHandler { close(fd) }
            source.resume()
            exitSource = source
        } else {
            // No pidfd: the daemon is out of file descriptors (or Linux < 5.3). The child
            // must still be reaped, not left a zombie, and still be held to its time
            // limit, so its exit is polled for with WNOHANG. This timer, needing no
            // descriptor, runs only while such a child lives.
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + Self.pollInterval, repeating: Self.pollInterval, leeway: .milliseconds(50))
            timer.setEventHandler { self.reap() }
            timer.resume()
            exitPoll = timer
        }
        if let timeLimit {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + timeLimit, repeating: 2.0)
            timer.setEventHandler { self.enforceLimit() }
            timer.resume()
            limitTimer = timer
        }
    }

    private func enforceLimit() {
        // First SIGTERM to the child's whole session, then SIGKILL every two seconds.
        kill(-pid, timedOut ? SIGKILL : SIGTERM)
        timedOut = true
    }

    private func reap() {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == -1 && errno != EINTR {
            // Reaped elsewhere (or SIGCHLD ignored): the pidfd would stay readable forever.
            finish(.exited(-1))
            return
        }
        guard result == pid else { return }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        finish(signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal))
    }

    private func finish(_ outcome: Outcome) {
        exitSource?.cancel()
        limitTimer?.cancel()
        exitPoll?.cancel()
        exitSource = nil
        limitTimer = nil
        exitPoll = nil
        let handler = onExit
        onExit = nil
        handler?(outcome, timedOut)
    }
}
