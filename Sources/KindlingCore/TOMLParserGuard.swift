// A guard in front of toml++ (the C++ parser inside TOMLKit 0.6.0, toml++ 3.4.0).
//
// toml++ checks some malformed input only with assertions: in a build that keeps them (SwiftPM's
// debug and release builds both do) the whole process aborts, and without them the behaviour is
// undefined. The daemon reads its config at every reload, so such text must be refused before
// toml++ sees it. The config fuzzer found each case (Fuzz/regressions/config/):
// - a table header whose name starts with a character no key can start with: "[\n", "[ !]";
// - a "}" where a list expects its next value: "x = [1,}";
// - a line or paragraph separator (U+0085, U+2028, U+2029) where a list expects its next value.

/// Finds the malformed TOML that toml++ would abort on, so it can be reported as a syntax error.
enum TOMLParserGuard {
    /// Where the problem is (1-based line and column) and what it is, in words for the person.
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first text toml++ would abort on, or nil when there is none.
    ///
    /// It follows just enough of TOML to know where a statement starts and which bracket is open:
    /// comments, the four kinds of strings, and the brackets of values (lists and inline tables).
    /// Valid TOML never holds any of these problems, so it is never refused here.
    static func firstProblem(in text: String) -> Problem? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        var lineStart = 0
        // The open "[" and "{" of values: a "[" inside one is a list, never a table header.
        var open: [Unicode.Scalar] = []
        var atStatementStart = true

        func problem(at position: Int, _ message: String) -> Problem {
            Problem(line: line, column: position - lineStart + 1, message: message)
        }

        /// Skips spaces and tabs from `position`.
        func skipBlanks(_ position: Int) -> Int {
            var position = position
            while position < scalars.count, scalars[position] == " " || scalars[position] == "\t" { position += 1 }
            return position
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                line += 1
                lineStart = index + 1
                if open.isEmpty { atStatementStart = true }
                index += 1
            case " ", "\t", "\r":
                index += 1
            case "#":
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            case "\"", "'":
                atStatementStart = false
                index = endOfString(scalars, from: index, line: &line, lineStart: &lineStart)
            case "[" where atStatementStart && open.isEmpty:
                var name = skipBlanks(index + 1)
                if name < scalars.count, scalars[name] == "[" { name = skipBlanks(name + 1) }
                if name < scalars.count, !startsKeyOrCloses(scalars[name]) {
                    return problem(at: name, "a table header needs a name after \"[\", e.g. [intention]")
                }
                atStatementStart = false
                index = name
            case "[", "{":
                open.append(scalar)
                atStatementStart = false
                index += 1
            case "}" where open.last == "[":
                return problem(at: index, "a list opened with \"[\" must be closed with \"]\", not \"}\"")
            case "]", "}":
                _ = open.popLast()
                atStatementStart = false
                index += 1
            case "\u{85}", "\u{2028}", "\u{2029}":
                let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                return problem(at: index, "an invisible line separator (\(code)) outside quotes; use a plain line break")
            default:
                atStatementStart = false
                index += 1
            }
        }
        return nil
    }

    /// What toml++ accepts right after a header's "[": a bare-key character, a quote, or the
    /// "]" it reports itself.
    private static func startsKeyOrCloses(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'", "]": true
        default: false
        }
    }

    /// The index just past the string that opens at `start` (or where an unterminated one-line
    /// string meets its line break), counting the line breaks inside multi-line strings.
    private static func endOfString(
        _ scalars: [Unicode.Scalar], from start: Int, line: inout Int, lineStart: inout Int
    ) -> Int {
        let quote = scalars[start]
        let escapes = quote == "\""
        let multiLine = start + 2 < scalars.count && scalars[start + 1] == quote && scalars[start + 2] == quote
        var index = start + (multiLine ? 3 : 1)
        while index < scalars.count {
            let scalar = scalars[index]
            if escapes && scalar == "\\" {
                // An escaped character never ends the string (a line break here is a
                // line-ending backslash in a multi-line string, still counted).
                index += 1
                if index < scalars.count, scalars[index] == "\n" {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
                continue
            }
            if scalar == "\n" {
                guard multiLine else { return index }
                line += 1
                lineStart = index + 1
            } else if scalar == quote {
                if !multiLine { return index + 1 }
                if index + 2 < scalars.count, scalars[index + 1] == quote, scalars[index + 2] == quote {
                    // Up to two more quotes belong to the content (`""""` ends with one in it).
                    var end = index + 3
                    while end < scalars.count, end < index + 5, scalars[end] == quote { end += 1 }
                    return end
                }
            }
            index += 1
        }
        return index
    }
}

extension String {
    /// The text with zeros in front, up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
