import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A file the person named with `--output` (export, backup): only ever a new or a regular file,
/// replaced only when they agree, and written so a failure never leaves half a file in place.
enum OutputFile {
    /// Whether `path` may be written. A missing path may; a regular file may once the person says
    /// so (asked on a terminal, or `--force`); anything else (a folder, a device, a fifo, a
    /// socket, a symlink) is refused and left as it is. False: they chose to keep the file.
    static func mayWrite(_ path: String, force: Bool, what: String) throws(CLIError) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw CLIError("cannot use \(path): \(String(cString: strerror(errno)))") }
            return true
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CLIError(
                "\(path) is \(kind(info.st_mode)), not a regular file; nothing was written. Choose a new file name for the \(what).",
                exitCode: 2)
        }
        if force { return true }
        guard isatty(0) == 1, isatty(2) == 1 else {
            throw CLIError(
                "\(path) already exists and there is no terminal to ask on; nothing was written. Add --force to replace it.",
                exitCode: 2)
        }
        guard TerminalInput.confirm("\(path) already exists. Replace it with the \(what)?") else {
            Terminal.printError("Kept \(path) as it was; nothing was written.")
            return false
        }
        return true
    }

    /// A few words for a file type that is not a regular file.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a fifo"
        case S_IFSOCK: "a socket"
        default: "not a plain file"
        }
    }

    /// A private file (0600) beside the target, renamed over it by ``commit()``: until then the
    /// target keeps its old contents, and a full disk or an interruption leaves it untouched.
    /// ``discard()`` (also on every path that does not commit) removes the temporary file.
    final class Temporary {
        let target: String
        let path: String
        /// The open file, for writing.
        let descriptor: Int32
        private var finished = false

        init(beside target: String) throws(CLIError) {
            self.target = target
            let folder = PathText.folder(of: target)
            let name = PathText.name(of: target)
            path = folder + "/" + ".\(name).kindling-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            // The handlers go in first: a signal arriving just after the file appears must find them.
            OutputFile.removeOnSignal(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                OutputFile.removeOnSignal(nil)
                throw CLIError("cannot write beside \(target): \(reason); nothing was written")
            }
            descriptor = fd
        }

        deinit { discard() }

        /// Makes the file durable and moves it into place.
        func commit() throws(CLIError) {
            guard !finished else { return }
            guard fsync(descriptor) == 0 else {
                throw CLIError("cannot write \(target): \(String(cString: strerror(errno))); it was left as it was")
            }
            // The target may have changed since it was checked: still only a regular file is replaced.
            var info = stat()
            if lstat(target, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                throw CLIError("\(target) is now \(OutputFile.kind(info.st_mode)); it was left as it was", exitCode: 2)
            }
            guard rename(path, target) == 0 else {
                throw CLIError("cannot move the new file into place at \(target): \(String(cString: strerror(errno)))")
            }
            // After the rename: a signal before this point still removes the temporary file (an
            // unlink of a name already moved does nothing).
            OutputFile.removeOnSignal(nil)
            finished = true
            close(descriptor)
            let dir = open(PathText.folder(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 {
                _ = fsync(dir)
                close(dir)
            }
        }

        /// Removes the temporary file (nothing happens after ``commit()``).
        func discard() {
            guard !finished else { return }
            finished = true
            close(descriptor)
            unlink(path)
            OutputFile.removeOnSignal(nil)
        }
    }

    /// While a temporary file is being written, SIGHUP, SIGTERM and SIGINT remove it before
    /// they end kindling: it holds a copy of the journal, and nothing else would find it. Nil
    /// restores the default handlers. Signals the caller ignores (nohup) stay ignored.
    static func removeOnSignal(_ path: String?) {
        free(signalTemporaryPath)
        signalTemporaryPath = path.map { strdup($0) }
        for signal in [SIGHUP, SIGTERM, SIGINT] {
            let previous = Glibc.signal(signal, path == nil ? SIG_DFL : removeTemporaryThenDie)
            // SIG_IGN is the handler "1"; a C function pointer is compared by its address.
            if let previous, unsafeBitCast(previous, to: Int.self) == 1 { _ = Glibc.signal(signal, SIG_IGN) }
        }
    }
}

/// The temporary file's path for the signal handler, which may only read plain globals and make
/// async-signal-safe calls.
nonisolated(unsafe) private var signalTemporaryPath: UnsafeMutablePointer<CChar>?

private func removeTemporaryThenDie(_ signal: Int32) {
    if let path = signalTemporaryPath { unlink(path) }
    _ = Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
