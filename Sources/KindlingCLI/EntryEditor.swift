import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// What the signal handler tells the waiting loop. A handler may only touch plain globals and
/// make async-signal-safe calls (write(2)), so it records the signal and wakes the loop
/// through a pipe (the self-pipe pattern); the loop does the real work.
nonisolated(unsafe) private var editorWakeFD: Int32 = -1
nonisolated(unsafe) private var editorCaughtSignal: Int32 = 0

private func editorSignalHandler(_ signal: Int32) {
    let savedErrno = errno
    if signal != SIGCHLD { editorCaughtSignal = signal }
    var byte: UInt8 = 1
    _ = write(editorWakeFD, &byte, 1)
    errno = savedErrno
}

/// Opens an entry's text in the person's editor.
enum EntryEditor {
    /// Signals that end an edit: the terminal going away, a stop request, Ctrl-C.
    static let endingSignals = [SIGHUP, SIGTERM, SIGINT]

    /// Writes `text` to a private file (0600, in a 0700 folder under $XDG_RUNTIME_DIR or the temporary
    /// folder), runs $EDITOR (else `vi`) on it, and returns what it holds afterwards, without the final
    /// newline editors add; nil when the editor left it as it was. The file is removed in any case,
    /// also when a signal ends the edit (see ``runEditor(_:path:folder:id:)``).
    static func edit(
        _ text: String, id: Int64, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CLIError) -> String? {
        let editor = environment["EDITOR"].flatMap { $0.trimmingSpaces().isEmpty ? nil : $0 } ?? "vi"
        var base = environment["XDG_RUNTIME_DIR"] ?? ""
        var info = stat()
        if base.isEmpty || stat(base, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
            base = PathText.temporaryFolder
        }
        var template = Array(((base.hasSuffix("/") ? base : base + "/") + "kindling-edit.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLIError("could not create a private temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/entry-\(id).txt"
        let original = text.hasSuffix("\n") ? text : text + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("could not create \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(original.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw CLIError("could not write \(path); nothing was changed") }

        let status = try runEditor(editor, path: path, folder: folder, id: id)
        // A wait status: the low 7 bits hold a signal that ended it, bits 8-15 the exit code.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let how = status & 0x7F == 0 ? "status \((status >> 8) & 0xFF)" : "signal \(status & 0x7F)"
            throw CLIError("the editor (\(editor)) did not finish cleanly (\(how)); nothing was changed")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("the edited file is gone (\(path)); nothing was changed")
        }
        let edited = String(decoding: data, as: UTF8.self)
        if edited == original { return nil }
        return edited.hasSuffix("\n") ? String(edited.dropLast()) : edited
    }

    /// Runs the editor on `path` and returns its wait status. If SIGHUP, SIGTERM or SIGINT reaches
    /// kindling meanwhile, the editor is asked to stop (the same signal, then SIGTERM, then SIGKILL),
    /// `folder` with the plaintext copy (and any swap or backup file the editor made there) is
    /// removed, and kindling ends by that signal: nothing is left behind, on disk or running.
    private static func runEditor(_ editor: String, path: String, folder: String, id: Int64) throws(CLIError) -> Int32 {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw CLIError("could not start the editor: \(String(cString: strerror(errno)))") }
        for fd in pipeFDs {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        editorWakeFD = pipeFDs[1]
        editorCaughtSignal = 0
        // Installed before the editor starts, so neither its exit nor a signal can be missed; and
        // unblocked here, as a parent may have started kindling with them blocked.
        let previous = (endingSignals + [SIGCHLD]).map { ($0, signal($0, editorSignalHandler)) }
        var ours = sigset_t()
        sigemptyset(&ours)
        for number in endingSignals + [SIGCHLD] { sigaddset(&ours, number) }
        pthread_sigmask(SIG_UNBLOCK, &ours, nil)
        defer {
            for (number, handler) in previous { signal(number, handler) }
            editorWakeFD = -1
            pipeFDs.forEach { close($0) }
        }

        // The editor's own words may carry arguments ("code --wait"); the file's path is passed
        // as "$1", never spliced into the command line. `exec` makes the shell become the editor,
        // so the process waited for (and stopped on a signal) is the editor itself.
        let words: [String] = ["/bin/sh", "-c", "exec \(editor) \"$1\"", "kindling-edit", path]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in endingSignals + [SIGCHLD, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ)
        guard spawned == 0 else {
            throw CLIError("could not start the editor (\(editor)): \(String(cString: strerror(spawned))); nothing was changed")
        }

        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return status }
            if reaped < 0, errno != EINTR {
                throw CLIError("lost track of the editor (\(String(cString: strerror(errno)))); nothing was changed")
            }
            if editorCaughtSignal != 0 {
                let number = editorCaughtSignal
                stop(pid, first: number, wakeFD: pipeFDs[0])
                try? FileManager.default.removeItem(atPath: folder)
                let name = [SIGHUP: "SIGHUP", SIGTERM: "SIGTERM", SIGINT: "SIGINT"][number] ?? "signal \(number)"
                Terminal.writeError(
                    "kindling: the edit of entry \(id) was stopped by \(name); nothing was changed and the temporary copy was removed\n"
                )
                // End the way the signal would have ended kindling, so a caller sees what happened.
                for (signalNumber, handler) in previous { signal(signalNumber, handler) }
                raise(number)
                exit(128 + number)
            }
            // The pipe wakes the loop at once; the timeout only guards against a lost wake-up.
            wait(for: pipeFDs[0], milliseconds: 1000)
        }
    }

    /// Stops the editor: `first` (what kindling received), then SIGTERM, then SIGKILL, each given
    /// a moment to work, and reaps it.
    private static func stop(_ pid: pid_t, first: Int32, wakeFD: Int32) {
        var status: Int32 = 0
        for (number, grace) in [(first, 2.0), (SIGTERM, 2.0), (SIGKILL, 5.0)] {
            kill(pid, number)
            let deadline = Date().addingTimeInterval(grace)
            while Date() < deadline {
                if waitpid(pid, &status, WNOHANG) == pid { return }
                wait(for: wakeFD, milliseconds: 50)
            }
        }
    }

    /// Sleeps until the signal handler writes to the pipe (or `milliseconds` pass), then empties it.
    private static func wait(for fd: Int32, milliseconds: Int32) {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
        var sink = [UInt8](repeating: 0, count: 64)
        while sink.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
