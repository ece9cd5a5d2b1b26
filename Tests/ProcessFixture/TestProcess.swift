// A child process for tests, started with posix_spawn, in place of Foundation's Process.
//
// Foundation's Process.run() in Swift 6.3.1 can crash the whole test process: it counts the
// open descriptors by copying a whole `d_name` out of each readdir record, and a record at
// the end of glibc's buffer makes that copy read past it (swift-corelibs-foundation#5472,
// fixed upstream after 6.3.1). Test suites that start hundreds of children met it now and
// then; posix_spawn with a closefrom action needs no such count.
import CProcessFixture
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program run by a test: set it up as with Foundation's `Process`, then ``run()``.
///
/// Its standard input is /dev/null unless told otherwise (a test never reads the runner's
/// terminal), standard output and error are the test runner's unless told otherwise, and it
/// inherits no other descriptor. Every signal starts unblocked at its default handler: test
/// threads block most signals, and a mask inherited would leave SIGTERM pending forever.
public final class TestProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// The test runner's own.
        case inherit
        /// /dev/null.
        case null
        /// A file, opened for reading (standard input) or created and truncated (output).
        case file(String)
        /// A file created if missing and written at its end (a log kept across restarts).
        case appending(String)
        /// Standard error only: wherever standard output goes.
        case standardOutput
        /// Output only: a descriptor of the test process (a pipe's write end), duplicated.
        case descriptor(Int32)
    }

    /// How a child ended, as Foundation's `Process.TerminationReason` says it.
    public enum TerminationReason: Sendable, Equatable {
        case exit
        case uncaughtSignal
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    /// An absolute path: no PATH lookup, as with Foundation's `executableURL`.
    public var executable = ""
    public var arguments: [String] = []
    /// The child's whole environment; nil inherits the test runner's.
    public var environment: [String: String]?
    public var standardInput = Stream.null
    public var standardOutput = Stream.inherit
    public var standardError = Stream.inherit
    /// Whether the child leads a session of its own (and so a process group a test can signal
    /// whole), as a desktop's services and daemons under test do.
    public var newSession = false

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var ended: (reason: TerminationReason, status: Int32)?

    public init() {}

    /// A process set up in one expression.
    public convenience init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        standardInput: Stream = .null, standardOutput: Stream = .inherit, standardError: Stream = .inherit,
        newSession: Bool = false
    ) {
        self.init()
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.newSession = newSession
    }

    /// The child's pid (0 before ``run()``).
    public var processIdentifier: pid_t { lock.withLock { pid } }

    /// Starts the child; throws when it could not be started (missing program, bad file).
    public func run() throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        // POSIX_SPAWN_SETSID (glibc 2.26) is hidden behind _GNU_SOURCE; its value is fixed ABI.
        let setsid: Int32 = newSession ? 0x80 : 0
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, stream) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            switch stream {
            case .inherit: break
            case .null:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                let flags = descriptor == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
                posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600)
            case .appending(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            case .standardOutput: posix_spawn_file_actions_adddup2(&actions, 1, 2)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, descriptor)
            }
        }
        kindling_test_spawn_closefrom(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = environment ?? Self.currentEnvironment()
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        lock.withLock { pid = child }
    }

    /// True until the child has ended (and been reaped, here, by this object).
    public var isRunning: Bool { lock.withLock { reap() } }

    /// Blocks until the child has ended.
    public func waitUntilExit() {
        while isRunning { usleep(2_000) }
    }

    /// Its exit status, or the signal that ended it (see ``terminationReason``).
    public var terminationStatus: Int32 {
        lock.withLock {
            guard let ended else { preconditionFailure("terminationStatus of \(executable) before it ended") }
            return ended.status
        }
    }

    public var terminationReason: TerminationReason {
        lock.withLock {
            guard let ended else { preconditionFailure("terminationReason of \(executable) before it ended") }
            return ended.reason
        }
    }

    /// Sends SIGTERM (while it runs).
    public func terminate() {
        lock.withLock {
            if reap() { kill(pid, SIGTERM) }
        }
    }

    /// Under the lock: true while the child runs; records how it ended once it has.
    private func reap() -> Bool {
        guard pid > 0 else { return false }
        guard ended == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        if result == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
            let signal = status & 0x7f
            ended = signal == 0 ? (.exit, (status >> 8) & 0xff) : (.uncaughtSignal, signal)
            return false
        }
        // ECHILD: someone else reaped it; it has ended, how is unknown.
        ended = (.uncaughtSignal, 0)
        return false
    }

    private static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
