/// Reads TOML 1.0 into a tree that keeps the position of every key and value.
///
/// The reader is the project's own, so that the configuration can name the line of any key or
/// value it refuses. It is checked against the TOML project's toml-test suite and fuzzed
/// (Fuzz/Sources/FuzzTOML). Input is bounded in depth (`maximumDepth`), and every step moves
/// forward through the bytes, so any input is read or refused in time linear in its length.
public struct TOMLParser {
    /// How deeply tables and arrays may nest (keys of a header or dotted key count too). Deeper
    /// documents are refused, so that building and freeing the tree never exhausts the stack.
    public static let maximumDepth = 100

    var scanner: TOMLScanner
    let root: TOMLTableBuilder
    var current: TOMLTableBuilder

    private init(_ scanner: TOMLScanner) {
        self.scanner = scanner
        root = TOMLTableBuilder(origin: .header, position: scanner.position, depth: 0)
        current = root
    }

    /// Reads a document given as text.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLMap {
        try parse(bytes: Array(text.utf8))
    }

    /// Reads a document given as bytes, refusing any that are not UTF-8.
    public static func parse(bytes: [UInt8]) throws(TOMLError) -> TOMLMap {
        let start = try TOMLScanner.validate(bytes)
        var parser = TOMLParser(TOMLScanner(bytes, from: start))
        try parser.parseDocument()
        return parser.root.build()
    }

    private mutating func parseDocument() throws(TOMLError) {
        while true {
            scanner.skipWhitespace()
            switch scanner.peek {
            case nil: return
            case ASCII.hash?, ASCII.lineFeed?, ASCII.carriageReturn?: break
            case ASCII.openBracket?: try parseHeader()
            default: try parseKeyValue(into: current, depth: current.depth)
            }
            try endLine()
        }
    }

    /// After a header or key/value pair: only whitespace and a comment may follow on the line.
    private mutating func endLine() throws(TOMLError) {
        scanner.skipWhitespace()
        scanner.skipComment()
        guard scanner.atEnd || scanner.takeNewline() else {
            throw TOMLError(
                "expected the end of the line, found \(scanner.describeNext) (one key = value a line)",
                at: scanner.position)
        }
    }

    /// `key = value`, the key possibly dotted, into `table`.
    mutating func parseKeyValue(into table: TOMLTableBuilder, depth: Int) throws(TOMLError) {
        let key = try parseKey()
        scanner.skipWhitespace()
        guard scanner.take(ASCII.equals) else {
            throw TOMLError(
                "expected '=' after the key \(TOMLParser.dotted(key)), found \(scanner.describeNext)",
                at: scanner.position)
        }
        scanner.skipWhitespace()
        let value = try parseValue(depth: depth + key.count)
        try insert(value, at: key, into: table)
    }

    private func insert(_ value: TOMLNode, at key: [TOMLKeySegment], into start: TOMLTableBuilder) throws(TOMLError) {
        var table = start
        for (offset, segment) in key.dropLast().enumerated() {
            switch table.entry(segment.name)?.slot {
            case nil:
                let child = TOMLTableBuilder(origin: .dotted, position: segment.position, depth: table.depth + 1)
                table.add(segment, .table(child))
                table = child
            case .table(let child) where child.origin == .dotted:
                table = child
            default:
                throw redefinition(key.prefix(offset + 1), at: segment.position, in: table)
            }
        }
        let last = key[key.count - 1]
        guard table.entry(last.name) == nil else { throw redefinition(key, at: last.position, in: table) }
        table.add(last, .value(value))
    }

    /// `[a.b]` or `[[a.b]]`: finds or makes the table, and makes it the current one.
    private mutating func parseHeader() throws(TOMLError) {
        let position = scanner.position
        scanner.advance()
        let isArray = scanner.take(ASCII.openBracket)
        scanner.skipWhitespace()
        guard let first = scanner.peek, ASCII.isBareKey(first) || first == ASCII.quote || first == ASCII.apostrophe else {
            throw TOMLError(
                "a table header needs a name (letters, digits, '-', '_', or a \"quoted\" name), found \(scanner.describeNext)",
                at: scanner.position)
        }
        let key = try parseKey()
        scanner.skipWhitespace()
        guard scanner.take(ASCII.closeBracket), !isArray || scanner.take(ASCII.closeBracket) else {
            throw TOMLError(
                "expected '\(isArray ? "]]" : "]")' to close the header, found \(scanner.describeNext)",
                at: scanner.position)
        }
        guard key.count <= TOMLParser.maximumDepth else {
            throw TOMLError("tables nest more than \(TOMLParser.maximumDepth) deep", at: position)
        }
        var table = root
        for (offset, segment) in key.dropLast().enumerated() {
            switch table.entry(segment.name)?.slot {
            case nil:
                let child = TOMLTableBuilder(origin: .implicit, position: segment.position, depth: table.depth + 1)
                table.add(segment, .table(child))
                table = child
            case .table(let child): table = child
            case .tables(let tables, _): table = tables[tables.count - 1]
            case .value(let node):
                throw TOMLError(
                    "\(TOMLParser.dotted(key.prefix(offset + 1))) is \(node.value.kindWithArticle) (line \(node.position.line)), not a table",
                    at: segment.position)
            }
        }
        let last = key[key.count - 1]
        let fresh = TOMLTableBuilder(origin: .header, position: position, depth: table.depth + 1)
        switch (table.entry(last.name)?.slot, isArray) {
        case (nil, false):
            table.add(last, .table(fresh))
            current = fresh
        case (nil, true):
            table.add(last, .tables([fresh], position))
            current = fresh
        case (.table(let existing), false) where existing.origin == .implicit:
            existing.origin = .header
            existing.position = position
            current = existing
        case (.tables, true):
            table.append(fresh, to: last.name)
            current = fresh
        default:
            throw redefinition(key, at: last.position, in: table)
        }
    }

    /// The message for a key or table defined twice, naming where it first was.
    private func redefinition(
        _ key: some BidirectionalCollection<TOMLKeySegment>, at position: TOMLPosition, in table: TOMLTableBuilder
    ) -> TOMLError {
        let name = TOMLParser.dotted(key)
        guard let last = key.last, let entry = table.entry(last.name) else {
            return TOMLError("\(name) is defined twice", at: position)
        }
        let what: String
        switch entry.slot {
        case .value(let node): what = node.value.kindWithArticle
        case .table(let child): what = child.origin == .dotted ? "a table by dotted keys" : "a table"
        case .tables: what = "an array of tables"
        }
        return TOMLError("\(name) is already defined as \(what) on line \(entry.keyPosition.line)", at: position)
    }

    /// A key as a person would write it, for messages.
    static func dotted(_ key: some Collection<TOMLKeySegment>) -> String {
        key.map { segment in
            segment.name.utf8.allSatisfy(ASCII.isBareKey) && !segment.name.isEmpty
                ? segment.name : "\"\(segment.name.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())\""
        }.joined(separator: ".")
    }
}
