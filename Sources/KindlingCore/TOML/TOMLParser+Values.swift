// Values: the dispatch on a value's first character, arrays and inline tables. Strings and
// keys are in TOMLParser+Strings.swift, numbers and date-times in TOMLParser+Numbers.swift.
extension TOMLParser {
    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLNode {
        let position = scanner.position
        guard depth <= TOMLParser.maximumDepth else {
            throw TOMLError("values nest more than \(TOMLParser.maximumDepth) deep", at: position)
        }
        switch scanner.peek {
        case ASCII.quote?:
            return TOMLNode(.string(try parseBasicString(allowMultiline: true)), at: position)
        case ASCII.apostrophe?:
            return TOMLNode(.string(try parseLiteralString(allowMultiline: true)), at: position)
        case ASCII.openBracket?:
            return TOMLNode(.array(try parseArray(depth: depth)), at: position)
        case ASCII.openBrace?:
            return TOMLNode(.table(try parseInlineTable(depth: depth)), at: position)
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?:
            if takeWord("true") { return TOMLNode(.boolean(true), at: position) }
            if takeWord("false") { return TOMLNode(.boolean(false), at: position) }
        case let byte?
        where ASCII.isDigit(byte) || byte == ASCII.plus || byte == ASCII.minus
            || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "n"):
            return TOMLNode(try parseNumberOrDate(), at: position)
        default: break
        }
        throw TOMLError(
            "expected a value (a \"string\", number, true or false, date, [array] or {table}), found \(scanner.describeNext)",
            at: position)
    }

    /// Whether a value may start with `byte` (whether it then reads is for ``parseValue(depth:)``).
    static func canStartValue(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.quote, ASCII.apostrophe, ASCII.openBracket, ASCII.openBrace, ASCII.plus, ASCII.minus,
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "i"), UInt8(ascii: "n"):
            true
        default: ASCII.isDigit(byte)
        }
    }

    private mutating func takeWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where scanner.peek(offset) != bytes[offset] { return false }
        scanner.advance(count)
        return true
    }

    /// `[ v, v, … ]`, across lines and comments, a trailing comma allowed.
    private mutating func parseArray(depth: Int) throws(TOMLError) -> [TOMLNode] {
        scanner.advance()
        var elements: [TOMLNode] = []
        while true {
            scanner.skipBlankLines()
            if scanner.take(ASCII.closeBracket) { return elements }
            guard let next = scanner.peek, TOMLParser.canStartValue(next) else {
                throw TOMLError(
                    "this list must be closed with \"]\", or go on with a value; found \(scanner.describeNext)",
                    at: scanner.position)
            }
            elements.append(try parseValue(depth: depth + 1))
            scanner.skipBlankLines()
            if scanner.take(ASCII.comma) { continue }
            if scanner.take(ASCII.closeBracket) { return elements }
            throw TOMLError(
                "expected ',' or ']' in the array, found \(scanner.describeNext)", at: scanner.position)
        }
    }

    /// `{ k = v, … }` on one line, without a trailing comma (TOML 1.0). It is complete when
    /// read: neither headers nor dotted keys elsewhere may add to it.
    private mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLMap {
        let table = TOMLTableBuilder(origin: .header, position: scanner.position, depth: depth)
        scanner.advance()
        scanner.skipWhitespace()
        if scanner.take(ASCII.closeBrace) { return table.build() }
        while true {
            scanner.skipWhitespace()
            if scanner.peek == ASCII.lineFeed || scanner.peek == ASCII.carriageReturn {
                throw TOMLError(
                    "an inline table stays on one line: close it with '}' here, or write it as a [table]",
                    at: scanner.position)
            }
            try parseKeyValue(into: table, depth: depth + 1)
            scanner.skipWhitespace()
            if scanner.take(ASCII.comma) { continue }
            if scanner.take(ASCII.closeBrace) { return table.build() }
            throw TOMLError(
                "expected ',' or '}' in the inline table, found \(scanner.describeNext) (an inline table stays on one line)",
                at: scanner.position)
        }
    }
}
