import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Reads what a person types, straight from file descriptor 0: after Ctrl-D ends a
/// multi-line answer, a terminal can still be asked one more question (a stdio stream
/// would stay at end-of-file).
enum TerminalInput {
    /// Everything up to end-of-file (Ctrl-D at the start of a line, on a terminal).
    static func readToEnd() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One line (without its newline), or nil at end-of-file.
    static func readLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(0, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }

    /// Asks `question`, followed by " [y/N] ", on standard error: true only for "y" or "yes"
    /// (in any case, spaces around it allowed); anything else, or end-of-file, is no.
    /// `readLine`: how the answer is read, stdio's unless the caller reads descriptor 0 itself.
    static func confirm(_ question: String, readLine: () -> String? = { Swift.readLine() }) -> Bool {
        Terminal.writeError(question + " [y/N] ")
        let answer = (readLine() ?? "").trimmingSpaces().lowercased()
        return answer == "y" || answer == "yes"
    }

    /// Asks for a number from 1 to 5; Enter (or end-of-file) skips. Asks again on anything else.
    static func askScale(_ question: String) -> Int? {
        while true {
            Terminal.writeError("\(question) (1-5, Enter to skip): ")
            guard let line = readLine()?.trimmingSpaces(), !line.isEmpty else { return nil }
            if let value = Int(line), (1...5).contains(value) { return value }
            Terminal.printError("A number from 1 to 5, please, or just Enter.")
        }
    }
}

extension TerminalInput {
    /// Asks `question` on the terminal and reads one line without showing what is typed (a
    /// passphrase); the terminal's echo comes back even if reading fails. nil at end-of-file.
    static func readHidden(_ question: String) -> String? {
        Terminal.writeError(question)
        var saved = termios()
        let isTerminal = tcgetattr(0, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            // Ctrl-C (or a TERM) while typing must not leave the terminal without its echo.
            echoToRestore = saved
            signal(SIGINT, restoreEchoAndLeave)
            signal(SIGTERM, restoreEchoAndLeave)
            _ = tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                _ = tcsetattr(0, TCSAFLUSH, &saved)
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
                echoToRestore = nil
            }
        }
        return readLine()
    }
}

/// The terminal's settings before a hidden read, for ``restoreEchoAndLeave``.
nonisolated(unsafe) private var echoToRestore: termios?

/// Puts the terminal's echo back and ends the process as the signal would have (only
/// async-signal-safe calls: tcsetattr, write, _exit).
private func restoreEchoAndLeave(_ signal: Int32) {
    if var saved = echoToRestore { _ = tcsetattr(0, TCSAFLUSH, &saved) }
    _ = write(2, "\n", 1)
    _exit(128 + signal)
}
