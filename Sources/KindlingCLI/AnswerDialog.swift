import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// A small desktop window that asks for an answer (`kindling respond --dialog`), drawn by a
/// dialog program the desktop already has (see ``DialogProgram``).
///
/// The program is started directly, never through a shell, and the prompt's text travels as
/// one argument of its own (`--text=...`), escaped for what each program reads into it, so no
/// prompt can run a command, pass an option or change how the window looks. The answer comes
/// back on the program's standard output, never on a command line.
struct AnswerDialog {
    let program: DialogProgram
    /// The program's full path.
    let path: String

    /// What the person did with the dialog.
    enum Outcome: Equatable {
        /// OK, with what was written (the final newline removed).
        case answered(String)
        /// Cancel, Escape or the window closed: nothing to save.
        case cancelled
    }

    /// The first dialog program on PATH, on a graphical session; otherwise a one-line error
    /// that says what to install or how else to answer.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CLIError) -> AnswerDialog {
        guard DialogProgram.hasDisplay(environment) else {
            throw CLIError(
                "--dialog needs a graphical session, and neither DISPLAY nor WAYLAND_DISPLAY is set; "
                    + "`kindling respond` without --dialog answers in a terminal")
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for program in DialogProgram.preferenceOrder(environment) {
            if let path = executable(program.name, in: searchPath) { return AnswerDialog(program: program, path: path) }
        }
        throw CLIError(
            "no dialog program was found on PATH to open the answer window: \(DialogProgram.installHint); "
                + "`kindling respond` without --dialog answers in a terminal")
    }

    /// The arguments that ask `text` (the prompt) for an answer.
    static func askArguments(_ program: DialogProgram, prompt: String) -> [String] {
        // The entry windows do not wrap their label: a long prompt would make a window as wide
        // as the screen.
        let text = wrapped(prompt)
        return switch program {
        case .zenity:
            ["--entry", "--title=Kindling", "--text=" + backslashesDoubled(text), "--ok-label=Save", "--width=480"]
        case .yad:
            // An editable text box under the question: Enter starts a new line, Ctrl+Enter or
            // Save saves. It starts empty (its standard input is /dev/null).
            [
                "--text-info", "--editable", "--wrap", "--fontname=Sans 11", "--title=Kindling",
                "--text=" + backslashesDoubled(markupEscaped(text)), "--width=520", "--height=260", "--center",
                "--button=Cancel:1", "--button=Save:0",
            ]
        case .kdialog:
            ["--title", "Kindling", "--textinputbox", kdialogText(text)]
        }
    }

    /// The arguments that say a save failed, with `message`. The text itself is never on a
    /// command line: zenity and yad read it on stdin; kdialog's text box reads `file`, a private
    /// copy made for that moment.
    static func failureArguments(_ program: DialogProgram, message: String, file: String = "") -> [String] {
        switch program {
        case .zenity:
            ["--text-info", "--editable", "--title=Kindling: " + message, "--width=560", "--height=320"]
        case .yad:
            ["--text-info", "--editable", "--title=Kindling: " + message, "--width=560", "--height=320", "--button=Close:0"]
        case .kdialog:
            ["--title", "Kindling: " + message, "--textbox", file, "560", "320"]
        }
    }

    /// Shows the dialog for `prompt` and waits for the person.
    func ask(prompt: String) throws(CLIError) -> Outcome {
        let (status, output) = try run(Self.askArguments(program, prompt: prompt), input: nil)
        switch status {
        case 0:
            var text = output
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return .answered(text)
        // 1: Cancel (all three); 252: yad's Escape or closed window; 5: zenity's timeout.
        case 1, 5, 252:
            return .cancelled
        default:
            throw CLIError("the answer window (\(program.name)) ended with status \(status); nothing was saved")
        }
    }

    /// Tells the person their answer was not saved, showing it again so it can be copied.
    func showFailure(_ message: String, text: String) {
        guard program == .kdialog else {
            _ = try? run(Self.failureArguments(program, message: message), input: text)
            return
        }
        // kdialog shows a file, not stdin: a copy only the person can read, removed once closed.
        var template = Array((PathText.temporaryFolder + "/kindling-answer-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { return }
        _ = try? run(Self.failureArguments(program, message: message, file: path), input: nil)
    }

    // MARK: - Running the program

    /// Runs the program with `arguments` and `input` on its standard input; its exit status
    /// and what it printed.
    func run(_ arguments: [String], input: String?) throws(CLIError) -> (Int32, String) {
        do {
            let outcome = try Subprocess.run(path, arguments, input: input.map { Array($0.utf8) })
            return (outcome.status, outcome.text)
        } catch {
            throw CLIError("could not open the answer window (\(path)): \(error.description); nothing was saved")
        }
    }

    private static func executable(_ name: String, in searchPath: String) -> String? {
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT != S_IFDIR, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// `text` with its long lines broken between words, at most `width` characters where a
    /// word allows it; the person's own line breaks stay.
    static func wrapped(_ text: String, width: Int = 64) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: false) {
                if !current.isEmpty, current.count + 1 + word.count > width {
                    lines.append(current)
                    current = String(word)
                } else {
                    current += current.isEmpty ? String(word) : " " + word
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// zenity and yad undo backslash escapes in `--text` (`\n` becomes a new line), so a
    /// backslash is doubled: the prompt shows as written.
    static func backslashesDoubled(_ text: String) -> String {
        text.replacingEvery("\\", with: "\\\\")
    }

    /// yad also reads `--text` as Pango markup (zenity's entry does not).
    static func markupEscaped(_ text: String) -> String {
        text.replacingEvery("&", with: "&amp;").replacingEvery("<", with: "&lt;")
            .replacingEvery(">", with: "&gt;")
    }

    /// kdialog guesses whether a label is rich text; wrapped in `<qt>` it always is, so the
    /// escaped text shows as written (and never starts with `-`, where an option would).
    static func kdialogText(_ text: String) -> String {
        var out = "<qt>"
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n": out += "<br>"
            default: out.append(character)
            }
        }
        return out + "</qt>"
    }
}
