/// A cursor over the bytes of a TOML document that knows its line and column.
///
/// `validate` runs first over the whole document, so everything after it may assume UTF-8
/// without control characters: a carriage return is always followed by a line feed, and bytes
/// of 0x80 and above only ever appear inside strings and comments.
struct TOMLScanner {
    let bytes: [UInt8]
    private(set) var index: Int
    private(set) var line = 1
    private(set) var column = 1

    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        self.index = start
    }

    var position: TOMLPosition { TOMLPosition(line: line, column: column) }
    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == ASCII.lineFeed {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
    }

    /// Takes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        advance()
        return true
    }

    mutating func skipWhitespace() {
        while let byte = peek, byte == ASCII.space || byte == ASCII.tab { advance() }
    }

    /// Skips a comment up to (not over) the end of its line.
    mutating func skipComment() {
        guard peek == ASCII.hash else { return }
        while let byte = peek, byte != ASCII.lineFeed, byte != ASCII.carriageReturn { advance() }
    }

    /// Takes a line feed or a carriage return and line feed.
    mutating func takeNewline() -> Bool {
        if peek == ASCII.lineFeed {
            advance()
            return true
        }
        if peek == ASCII.carriageReturn, peek(1) == ASCII.lineFeed {
            advance(2)
            return true
        }
        return false
    }

    /// Skips whitespace, comments and newlines, as arrays allow between their elements.
    mutating func skipBlankLines() {
        while true {
            skipWhitespace()
            skipComment()
            guard takeNewline() else { return }
        }
    }

    /// How the next character reads in a message: printable ASCII as itself, the end of a line
    /// or of the file in words, anything else by its code point (and itself when visible), so a
    /// stray byte-order mark or an invisible space can be found and removed.
    var describeNext: String {
        guard let byte = peek, byte >= 0x80 else { return ASCII.describe(peek) }
        var end = index + 1
        while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        guard let scalar = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first else {
            return "a non-ASCII character"
        }
        var digits = String(scalar.value, radix: 16, uppercase: true)
        if digits.count < 4 { digits = String(repeating: "0", count: 4 - digits.count) + digits }
        let code = "U+" + digits
        if scalar == "\u{FEFF}" { return "\(code), a byte-order mark (one may start the file, nowhere else)" }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .nonspacingMark,
            .enclosingMark, .spacingMark, .privateUse, .unassigned, .surrogate:
            return "\(code), an invisible character"
        default:
            return "'\(Character(scalar))' (\(code))"
        }
    }

    /// Refuses bytes that are not UTF-8 and control characters TOML allows nowhere (all but tab,
    /// line feed, and carriage return before a line feed). A byte-order mark at the start is
    /// allowed and skipped: the returned index is where the document begins.
    static func validate(_ bytes: [UInt8]) throws(TOMLError) -> Int {
        var scanner = TOMLScanner(bytes)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        scanner.index = start
        while let byte = scanner.peek {
            let length: Int
            switch byte {
            case ASCII.tab, ASCII.lineFeed, 0x20..<0x7F: length = 1
            case ASCII.carriageReturn:
                guard scanner.peek(1) == ASCII.lineFeed else {
                    throw TOMLError("a carriage return must be followed by a line feed", at: scanner.position)
                }
                length = 1
            case 0..<0x20, 0x7F:
                throw TOMLError(
                    "control character U+\(hex(byte)) is not allowed in TOML (write it as an escape in a \"string\")",
                    at: scanner.position)
            default:
                guard let sequence = utf8SequenceLength(bytes, at: scanner.index) else {
                    throw TOMLError("the file is not valid UTF-8 here (save it as UTF-8)", at: scanner.position)
                }
                length = sequence
            }
            scanner.advance(length)
        }
        return start
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (2 to 4 bytes), or nil.
    /// Overlong forms, surrogates and values past U+10FFFF are not well formed.
    private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        guard (low...high).contains(bytes[index + 1]) else { return nil }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) { return nil }
        return length
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// The ASCII bytes the reader looks for.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8?) -> Bool { byte.map { (0x30...0x39).contains($0) } ?? false }

    /// A character of a bare key: A-Z a-z 0-9 _ -.
    static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, underscore, minus: true
        default: false
        }
    }

    /// How a byte reads in a message: itself if printable ASCII, else "end of line" and so on.
    static func describe(_ byte: UInt8?) -> String {
        switch byte {
        case nil: "the end of the file"
        case lineFeed?, carriageReturn?: "the end of the line"
        case let byte? where (0x21..<0x7F).contains(byte): "'\(Character(Unicode.Scalar(byte)))'"
        case space?, tab?: "a space"
        default: "a non-ASCII character"
        }
    }
}
