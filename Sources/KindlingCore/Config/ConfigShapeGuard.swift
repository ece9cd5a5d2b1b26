// Bounds on the shape of config text, checked before the TOML reader sees it.
//
// Some shapes cost far more than their size: a line `a.a.a…` of 80 KB took the parsers behind
// the config reader 45 s and 1.7 GB in a release build, long table headers behaved the same,
// and a file of 100,000 short keys or tables takes seconds. Under systemd a reload that slow
// fails the watchdog. The project's TOML reader is linear and bounds nesting at 100 levels, but
// no Kindling setting needs any of this, so this scan refuses such text in one linear pass, with
// the line and column and words about Kindling's settings, before the reader starts.

/// Refuses config text whose shape no Kindling setting needs: keys or values nested deeper than
/// the schema goes, over-long key names, and more keys than any config could hold.
///
/// Long lines are left alone: the parsers read them in time linear in their length (a 600 KB
/// list on one line, or a 900 KB key, took under half a second in a debug build), and the
/// reader's own message for a long value names its key and its limit.
enum ConfigShapeGuard {
    /// Where the problem is (1-based line, and column when it points at a spot) and what it is.
    struct Problem: Equatable {
        var line: Int
        var column: Int?
        var message: String
    }

    /// The deepest path in the schema has four levels: `custom[1].at[1]` (a key, a block of an
    /// array of tables, a key, an entry of a list). Every dotted key part and every list adds one.
    static let maximumDepth = 4
    /// The longest part of a key, in bytes. The longest setting name is 15 characters.
    static let maximumKeyLength = 64
    /// The most keys and table headers a file may hold. The largest config the reader accepts
    /// (1,000 `[[prompt]]` blocks, 96 `[[custom]]` blocks with every key, every table) has
    /// fewer than 4,000.
    static let maximumKeys = 5_000

    /// The first shape problem in `text`, or nil when there is none.
    ///
    /// The scan follows TOML far enough to tell keys from values (strings, comments, lists and
    /// inline tables); it leaves every other syntax error to the parser. Its cost is linear
    /// in the size of the text.
    static func firstProblem(in text: String) -> Problem? {
        var scanner = Scanner(bytes: Array(text.utf8))
        do {
            try scanner.document()
        } catch {
            return error.problem
        }
        return nil
    }

    private struct Stop: Error {
        let problem: Problem
    }

    /// A recursive-descent walk over the bytes. Recursion goes one level per list or inline
    /// table, and stops at ``maximumDepth``, so the stack stays shallow whatever the input.
    private struct Scanner {
        let bytes: [UInt8]
        var pos = 0
        var line = 1
        var lineStart = 0
        var keys = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }
        func peek(_ offset: Int) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }

        mutating func document() throws(Stop) {
            var tableDepth = 0
            while true {
                skipBlanksCommentsAndNewlines()
                guard let c = current else { return }
                let start = pos
                if c == UInt8(ascii: "[") {
                    let isArray = peek(1) == UInt8(ascii: "[")
                    pos += isArray ? 2 : 1
                    let parts = try keyParts()
                    try countKey()
                    // `[[custom]]` opens custom[n]: the block's index is a level of its own.
                    tableDepth = parts + (isArray ? 1 : 0)
                    if tableDepth > ConfigShapeGuard.maximumDepth { throw deepKey(from: start, depth: tableDepth) }
                    skipRestOfLine()
                    continue
                }
                let parts = try keyParts()
                guard parts > 0 else {
                    // Not a key: the parser says what is wrong with it.
                    skipRestOfLine()
                    continue
                }
                try countKey()
                let depth = tableDepth + parts
                if depth > ConfigShapeGuard.maximumDepth { throw deepKey(from: start, depth: depth) }
                skipBlanks()
                if current == UInt8(ascii: "=") {
                    pos += 1
                    try value(depth: depth)
                }
                skipRestOfLine()
            }
        }

        /// A value whose path is `depth` levels deep.
        mutating func value(depth: Int) throws(Stop) {
            skipBlanks()
            guard let c = current else { return }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString()
            case UInt8(ascii: "["):
                // The list's entries are one level deeper than the list.
                if depth + 1 > ConfigShapeGuard.maximumDepth { throw deepValue() }
                pos += 1
                while true {
                    skipBlanksCommentsAndNewlines()
                    guard let c = current else { return }
                    if c == UInt8(ascii: "]") {
                        pos += 1
                        return
                    }
                    if c == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    let before = pos
                    try value(depth: depth + 1)
                    // Neither a value nor a separator (malformed): step over it, for the parser to report.
                    if pos == before { pos += 1 }
                }
            case UInt8(ascii: "{"):
                pos += 1
                while true {
                    skipBlanksCommentsAndNewlines()
                    guard let c = current else { return }
                    if c == UInt8(ascii: "}") {
                        pos += 1
                        return
                    }
                    if c == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    let start = pos
                    let parts = try keyParts()
                    guard parts > 0 else {
                        pos += 1
                        continue
                    }
                    try countKey()
                    if depth + parts > ConfigShapeGuard.maximumDepth {
                        throw deepKey(from: start, depth: depth + parts)
                    }
                    skipBlanks()
                    if current == UInt8(ascii: "=") {
                        pos += 1
                        try value(depth: depth + parts)
                    }
                }
            default:
                // A number, boolean, date or time, up to whatever can follow it.
                while let d = current, !Scanner.endsPlainValue(d) { pos += 1 }
            }
        }

        /// Steps over `a.b."c d".'e'` and returns how many parts it has (0 when no key starts here).
        mutating func keyParts() throws(Stop) -> Int {
            var parts = 0
            while true {
                skipBlanks()
                guard let c = current else { return parts }
                let start = pos
                var length: Int
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    skipString()
                    length = pos - start - 2
                } else {
                    while let d = current, Scanner.isBareKeyByte(d) { pos += 1 }
                    length = pos - start
                }
                if pos == start { return parts }
                if length > ConfigShapeGuard.maximumKeyLength {
                    throw Stop(
                        problem: problem(
                            at: start,
                            "a key longer than \(ConfigShapeGuard.maximumKeyLength) characters starts here; "
                                + "Kindling's setting names are short, like answer_until, so check for a missing \"=\" or quote"
                        ))
                }
                parts += 1
                skipBlanks()
                guard current == UInt8(ascii: ".") else { return parts }
                pos += 1
            }
        }

        mutating func countKey() throws(Stop) {
            keys += 1
            guard keys > ConfigShapeGuard.maximumKeys else { return }
            throw Stop(
                problem: Problem(
                    line: line, column: nil,
                    message:
                        "the file holds more than \(ConfigShapeGuard.maximumKeys) keys and tables by this line; "
                        + "a Kindling config needs far fewer (1,000 [[prompt]] blocks fit), so is this the right file?"
                ))
        }

        func deepKey(from start: Int, depth: Int) -> Stop {
            // Show the start of the key only: it may be many kilobytes long.
            var end = start
            while end < pos, end - start < 40 { end += 1 }
            var shown = String(decoding: bytes[start..<end], as: UTF8.self)
            if end < pos {
                shown += "…"
            } else {
                while shown.last == " " || shown.last == "\t" { shown.removeLast() }
            }
            return Stop(
                problem: problem(
                    at: start,
                    "\(shown) is nested \(depth) levels deep; no Kindling setting is deeper than "
                        + "\(ConfigShapeGuard.maximumDepth) (like custom[1].at[1]), so check the dots and brackets"
                ))
        }

        func deepValue() -> Stop {
            Stop(
                problem: problem(
                    at: pos,
                    "lists or tables are nested more than \(ConfigShapeGuard.maximumDepth) levels deep here; "
                        + "no Kindling setting is, so check the brackets (a setting holds at most a list, like at = [\"08:00\", \"13:00\"])"
                ))
        }

        /// A problem at byte `position` on the current line, its column counted in characters.
        /// A key can span lines (through a multi-line string, which TOML refuses there): when
        /// `position` is on an earlier line, only the line of the key's end is given.
        func problem(at position: Int, _ message: String) -> Problem {
            guard position >= lineStart else { return Problem(line: line, column: nil, message: message) }
            let column = bytes[lineStart..<min(position, bytes.count)].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
            return Problem(line: line, column: column, message: message)
        }

        static func isBareKeyByte(_ c: UInt8) -> Bool {
            switch c {
            // Bytes from 0x80 up belong to non-ASCII letters, which TOML 1.1 allows in bare keys.
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), 0x80...0xFF:
                true
            default: false
            }
        }

        static func endsPlainValue(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "{"),
                UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "#"), UInt8(ascii: "\n"):
                true
            default: false
            }
        }

        mutating func newline() {
            pos += 1
            line += 1
            lineStart = pos
        }

        mutating func skipBlanks() {
            while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { pos += 1 }
        }

        mutating func skipBlanksCommentsAndNewlines() {
            while let c = current {
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): pos += 1
                case UInt8(ascii: "\n"): newline()
                case UInt8(ascii: "#"): while let d = current, d != UInt8(ascii: "\n") { pos += 1 }
                default: return
                }
            }
        }

        /// Up to the line break, stepping over strings (a multi-line one may hold the break).
        mutating func skipRestOfLine() {
            while let c = current, c != UInt8(ascii: "\n") {
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    skipString()
                } else if c == UInt8(ascii: "#") {
                    while let d = current, d != UInt8(ascii: "\n") { pos += 1 }
                } else {
                    pos += 1
                }
            }
        }

        /// Steps over the string that opens here, one-line or multi-line, basic or literal. An
        /// unterminated one-line string ends at its line break.
        mutating func skipString() {
            guard let quote = current else { return }
            let multiLine = peek(1) == quote && peek(2) == quote
            pos += multiLine ? 3 : 1
            let escapes = quote == UInt8(ascii: "\"")
            while let c = current {
                if escapes && c == UInt8(ascii: "\\") {
                    pos += 1
                    if current == UInt8(ascii: "\n") {
                        guard multiLine else { return }
                        newline()
                    } else if current != nil {
                        pos += 1
                    }
                    continue
                }
                if c == UInt8(ascii: "\n") {
                    guard multiLine else { return }
                    newline()
                    continue
                }
                if c == quote {
                    if !multiLine {
                        pos += 1
                        return
                    }
                    if peek(1) == quote && peek(2) == quote {
                        pos += 3
                        // Up to two more quotes belong to the content (`""""` ends with one in it).
                        var extra = 0
                        while extra < 2, current == quote {
                            pos += 1
                            extra += 1
                        }
                        return
                    }
                }
                pos += 1
            }
        }
    }
}
