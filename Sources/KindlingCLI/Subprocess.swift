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
    /// environment. `input` goes to its standard input (nil: /dev/null). `mergeErrors`:
    /// standard error goes with standard output into `output`; otherwise it stays the CLI's own.
    ///
    /// - Throws: the system's reason when the program cannot be started (not found, not
    ///   executable).
    static func run(
        _ program: String, _ arguments: [String], input: [UInt8]? = nil, mergeErrors: Bool = false
    ) throws(SystemError) -> Outcome {
        let output = try Pipe()
        defer { output.closeBoth() }
        let feed = try input.map { _ throws(SystemError) in try Pipe() }
        defer { feed?.closeBoth() }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let feed {
            posix_spawn_file_actions_adddup2(&actions, feed.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        if mergeErrors { posix_spawn_file_actions_adddup2(&actions, output.write, 2) }

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let started = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        output.closeWrite()
        feed?.closeRead()
        guard started == 0 else { throw SystemError(started) }

        let captured = exchange(input ?? [], into: feed, from: output.read)
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which are macros Swift cannot call.
        let signal = wait & 0x7f
        return Outcome(status: signal == 0 ? (wait >> 8) & 0xff : 128 + signal, output: captured)
    }

    /// Writes `input` into `feed` while reading `readEnd` to its end, both as they become
    /// ready: a program that answers before it has read everything cannot block on a full pipe.
    /// Closes the feed once all is written (or the program stopped reading).
    private static func exchange(_ input: [UInt8], into feed: Pipe?, from readEnd: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var sent = 0
        var writing = feed?.write
        // A program that closes its input early must not end kindling with SIGPIPE.
        let previousPipeHandler = writing == nil ? nil : signal(SIGPIPE, SIG_IGN)
        defer { if let previousPipeHandler { signal(SIGPIPE, previousPipeHandler) } }
        if let fd = writing {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if input.isEmpty {
                feed?.closeWrite()
                writing = nil
            }
        }
        var reading = true
        while reading {
            var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
            if let fd = writing { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { break }
            if fds[0].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count > 0 {
                    output += buffer[0..<count]
                } else if count == 0 || errno != EINTR && errno != EAGAIN {
                    reading = false
                }
            }
            if let fd = writing, fds.count > 1, fds[1].revents != 0 {
                let count = input.withUnsafeBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
                if count > 0 { sent += count }
                // Done, or the program closed its input: what it did not read it did not want.
                if sent == input.count || count < 0 && errno != EINTR && errno != EAGAIN {
                    feed?.closeWrite()
                    writing = nil
                }
            }
        }
        return output
    }

    /// A pipe whose ends are closed on exec (the child gets its end through dup2) and closed
    /// once each.
    private final class Pipe {
        private(set) var read: Int32
        private(set) var write: Int32

        init() throws(SystemError) {
            var ends: [Int32] = [-1, -1]
            // pipe2 needs _GNU_SOURCE, which Swift's Glibc does not define.
            guard Glibc.pipe(&ends) == 0 else { throw .last }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            read = ends[0]
            write = ends[1]
        }

        func closeRead() {
            if read >= 0 { close(read) }
            read = -1
        }

        func closeWrite() {
            if write >= 0 { close(write) }
            write = -1
        }

        func closeBoth() {
            closeRead()
            closeWrite()
        }
    }
}
