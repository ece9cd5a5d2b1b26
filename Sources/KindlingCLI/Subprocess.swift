#if canImport(Glibc)
    import Glibc
#endif

/// A program the CLI runs to its end (systemctl, kindlingd's checks), with what it writes to
/// standard output captured. posix_spawn, not Foundation's Process: the thin CLI has no
/// Foundation.
enum Subprocess {
    struct Outcome {
        /// The exit status, or 128 + the signal's number when a signal ended it.
        var status: Int32
        /// What it wrote to standard output (and to standard error, when merged).
        var output: [UInt8]

        var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Runs `program` (a path, or a name looked up on PATH) with `arguments`, in this
    /// environment. `mergeErrors`: standard error goes with standard output into `output`;
    /// otherwise it stays the CLI's own. Standard input is /dev/null.
    ///
    /// - Throws: the system's reason when the program cannot be started (not found, not
    ///   executable).
    static func run(_ program: String, _ arguments: [String], mergeErrors: Bool = false) throws(SystemError) -> Outcome {
        var pipe: [Int32] = [-1, -1]
        // pipe2 needs _GNU_SOURCE, which Swift's Glibc does not define. Close-on-exec keeps
        // both ends out of the child; dup2 gives it the write end as its own output.
        guard Glibc.pipe(&pipe) == 0 else { throw SystemError(errno) }
        for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { if pipe[0] >= 0 { close(pipe[0]) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        if mergeErrors { posix_spawn_file_actions_adddup2(&actions, pipe[1], 2) }

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let started = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        close(pipe[1])
        guard started == 0 else { throw SystemError(started) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output += buffer[0..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which are macros Swift cannot call.
        let signal = wait & 0x7f
        return Outcome(status: signal == 0 ? (wait >> 8) & 0xff : 128 + signal, output: output)
    }

    /// An errno with the system's words for it.
    struct SystemError: Error, CustomStringConvertible {
        var code: Int32
        init(_ code: Int32) { self.code = code }
        var description: String { String(cString: strerror(code)) }
    }
}
