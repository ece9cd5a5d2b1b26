// Keys and the four kinds of string.
extension TOMLParser {
    /// A bare, quoted or dotted key (`a`, `"a b"`, `a."b".c`).
    mutating func parseKey() throws(TOMLError) -> [TOMLKeySegment] {
        var segments: [TOMLKeySegment] = []
        while true {
            let position = scanner.position
            let name: String
            switch scanner.peek {
            case ASCII.quote?: name = try parseBasicString(allowMultiline: false)
            case ASCII.apostrophe?: name = try parseLiteralString(allowMultiline: false)
            case let byte? where ASCII.isBareKey(byte):
                let start = scanner.index
                while let byte = scanner.peek, ASCII.isBareKey(byte) { scanner.advance() }
                name = String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)
            default:
                throw TOMLError(
                    "expected a key (letters, digits, '-', '_', or a \"quoted\" key), found \(scanner.describeNext)",
                    at: position)
            }
            segments.append(TOMLKeySegment(name: name, position: position))
            scanner.skipWhitespace()
            guard scanner.take(ASCII.dot) else { return segments }
            scanner.skipWhitespace()
        }
    }

    private func tripled(_ byte: UInt8) -> Bool {
        scanner.peek == byte && scanner.peek(1) == byte && scanner.peek(2) == byte
    }

    /// `"…"` with escapes, or `"""…"""` over several lines where allowed (not in keys).
    mutating func parseBasicString(allowMultiline: Bool) throws(TOMLError) -> String {
        let start = scanner.position
        if tripled(ASCII.quote) {
            guard allowMultiline else { throw TOMLError("a key cannot be a multi-line string", at: start) }
            return try parseMultilineString(quote: ASCII.quote, escapes: true, start: start)
        }
        scanner.advance()
        var text: [UInt8] = []
        while true {
            switch scanner.peek {
            case ASCII.quote?:
                scanner.advance()
                return String(decoding: text, as: UTF8.self)
            case ASCII.backslash?: try parseEscape(into: &text)
            case nil, ASCII.lineFeed?, ASCII.carriageReturn?:
                throw TOMLError(
                    "this string is not closed on its line: end it with '\"', or use \"\"\" for several lines",
                    at: start)
            case let byte?:
                text.append(byte)
                scanner.advance()
            }
        }
    }

    /// `'…'` as written, or `'''…'''` over several lines where allowed (not in keys).
    mutating func parseLiteralString(allowMultiline: Bool) throws(TOMLError) -> String {
        let start = scanner.position
        if tripled(ASCII.apostrophe) {
            guard allowMultiline else { throw TOMLError("a key cannot be a multi-line string", at: start) }
            return try parseMultilineString(quote: ASCII.apostrophe, escapes: false, start: start)
        }
        scanner.advance()
        var text: [UInt8] = []
        while true {
            switch scanner.peek {
            case ASCII.apostrophe?:
                scanner.advance()
                return String(decoding: text, as: UTF8.self)
            case nil, ASCII.lineFeed?, ASCII.carriageReturn?:
                throw TOMLError(
                    "this string is not closed on its line: end it with \"'\", or use ''' for several lines", at: start)
            case let byte?:
                text.append(byte)
                scanner.advance()
            }
        }
    }

    /// The body of `"""…"""` or `'''…'''`: a newline straight after the opening quotes is
    /// dropped, up to two quotes may sit inside or just before the closing three, and in the
    /// basic form a backslash ending a line joins it to the next non-blank text.
    private mutating func parseMultilineString(quote: UInt8, escapes: Bool, start: TOMLPosition) throws(TOMLError)
        -> String
    {
        scanner.advance(3)
        _ = scanner.takeNewline()
        var text: [UInt8] = []
        while let byte = scanner.peek {
            if byte == quote {
                var run = 0
                while scanner.peek(run) == quote { run += 1 }
                guard run >= 3 else {
                    text.append(contentsOf: repeatElement(quote, count: run))
                    scanner.advance(run)
                    continue
                }
                guard run <= 5 else {
                    throw TOMLError("too many quotes in a row to end a multi-line string", at: scanner.position)
                }
                text.append(contentsOf: repeatElement(quote, count: run - 3))
                scanner.advance(run)
                return String(decoding: text, as: UTF8.self)
            }
            if byte == ASCII.backslash, escapes {
                if endsLine(after: 1) {
                    scanner.advance()
                    while let next = scanner.peek,
                        next == ASCII.space || next == ASCII.tab || next == ASCII.lineFeed
                            || next == ASCII.carriageReturn
                    {
                        scanner.advance()
                    }
                } else {
                    try parseEscape(into: &text)
                }
                continue
            }
            text.append(byte)
            scanner.advance()
        }
        throw TOMLError(
            "this multi-line string is never closed: end it with \(quote == ASCII.quote ? "\"\"\"" : "'''")", at: start)
    }

    /// Whether only spaces and tabs lie between `offset` and the end of the line.
    private func endsLine(after offset: Int) -> Bool {
        var offset = offset
        while let byte = scanner.peek(offset), byte == ASCII.space || byte == ASCII.tab { offset += 1 }
        let byte = scanner.peek(offset)
        return byte == ASCII.lineFeed || byte == ASCII.carriageReturn
    }

    /// One escape of a basic string, from its backslash.
    private mutating func parseEscape(into text: inout [UInt8]) throws(TOMLError) {
        let position = scanner.position
        scanner.advance()
        let simple: UInt8?
        switch scanner.peek {
        case UInt8(ascii: "b")?: simple = 0x08
        case UInt8(ascii: "t")?: simple = ASCII.tab
        case UInt8(ascii: "n")?: simple = ASCII.lineFeed
        case UInt8(ascii: "f")?: simple = 0x0C
        case UInt8(ascii: "r")?: simple = ASCII.carriageReturn
        case ASCII.quote?: simple = ASCII.quote
        case ASCII.backslash?: simple = ASCII.backslash
        case UInt8(ascii: "u")?, UInt8(ascii: "U")?: simple = nil
        default:
            throw TOMLError(
                "unknown escape '\\' then \(scanner.describeNext) (write \\\\ for a backslash)", at: position)
        }
        if let simple {
            text.append(simple)
            scanner.advance()
            return
        }
        let count = scanner.peek == UInt8(ascii: "u") ? 4 : 8
        scanner.advance()
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = scanner.peek.flatMap(TOMLParser.hexDigit) else {
                throw TOMLError("\\\(count == 4 ? "u" : "U") needs \(count) hexadecimal digits", at: position)
            }
            value = value << 4 | UInt32(digit)
            scanner.advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw TOMLError("U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value", at: position)
        }
        UTF8.encode(scalar) { text.append($0) }
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
