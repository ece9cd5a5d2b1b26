import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// What the CLI may assume about its standard output: colour only on a terminal and never
/// with NO_COLOR set (https://no-color.org), lines fitted to the terminal's width.
struct Terminal {
    let isTTY: Bool
    let colour: Bool
    let width: Int

    static var standardOutput: Terminal {
        let tty = isatty(1) == 1
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        var size = winsize()
        let columns = tty && ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 100
        return Terminal(isTTY: tty, colour: tty && !noColour, width: max(40, columns))
    }

    /// Writes `text` to standard error as it is (a question, a progress line).
    static func writeError(_ text: String) { write(text, to: 2) }

    /// Writes `line` and a line break to standard error.
    static func printError(_ line: String) { write(line + "\n", to: 2) }

    /// Writes `text` to standard output as it is, at once (print() would hold it in stdio's
    /// buffer, behind what is written here).
    static func writeOutput(_ text: String) { write(text, to: 1) }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in try? SystemError.write(descriptor, UnsafeRawBufferPointer(bytes)) }
    }

    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    /// A warm accent (amber), never red: nothing in Kindling is an alarm.
    func warm(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }

    /// Cuts `text` to the width, with an ellipsis (only on a terminal: pipes get every word).
    func fit(_ text: String, indent: Int = 0) -> String {
        guard isTTY, text.count + indent > width else { return text }
        return String(text.prefix(max(1, width - indent - 1))) + "…"
    }

    /// Replaces control characters (terminal escape sequences in stored text) with U+FFFD,
    /// so nothing a journal holds can drive the terminal.
    static func safe(_ text: String) -> String {
        // Nearly all text has nothing to replace: one pass over its bytes finds that out, where
        // mapping every scalar into a new string cost most of a `kindling journal` page. A C1
        // control is U+0080 to U+009F, two bytes in UTF-8 led by 0xC2 (so are a few harmless
        // characters: they take the long way, to the same result).
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) else {
            return text
        }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
                        ? "\u{FFFD}" : scalar
                }))
    }
}
