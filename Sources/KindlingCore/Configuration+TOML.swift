// Loading config.toml: reading the file, parsing TOML (TOMLKit), checking every key and
// value, and turning each problem into a one-line ConfigError with file, line and key.
//
// TOMLKit keeps no source positions for values, so ConfigSourceMap scans the text itself
// to find the line each key was written on.
import Foundation
import TOMLKit

extension Configuration {
    /// The built-in defaults: ``defaultTOML`` parsed. Identical to `Config/kindling.toml`.
    public static let defaults: Configuration = {
        do {
            return try throwingFirst(check(defaultTOML, file: defaultFileName, base: placeholder))
        } catch {
            fatalError("Kindling's built-in default configuration is invalid: \(error)")
        }
    }()

    /// The name used for the compiled-in default file in messages.
    public static let defaultFileName = "<built-in defaults>"

    /// The largest config file Kindling reads (1 MiB).
    public static let maximumFileSize = 1 << 20

    static let tooLargeMessage = "is larger than 1 MiB; a Kindling config is a few kilobytes, is this the right file?"

    /// Reads and checks a config file.
    ///
    /// - Throws: ``ConfigError`` naming the file: when it is missing or unreadable (with the
    ///   system's reason), not UTF-8, not valid TOML, or holds an unknown key or a bad value.
    public static func load(contentsOf path: String) throws(ConfigError) -> Configuration {
        guard let text = try readFile(path) else {
            throw ConfigError(
                file: path, message: "cannot read the config file: \(String(cString: strerror(ENOENT)))"
            )
        }
        return try parse(text, file: path)
    }

    /// Like ``load(contentsOf:)``, but a file that does not exist yields nil (so the caller can
    /// use ``defaults``). Every other problem still throws.
    public static func loadIfPresent(contentsOf path: String) throws(ConfigError) -> Configuration? {
        guard let text = try readFile(path) else { return nil }
        return try parse(text, file: path)
    }

    /// Parses and checks config text. `file` is used only in error messages.
    ///
    /// - Throws: the first problem in the file (by line); ``diagnose(_:file:)`` lists them all.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Configuration {
        try throwingFirst(check(text, file: file, base: defaults))
    }

    private static func throwingFirst(_ result: (Configuration, [ConfigError])) throws(ConfigError) -> Configuration {
        if let first = result.1.first { throw first }
        return result.0
    }

    /// Every problem in config text, in line order (at most ``maximumDiagnostics``); empty when
    /// the text is a valid configuration. Handy for `kindling config check`.
    public static func diagnose(_ text: String, file: String) -> [ConfigError] {
        check(text, file: file, base: defaults).1
    }

    /// ``diagnose(_:file:)`` stops after this many problems.
    public static let maximumDiagnostics = 50

    // MARK: Reading the file

    /// The file's text, or nil when it does not exist.
    static func readFile(_ path: String) throws(ConfigError) -> String? {
        func failure(_ message: String) -> ConfigError { ConfigError(file: path, message: message) }
        func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

        guard !path.isEmpty else { throw failure("the config file path is empty") }
        // O_NONBLOCK so that a FIFO cannot hang the daemon; the kind of file is checked below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw failure("cannot read the config file: \(reason(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read the config file: \(reason(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure("is a directory, not a config file; point Kindling at a .toml file")
        default: throw failure("is not a regular file; point Kindling at a .toml file")
        }
        guard Int(info.st_size) <= maximumFileSize else {
            throw failure(tooLargeMessage)
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the config file: \(reason(errno))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > maximumFileSize {
                throw failure(tooLargeMessage)
            }
        }
        return try decodeUTF8(bytes, file: path)
    }

    /// Decodes UTF-8, naming the line of the first byte that is not UTF-8.
    static func decodeUTF8(_ bytes: [UInt8], file: String) throws(ConfigError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        throw ConfigError(
            file: file, line: line,
            message: "the file is not UTF-8 text; save it as UTF-8 (plain text) and try again"
        )
    }

    // MARK: Checking

    /// Reads `rawText` over `base`: what the text leaves out keeps its value in `base`.
    static func check(_ rawText: String, file: String, base: Configuration) -> (Configuration, [ConfigError]) {
        var text = rawText
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }

        // Text that does not come through readFile (config check, tests) gets the same bound.
        guard text.utf8.count <= maximumFileSize else {
            return (placeholder, [ConfigError(file: file, message: tooLargeMessage)])
        }

        // A NUL would silently cut the text short on its way to the C++ parser.
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let error = ConfigError(
                file: file, line: line,
                message: "the file contains a NUL character, so it is not a text file; remove it and try again"
            )
            return (placeholder, [error])
        }

        // Shapes that cost the parsers far more than their size (ConfigShapeGuard.swift).
        if let bad = ConfigShapeGuard.firstProblem(in: text) {
            return (placeholder, [ConfigError(file: file, line: bad.line, column: bad.column, message: bad.message)])
        }

        // toml++ aborts the whole process on some malformed text (TOMLParserGuard.swift).
        if let bad = TOMLParserGuard.firstProblem(in: text) {
            let message = "this is not valid TOML: " + bad.message
            return (placeholder, [ConfigError(file: file, line: bad.line, column: bad.column, message: message)])
        }

        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return (placeholder, [syntaxError(error, text: text, file: file)])
        } catch {
            return (placeholder, [ConfigError(file: file, message: "this is not valid TOML: \(error)")])
        }

        let diagnostics = Diagnostics(file: file, map: ConfigSourceMap(text))
        let configuration = ConfigReader(diagnostics: diagnostics).read(table, base: base)
        let sorted = diagnostics.errors.enumerated()
            .sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }
            .map(\.element)
        return (configuration, Array(sorted.prefix(maximumDiagnostics)))
    }

    static func syntaxError(_ error: TOMLParseError, text: String, file: String) -> ConfigError {
        let line = error.source.begin.line > 0 ? error.source.begin.line : nil
        let column = line != nil && error.source.begin.column > 0 ? error.source.begin.column : nil
        var message = error.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.hasSuffix(".") { message.removeLast() }
        if let first = message.first, first.isUppercase {
            message = first.lowercased() + message.dropFirst()
        }
        message = "this is not valid TOML: " + message
        if message.contains("redefine") {
            message += "; each key and table may appear only once"
        }
        if let line,
            let source = text.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(line - 1).first
        {
            message += syntaxHint(for: String(source))
        }
        return ConfigError(file: file, line: line, column: column, message: message)
    }

    /// A likely fix for a common slip on the line a syntax error points at: a time,
    /// duration or name without quotes, or yes/no for a boolean.
    static func syntaxHint(for line: String) -> String {
        guard let equals = line.firstIndex(of: "=") else { return "" }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        var rest = line[line.index(after: equals)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let value = rest.trimmingCharacters(in: .whitespaces)
        guard let first = value.first, !"\"'[{".contains(first), !key.isEmpty,
            key.count <= 40, value.count <= 40, !key.contains("\""), !value.contains("\"")
        else { return "" }
        if ["yes", "no", "on", "off", "true", "false"].contains(value.lowercased()) {
            return "; write true or false, in lowercase and without quotes"
        }
        if first.isASCII, first.isNumber, value.contains(":") || value.contains("-") || value.last?.isLetter == true {
            return "; put it in quotes: \(key) = \"\(value)\""
        }
        if first.isLetter, !["inf", "nan"].contains(value) {
            return "; put text in quotes: \(key) = \"\(value)\""
        }
        return ""
    }

    /// The Swift-side initial values: the base the default file itself is read over, and the
    /// stand-in result when a text cannot be read at all (never returned to callers).
    static var placeholder: Configuration {
        Configuration(
            timezone: .local, quietHours: nil, intention: IntentionSlot(), nudge: NudgeSlot(),
            reflection: ReflectionSlot(), review: ReviewSlot(), breaks: BreakSlot(),
            program: ProgramSettings(), delivery: DeliverySettings(), prompts: [], customs: []
        )
    }
}

// MARK: - Key paths

/// A key's place in the document: `intention.at`, `custom[2].name`, `intention.at[3]`.
/// Indexes are 1-based, as a person counts `[[custom]]` blocks or list entries.
struct ConfigKeyPath: Hashable {
    enum Segment: Hashable {
        case key(String)
        case index(Int)
    }

    var segments: [Segment] = []

    static let root = ConfigKeyPath()

    func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(segments: segments + [.key(key)])
    }

    func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(segments: segments + [.index(index)])
    }

    var parent: ConfigKeyPath? {
        segments.isEmpty ? nil : ConfigKeyPath(segments: Array(segments.dropLast()))
    }

    var isRoot: Bool { segments.isEmpty }

    /// The last key name in the path.
    var lastKey: String? {
        for segment in segments.reversed() { if case .key(let key) = segment { return key } }
        return nil
    }

    /// The path as a person would write it: keys joined by dots, quoted when they need it.
    var display: String {
        var out = ""
        for segment in segments {
            switch segment {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += ConfigKeyPath.displayKey(key)
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }

    /// The table header this path is under, e.g. `[intention]` or `[[custom]]`.
    var tableName: String {
        if isRoot { return "the top level" }
        if case .index = segments.last, let key = lastKey { return "[[\(ConfigKeyPath.displayKey(key))]]" }
        return "[\(display)]"
    }

    static func displayKey(_ key: String) -> String {
        let bare =
            !key.isEmpty
            && key.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == 0x2D || $0 == 0x5F
            }
        return bare ? key : quoted(key)
    }
}

// MARK: - Finding lines

/// Where each key and table header was written, found by scanning the TOML text.
///
/// It follows table headers (`[a.b]`, and `[[array]]` with a 1-based index per block),
/// dotted and quoted keys, and skips over values, including multi-line strings and
/// arrays, so text inside a string is never mistaken for a key. Each path maps to the
/// line where it first appears.
struct ConfigSourceMap {
    private(set) var lines: [String: Int] = [:]

    init(_ text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.run(into: &lines)
    }

    /// The line for a path, else for its nearest enclosing key or table that was written
    /// down, else nil.
    func line(for path: ConfigKeyPath) -> Int? {
        var current: ConfigKeyPath? = path
        while let candidate = current, !candidate.isRoot {
            if let line = lines[candidate.display] { return line }
            current = candidate.parent
        }
        return nil
    }

    private struct Scanner {
        let bytes: [UInt8]
        var pos = 0
        var line = 1
        /// How many `[[name]]` blocks have been seen, by the display of their (resolved) path.
        var arrayCounts: [String: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { pos >= bytes.count }
        var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }
        func peek(_ offset: Int) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }

        mutating func run(into lines: inout [String: Int]) {
            var context = ConfigKeyPath.root
            while !atEnd {
                skipBlankAndComments()
                guard let c = current else { break }
                let startLine = line
                if c == UInt8(ascii: "[") {
                    let isArray = peek(1) == UInt8(ascii: "[")
                    pos += isArray ? 2 : 1
                    let keys = parseKeys()
                    if !keys.isEmpty {
                        context = resolveHeader(keys, isArray: isArray)
                        // `[[name]]` is also where `name` itself is first written.
                        if isArray, let parent = context.parent { record(parent, startLine, into: &lines) }
                        record(context, startLine, into: &lines)
                    }
                    skipRestOfLine()
                } else {
                    let keys = parseKeys()
                    if !keys.isEmpty, current == UInt8(ascii: "=") {
                        pos += 1
                        var path = context
                        for key in keys {
                            path = path.appending(key)
                            record(path, startLine, into: &lines)
                        }
                        skipValue()
                    } else {
                        skipRestOfLine()
                    }
                }
            }
        }

        func record(_ path: ConfigKeyPath, _ line: Int, into lines: inout [String: Int]) {
            let key = path.display
            if lines[key] == nil { lines[key] = line }
        }

        /// Turns a header's keys into a path, adding the current index of each enclosing
        /// `[[array]]`, and counting this block when it is itself an array of tables.
        mutating func resolveHeader(_ keys: [String], isArray: Bool) -> ConfigKeyPath {
            var path = ConfigKeyPath.root
            for (i, key) in keys.enumerated() {
                path = path.appending(key)
                let isLast = i == keys.count - 1
                if isLast && isArray {
                    let count = (arrayCounts[path.display] ?? 0) + 1
                    arrayCounts[path.display] = count
                    path = path.appending(index: count)
                } else if let count = arrayCounts[path.display] {
                    path = path.appending(index: count)
                }
            }
            return path
        }

        mutating func skipBlankAndComments() {
            while let c = current {
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): pos += 1
                case UInt8(ascii: "\n"): pos += 1; line += 1
                case UInt8(ascii: "#"): skipComment()
                default: return
                }
            }
        }

        mutating func skipSpaces() {
            while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { pos += 1 }
        }

        mutating func skipComment() {
            while let c = current, c != UInt8(ascii: "\n") { pos += 1 }
        }

        mutating func skipRestOfLine() {
            while let c = current, c != UInt8(ascii: "\n") {
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    skipString()
                } else {
                    pos += 1
                }
            }
        }

        /// Parses `a.b."c d".'e'` up to `=`, `]` or the end of the line.
        mutating func parseKeys() -> [String] {
            var keys: [String] = []
            while true {
                skipSpaces()
                guard let c = current else { return keys }
                var key: String
                if c == UInt8(ascii: "\"") {
                    key = parseBasicKey()
                } else if c == UInt8(ascii: "'") {
                    pos += 1
                    let start = pos
                    while let d = current, d != UInt8(ascii: "'"), d != UInt8(ascii: "\n") { pos += 1 }
                    key = String(decoding: bytes[start..<pos], as: UTF8.self)
                    if current == UInt8(ascii: "'") { pos += 1 }
                } else {
                    let start = pos
                    while let d = current, !Scanner.endsBareKey(d) { pos += 1 }
                    if pos == start { return keys }
                    key = String(decoding: bytes[start..<pos], as: UTF8.self)
                }
                keys.append(key)
                skipSpaces()
                if current == UInt8(ascii: ".") {
                    pos += 1
                    continue
                }
                if current == UInt8(ascii: "]") {
                    pos += 1
                    if current == UInt8(ascii: "]") { pos += 1 }
                }
                return keys
            }
        }

        static func endsBareKey(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "="),
                UInt8(ascii: "."), UInt8(ascii: "]"), UInt8(ascii: "["), UInt8(ascii: "#"), UInt8(ascii: "\""),
                UInt8(ascii: "'"):
                true
            default: false
            }
        }

        /// Parses a `"basic"` key, decoding its escapes.
        mutating func parseBasicKey() -> String {
            pos += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while let c = current, c != UInt8(ascii: "\""), c != UInt8(ascii: "\n") {
                if c == UInt8(ascii: "\\"), let e = peek(1) {
                    flush()
                    pos += 2
                    switch e {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "e"): scalars.append("\u{1B}")
                    case UInt8(ascii: "u"), UInt8(ascii: "U"):
                        let width = e == UInt8(ascii: "u") ? 4 : 8
                        let end = min(pos + width, bytes.count)
                        let hex = String(decoding: bytes[pos..<end], as: UTF8.self)
                        if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                            scalars.append(scalar)
                        }
                        pos = end
                    default: scalars.append(Unicode.Scalar(e))
                    }
                } else {
                    raw.append(c)
                    pos += 1
                }
            }
            flush()
            if current == UInt8(ascii: "\"") { pos += 1 }
            return String(scalars)
        }

        /// Skips a string starting at the current quote, single- or multi-line.
        mutating func skipString() {
            guard let quote = current else { return }
            let multi = peek(1) == quote && peek(2) == quote
            pos += multi ? 3 : 1
            let escapes = quote == UInt8(ascii: "\"")
            while let c = current {
                if escapes && c == UInt8(ascii: "\\") {
                    if peek(1) == UInt8(ascii: "\n") { line += 1 }
                    pos += 2
                    continue
                }
                if c == UInt8(ascii: "\n") {
                    if !multi { return }
                    line += 1
                }
                if c == quote {
                    if !multi {
                        pos += 1
                        return
                    }
                    if peek(1) == quote && peek(2) == quote {
                        pos += 3
                        // A closing delimiter may carry up to two more quotes of content.
                        while current == quote { pos += 1 }
                        return
                    }
                }
                pos += 1
            }
        }

        /// Skips a value up to the end of its line, following arrays and inline tables
        /// across lines.
        mutating func skipValue() {
            var depth = 0
            while let c = current {
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    skipString()
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth = max(0, depth - 1)
                case UInt8(ascii: "#"):
                    skipComment()
                    continue
                case UInt8(ascii: "\n"):
                    if depth == 0 { return }
                    line += 1
                default:
                    break
                }
                pos += 1
            }
        }
    }
}

// MARK: - Collecting problems

final class Diagnostics {
    let file: String
    let map: ConfigSourceMap
    private(set) var errors: [ConfigError] = []

    init(file: String, map: ConfigSourceMap) {
        self.file = file
        self.map = map
    }

    func report(_ path: ConfigKeyPath, _ message: String) {
        errors.append(
            ConfigError(
                file: file, line: map.line(for: path), key: path.isRoot ? nil : path.display, message: message
            )
        )
    }

    func line(of path: ConfigKeyPath) -> Int? { map.line(for: path) }
}

// MARK: - Reading values

/// Describes a TOML value for "must be X, not Y" messages.
func describe(_ value: any TOMLValueConvertible) -> String {
    switch value.type {
    case .string: "the text " + quoted(value.string ?? "")
    case .int: "the number \(value.int ?? 0)"
    case .double: "the number \(value.double ?? 0)"
    case .bool: value.bool == true ? "true" : "false"
    case .array: "a list"
    case .table: "a table"
    case .date: "a date"
    case .time: "a time without quotes"
    case .dateTime: "a date and time"
    }
}

/// One TOML table being read: reports unknown keys up front, then hands out typed values.
struct TableReader {
    let table: TOMLTable
    let path: ConfigKeyPath
    let diagnostics: Diagnostics

    /// The longest list Kindling accepts anywhere.
    static let maximumListLength = 96
    /// The longest text value Kindling accepts.
    static let maximumTextLength = 1000

    /// Reports every key not in `knownKeys`; nil skips the check (the document root does
    /// its own, see ``ConfigReader/checkTopLevel(_:)``).
    init(_ table: TOMLTable, at path: ConfigKeyPath, knownKeys: [String]?, diagnostics: Diagnostics) {
        self.table = table
        self.path = path
        self.diagnostics = diagnostics
        guard let knownKeys else { return }
        for key in table.keys where !knownKeys.contains(key) {
            var message = "is not a setting of \(path.tableName)"
            if key == "ask_mood", path.tableName == "[break]" {
                message += "; a break asks nothing back, not even how you feel, so remove it"
            } else if let near = closestMatch(to: key, among: knownKeys) {
                message += "; did you mean \"\(near)\"?"
            } else {
                message += "; it takes " + listed(knownKeys)
            }
            diagnostics.report(path.appending(key), message)
        }
    }

    func value(_ key: String) -> (any TOMLValueConvertible)? { table[key] }

    func wrongType(_ key: String, expected: String, found: any TOMLValueConvertible) {
        diagnostics.report(path.appending(key), "must be \(expected), not \(describe(found))")
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else {
            wrongType(key, expected: "true or false (without quotes)", found: value)
            return nil
        }
        return bool
    }

    /// A string value; reports wrong types, overlong text and invisible control characters.
    func string(_ key: String, expected: String, allowNewlines: Bool = false) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else {
            wrongType(key, expected: expected, found: value)
            return nil
        }
        return checkedText(string, at: path.appending(key), allowNewlines: allowNewlines)
    }

    func checkedText(_ text: String, at keyPath: ConfigKeyPath, allowNewlines: Bool) -> String? {
        if text.count > TableReader.maximumTextLength {
            diagnostics.report(
                keyPath, "is \(text.count) characters long; keep it under \(TableReader.maximumTextLength)"
            )
            return nil
        }
        if let bad = text.unicodeScalars.first(where: {
            $0.properties.generalCategory == .control && !(allowNewlines && ($0 == "\n" || $0 == "\t"))
        }) {
            let name = "\\u{" + String(bad.value, radix: 16, uppercase: true) + "}"
            diagnostics.report(keyPath, "\(quoted(text)) contains the control character \(name); remove it")
            return nil
        }
        return text
    }

    /// A string parsed by a value type; reports the value type's own message.
    func parsed<T>(
        _ key: String, expected: String, _ parse: (String) throws(ConfigValueError) -> T
    ) -> T? {
        guard let text = string(key, expected: expected) else { return nil }
        do {
            return try parse(text)
        } catch {
            diagnostics.report(path.appending(key), error.message)
            return nil
        }
    }

    /// Whether `command` splits into words (see ``CommandWords``); reports it when not.
    func commandWords(_ key: String, _ command: String) -> Bool {
        do {
            _ = try CommandWords.split(command)
            return true
        } catch {
            diagnostics.report(path.appending(key), error.message)
            return false
        }
    }

    static let timeExpected = "a time in quotes, like \"08:00\""

    /// A time of day: a string, or a TOML local time without fractions of a second.
    func timeOfDay(_ value: any TOMLValueConvertible, at keyPath: ConfigKeyPath, expected: String) -> TimeOfDay? {
        if let time = value.time {
            if time.nanoSecond == 0, let result = TimeOfDay(hour: time.hour, minute: time.minute, second: time.second) {
                return result
            }
            diagnostics.report(keyPath, "must be a whole second; write it in quotes as HH:MM, e.g. \"08:00\"")
            return nil
        }
        guard let text = value.string else {
            diagnostics.report(keyPath, "must be \(expected), not \(describe(value))")
            return nil
        }
        do {
            return try TimeOfDay(parsing: text)
        } catch {
            diagnostics.report(keyPath, error.message)
            return nil
        }
    }

    func timeOfDay(_ key: String) -> TimeOfDay? {
        guard let value = value(key) else { return nil }
        return timeOfDay(value, at: path.appending(key), expected: TableReader.timeExpected)
    }

    /// `at`: one time or a list of them, returned sorted.
    func times(_ key: String) -> [TimeOfDay]? {
        guard let value = value(key) else { return nil }
        let keyPath = path.appending(key)
        let expected = "a time like \"08:00\" or a list of times like [\"08:00\", \"13:00\"]"
        guard let array = value.array else {
            return timeOfDay(value, at: keyPath, expected: expected).map { [$0] }
        }
        guard !array.isEmpty else {
            diagnostics.report(
                keyPath, "is an empty list, so it would never come; give at least one time like \"08:00\", or use enabled = false"
            )
            return nil
        }
        guard array.count <= TableReader.maximumListLength else {
            diagnostics.report(
                keyPath, "lists \(array.count) times; at most \(TableReader.maximumListLength) are allowed"
            )
            return nil
        }
        var result: [TimeOfDay] = []
        var ok = true
        for index in 0..<array.count {
            let entryPath = keyPath.appending(index: index + 1)
            guard let time = timeOfDay(array[index], at: entryPath, expected: TableReader.timeExpected) else {
                ok = false
                continue
            }
            if result.contains(time) {
                diagnostics.report(entryPath, "\"\(time)\" is listed twice; list each time once")
                ok = false
                continue
            }
            result.append(time)
        }
        return ok ? result.sorted() : nil
    }

    /// `days`: `"daily"`, `"weekdays"`, `"weekends"` or a list of day names.
    func days(_ key: String) -> DaySet? {
        guard let value = value(key) else { return nil }
        let keyPath = path.appending(key)
        let expected = "\"daily\", \"weekdays\", \"weekends\" or a list of days like [\"mon\", \"thu\"]"
        do {
            if let text = value.string { return try DaySet(parsing: text) }
            guard let array = value.array else {
                diagnostics.report(keyPath, "must be \(expected), not \(describe(value))")
                return nil
            }
            guard array.count <= TableReader.maximumListLength else {
                diagnostics.report(
                    keyPath, "lists \(array.count) days; there are only 7, so list each at most once"
                )
                return nil
            }
            var names: [String] = []
            for index in 0..<array.count {
                guard let name = array[index].string else {
                    diagnostics.report(
                        keyPath.appending(index: index + 1),
                        "must be a day in quotes, like \"mon\", not \(describe(array[index]))"
                    )
                    return nil
                }
                names.append(name)
            }
            return try DaySet(parsingList: names)
        } catch {
            diagnostics.report(keyPath, error.message)
            return nil
        }
    }

    func duration(_ key: String) -> ConfigDuration? {
        if let number = value(key)?.int {
            diagnostics.report(
                path.appending(key),
                "must be a duration in quotes with a unit, like \"\(max(number, 1))m\" for minutes, not the number \(number)"
            )
            return nil
        }
        return parsed(key, expected: "a duration in quotes, like \"10m\"") { text throws(ConfigValueError) in
            try ConfigDuration(parsing: text)
        }
    }

    func window(_ key: String) -> TimeWindow? {
        parsed(key, expected: "a time window in quotes, like \"09:00-17:00\"") { text throws(ConfigValueError) in
            try TimeWindow(parsing: text)
        }
    }

    /// `answer_until` / `valid_for`: at most one of them.
    func validity() -> SlotValidity? {
        let until = timeOfDay("answer_until")
        let duration = duration("valid_for")
        if value("answer_until") != nil && value("valid_for") != nil {
            diagnostics.report(
                path.appending("valid_for"),
                "set either answer_until (a time of day) or valid_for (a duration), not both; remove one"
            )
            return nil
        }
        if let until { return .until(until) }
        if let duration { return .for(duration) }
        if value("answer_until") != nil || value("valid_for") != nil { return nil }
        return .slotDefault
    }
}

/// `a, b and c` (or `a, b or c`).
func listed(_ items: [String], conjunction: String = "and") -> String {
    switch items.count {
    case 0: ""
    case 1: items[0]
    default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }
}

// MARK: - Reading the document

struct ConfigReader {
    let diagnostics: Diagnostics

    static let commonKeys = ["enabled", "builtin_prompts", "answer_until", "valid_for"]
    static let rootKeys = ["timezone", "quiet_hours", "affirmations", "streaks"]
    static let tables = ["intention", "nudge", "reflection", "review", "break", "program", "delivery", "calendar"]
    static let arrays = ["prompt", "custom"]
    static let intentionKeys = ["at", "days", "ask_mood"] + commonKeys
    static let nudgeKeys = ["window", "ask_mood"] + commonKeys
    static let reflectionKeys = ["at", "days", "ask_mood"] + commonKeys
    static let reviewKeys = ["at", "ask_mood"] + commonKeys
    static let breakKeys = ["every", "during", "days", "after_events", "min_gap"] + commonKeys
    static let calendarKeys = ["path", "hold"]
    static let programKeys = ["name", "start", "skip"]
    static let deliveryKeys = [
        "desktop", "terminal", "command", "respond_command", "snooze", "discreet", "keep_in_history",
    ]
    static let promptKeys = ["slot", "text"]
    static let customKeys = ["name", "at", "days", "text", "ask_mood"] + commonKeys

    static let maximumPrompts = 1000
    static let maximumCustoms = 96

    func read(_ document: TOMLTable, base: Configuration) -> Configuration {
        var config = base
        config.prompts = []
        config.customs = []
        checkTopLevel(document)
        let root = TableReader(document, at: .root, knownKeys: nil, diagnostics: diagnostics)

        if let zone = root.string("timezone", expected: "text in quotes, like \"local\" or \"America/Chicago\"") {
            if let setting = timeZone(zone, at: ConfigKeyPath.root.appending("timezone")) {
                config.timezone = setting
            }
        }
        if let quiet = root.string("quiet_hours", expected: "a time window in quotes, like \"22:00-07:00\", or \"\"") {
            if quiet.trimmingCharacters(in: .whitespaces).isEmpty {
                config.quietHours = nil
            } else {
                do {
                    config.quietHours = try TimeWindow(parsing: quiet)
                } catch {
                    diagnostics.report(ConfigKeyPath.root.appending("quiet_hours"), error.message + "; or \"\" for none")
                }
            }
        }
        if let on = root.bool("affirmations") { config.affirmations = on }
        if let streaks = root.bool("streaks") { config.streaks = streaks }

        if let t = table(document, "intention", knownKeys: ConfigReader.intentionKeys) {
            readCommon(t, into: &config.intention)
            if let at = t.times("at") { config.intention.at = at }
            if let days = t.days("days") { config.intention.days = days }
            if let ask = t.bool("ask_mood") { config.intention.askMood = ask }
        }
        if let t = table(document, "nudge", knownKeys: ConfigReader.nudgeKeys) {
            readCommon(t, into: &config.nudge)
            if let window = t.window("window") { config.nudge.window = window }
            if let ask = t.bool("ask_mood") { config.nudge.askMood = ask }
        }
        if let t = table(document, "reflection", knownKeys: ConfigReader.reflectionKeys) {
            readCommon(t, into: &config.reflection)
            if let at = t.times("at") { config.reflection.at = at }
            if let days = t.days("days") { config.reflection.days = days }
            if let ask = t.bool("ask_mood") { config.reflection.askMood = ask }
        }
        if let t = table(document, "review", knownKeys: ConfigReader.reviewKeys) {
            readCommon(t, into: &config.review)
            if let at = t.parsed(
                "at", expected: "a day and a time in quotes, like \"sun 19:00\"",
                {
                    text throws(ConfigValueError) in try WeeklyTime(parsing: text)
                })
            {
                config.review.at = at
            }
            if let ask = t.bool("ask_mood") { config.review.askMood = ask }
        }
        if let t = table(document, "break", knownKeys: ConfigReader.breakKeys) {
            readCommon(t, into: &config.breaks)
            if let every = t.duration(
                "every", atLeast: ConfigIntervalLimits.breakEvery, "so a break comes at most every five minutes")
            {
                config.breaks.every = every
            }
            if let during = t.window("during") { config.breaks.during = during }
            if let days = t.days("days") { config.breaks.days = days }
            if let after = t.bool("after_events") { config.breaks.afterEvents = after }
            if let gap = t.duration("min_gap") { config.breaks.minGap = gap }
            if config.breaks.every.seconds >= config.breaks.during.lengthInSeconds,
                t.value("every") != nil || t.value("during") != nil
            {
                diagnostics.report(
                    t.path.appending(t.value("every") != nil ? "every" : "during"),
                    "a break every \(config.breaks.every) would never come inside \(config.breaks.during); make every shorter than the window"
                )
            }
        }
        if let t = table(document, "program", knownKeys: ConfigReader.programKeys) {
            readProgram(t, into: &config.program)
        }
        if let t = table(document, "delivery", knownKeys: ConfigReader.deliveryKeys) {
            readDelivery(t, into: &config.delivery)
        }
        if let t = table(document, "calendar", knownKeys: ConfigReader.calendarKeys) {
            if let path = t.string("path", expected: "a file or folder in quotes, or \"\" for none") {
                config.calendar.path = path.trimmingCharacters(in: .whitespaces).isEmpty ? nil : path
            }
            if let hold = t.bool("hold") { config.calendar.hold = hold }
        }

        let customs = readCustoms(document)
        config.customs = customs.slots
        config.prompts = readPrompts(document, slotNames: Configuration.builtinSlotNames + customs.rawNames)
        checkPromptSources(config)
        checkPromptsPerDay(config)
        return config
    }

    // MARK: Structure

    /// Reports unknown top-level keys and tables, with a suggestion or a list of what is known.
    func checkTopLevel(_ document: TOMLTable) {
        let known = ConfigReader.rootKeys + ConfigReader.tables + ConfigReader.arrays
        let tableKeys: [(String, [String])] = [
            ("[intention]", ConfigReader.intentionKeys), ("[nudge]", ConfigReader.nudgeKeys),
            ("[reflection]", ConfigReader.reflectionKeys), ("[review]", ConfigReader.reviewKeys),
            ("[break]", ConfigReader.breakKeys), ("[program]", ConfigReader.programKeys),
            ("[delivery]", ConfigReader.deliveryKeys), ("[calendar]", ConfigReader.calendarKeys),
            ("[[prompt]]", ConfigReader.promptKeys),
            ("[[custom]]", ConfigReader.customKeys),
        ]
        for key in document.keys where !known.contains(key) {
            let path = ConfigKeyPath.root.appending(key)
            let isTable = document[key]?.table != nil
            let isArrayOfTables = document[key]?.array.map { !$0.isEmpty && $0[0].table != nil } ?? false
            if isTable || isArrayOfTables {
                var message = "is not a Kindling table"
                if let near = closestMatch(to: key, among: ConfigReader.tables + ConfigReader.arrays) {
                    let bracketed = ConfigReader.arrays.contains(near) ? "[[\(near)]]" : "[\(near)]"
                    message += "; did you mean \(bracketed)?"
                } else {
                    message +=
                        "; the tables are "
                        + listed(
                            ConfigReader.tables.map { "[\($0)]" } + ConfigReader.arrays.map { "[[\($0)]]" }
                        )
                }
                diagnostics.report(path, message)
            } else if let near = closestMatch(to: key, among: ConfigReader.rootKeys) {
                diagnostics.report(path, "is not a top-level setting; did you mean \"\(near)\"?")
            } else {
                let homes = tableKeys.filter { $0.1.contains(key) }.map(\.0)
                if homes.isEmpty {
                    diagnostics.report(
                        path,
                        "is not a setting; the top level takes timezone, quiet_hours, affirmations and streaks, and everything else goes in a table such as [intention]"
                    )
                } else {
                    diagnostics.report(
                        path,
                        "belongs inside a table, not at the top level; put it under \(listed(homes, conjunction: "or"))"
                    )
                }
            }
        }
    }

    /// A built-in table, or nil (with a report) when it is written as something else.
    func table(_ document: TOMLTable, _ name: String, knownKeys: [String]) -> TableReader? {
        guard let value = document[name] else { return nil }
        let path = ConfigKeyPath.root.appending(name)
        if let table = value.table {
            return TableReader(table, at: path, knownKeys: knownKeys, diagnostics: diagnostics)
        }
        if let array = value.array, !array.isEmpty, array[0].table != nil {
            diagnostics.report(path, "write [\(name)] with single brackets: there is only one \(name) table")
        } else {
            diagnostics.report(
                path, "must be a table, not \(describe(value)): write [\(name)] on a line of its own, with its settings below it"
            )
        }
        return nil
    }

    /// The tables of a `[[name]]` array, or [] (with a report) when it is written as something else.
    func arrayOfTables(_ document: TOMLTable, _ name: String, limit: Int) -> [TOMLTable] {
        let each = name == "custom" ? "custom slot" : name
        guard let value = document[name] else { return [] }
        let path = ConfigKeyPath.root.appending(name)
        guard let array = value.array else {
            if value.table != nil {
                diagnostics.report(path, "write [[\(name)]] with double brackets, one block for each \(each)")
            } else {
                diagnostics.report(path, "must be written as [[\(name)]] blocks, not \(describe(value))")
            }
            return []
        }
        guard array.count <= limit else {
            diagnostics.report(path, "has \(array.count) [[\(name)]] blocks; at most \(limit) are allowed")
            return []
        }
        var tables: [TOMLTable] = []
        for index in 0..<array.count {
            guard let table = array[index].table else {
                diagnostics.report(
                    path.appending(index: index + 1), "must be a [[\(name)]] table, not \(describe(array[index]))"
                )
                return []
            }
            tables.append(table)
        }
        return tables
    }

    // MARK: Slots

    func readCommon<Slot: MutableSlotSettings>(_ t: TableReader, into slot: inout Slot) {
        if let enabled = t.bool("enabled") { slot.enabled = enabled }
        if let builtin = t.bool("builtin_prompts") { slot.builtinPrompts = builtin }
        if let validity = t.validity() { slot.validity = validity }
    }

    struct Customs {
        var slots: [CustomSlot] = []
        /// Every name written, valid or not, so that prompts naming them do not pile up errors.
        var rawNames: [String] = []
    }

    func readCustoms(_ document: TOMLTable) -> Customs {
        var result = Customs()
        var seen: [String: Int] = [:]  // name → 1-based index of the first block using it
        let tables = arrayOfTables(document, "custom", limit: ConfigReader.maximumCustoms)
        for (offset, table) in tables.enumerated() {
            let index = offset + 1
            let path = ConfigKeyPath.root.appending("custom").appending(index: index)
            let t = TableReader(table, at: path, knownKeys: ConfigReader.customKeys, diagnostics: diagnostics)
            var ok = true

            var name = ""
            if let written = t.string("name", expected: "a name in quotes, like \"water\"") {
                result.rawNames.append(written)
                if let problem = ConfigReader.customNameProblem(written) {
                    diagnostics.report(path.appending("name"), problem)
                    ok = false
                } else if let first = seen[written] {
                    let firstLine = diagnostics.line(of: ConfigKeyPath.root.appending("custom").appending(index: first))
                    let where_ = firstLine.map { " (line \($0))" } ?? ""
                    diagnostics.report(
                        path.appending("name"),
                        "\(quoted(written)) is already the name of custom[\(first)]\(where_); give each custom slot its own name"
                    )
                    ok = false
                } else {
                    seen[written] = index
                    name = written
                }
            } else {
                if t.value("name") == nil {
                    diagnostics.report(path.appending("name"), "is missing; give the slot a short name, e.g. name = \"water\"")
                }
                ok = false
            }

            var at: [TimeOfDay] = []
            if let times = t.times("at") {
                at = times
            } else {
                if t.value("at") == nil {
                    diagnostics.report(
                        path.appending("at"), "is missing; say when it comes, e.g. at = \"10:30\" or at = [\"10:30\", \"15:30\"]")
                }
                ok = false
            }

            var slot = CustomSlot(name: name, at: at, text: nil)
            readCommon(t, into: &slot)
            if let ask = t.bool("ask_mood") { slot.askMood = ask }
            if let days = t.days("days") { slot.days = days }

            if let text = t.string("text", expected: "text in quotes", allowNewlines: true) {
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    diagnostics.report(path.appending("text"), "is empty; write the reminder you would like to see")
                    ok = false
                } else if !slot.builtinPrompts {
                    diagnostics.report(
                        path.appending("text"),
                        "is not used because builtin_prompts = false; remove text, or remove builtin_prompts = false"
                    )
                    ok = false
                } else {
                    slot.text = text
                }
            } else if t.value("text") == nil, slot.builtinPrompts {
                diagnostics.report(
                    path.appending("text"),
                    "is missing; write the reminder you would like to see, e.g. text = \"A glass of water is a small kindness.\""
                )
                ok = false
            } else if t.value("text") != nil {
                ok = false
            }
            if ok { result.slots.append(slot) }
        }
        return result
    }

    /// Why a custom slot name cannot be used, or nil when it is fine.
    static func customNameProblem(_ name: String) -> String? {
        if name.isEmpty {
            return "is empty; give the slot a short name, e.g. \"water\""
        }
        if Configuration.builtinSlotNames.contains(name) {
            return "\(quoted(name)) is a built-in slot; pick another name, or change [\(name)] itself"
        }
        if name.unicodeScalars.count > 32 {
            return "\(quoted(name)) is longer than 32 characters; pick a short name, e.g. \"water\""
        }
        let allowed = name.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
        }
        if !allowed {
            let lower = name.lowercased()
            if lower != name, customNameProblem(lower) == nil {
                return "\(quoted(name)) must be lowercase; write \"\(lower)\""
            }
            return
                "\(quoted(name)) may use only lowercase letters a-z, digits, \"-\" and \"_\", e.g. \"water\" or \"stretch-break\""
        }
        return nil
    }

    func readPrompts(_ document: TOMLTable, slotNames: [String]) -> [UserPrompt] {
        var prompts: [UserPrompt] = []
        for (offset, table) in arrayOfTables(document, "prompt", limit: ConfigReader.maximumPrompts).enumerated() {
            let path = ConfigKeyPath.root.appending("prompt").appending(index: offset + 1)
            let t = TableReader(table, at: path, knownKeys: ConfigReader.promptKeys, diagnostics: diagnostics)
            let slot = t.string("slot", expected: "a slot name in quotes, like \"intention\"")
            if let slot, !slotNames.contains(slot) {
                var message = "\(quoted(slot)) is not a slot"
                if let near = closestMatch(to: slot, among: slotNames) {
                    message += "; did you mean \"\(near)\"?"
                } else {
                    message += "; the slots are " + listed(slotNames.map { "\"\($0)\"" })
                }
                diagnostics.report(path.appending("slot"), message)
            } else if slot == nil, t.value("slot") == nil {
                diagnostics.report(
                    path.appending("slot"), "is missing; say which slot the prompt belongs to, e.g. slot = \"intention\""
                )
            }
            let text = t.string("text", expected: "text in quotes", allowNewlines: true)
            if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diagnostics.report(path.appending("text"), "is empty; write the question or reminder you would like to see")
            } else if text == nil, t.value("text") == nil {
                diagnostics.report(path.appending("text"), "is missing; write the question or reminder you would like to see")
            } else if let slot, let text, slotNames.contains(slot) {
                prompts.append(UserPrompt(slot: slot, text: text))
            }
        }
        return prompts
    }

    /// An enabled slot with `builtin_prompts = false` needs at least one `[[prompt]]`.
    func checkPromptSources(_ config: Configuration) {
        let builtins: [any SlotSettings] = [
            config.intention, config.nudge, config.reflection, config.review, config.breaks,
        ]
        for slot in builtins {
            guard slot.enabled, !slot.builtinPrompts, config.userPrompts(forSlot: slot.name).isEmpty else { continue }
            diagnostics.report(
                ConfigKeyPath.root.appending(slot.name).appending("builtin_prompts"),
                "is false, but no [[prompt]] has slot = \"\(slot.name)\", so there would be nothing to ask; add one, or remove this line"
            )
        }
        for (offset, slot) in config.customs.enumerated() {
            guard slot.enabled, !slot.builtinPrompts, config.userPrompts(forSlot: slot.name).isEmpty else { continue }
            diagnostics.report(
                ConfigKeyPath.root.appending("custom").appending(index: offset + 1).appending("builtin_prompts"),
                "is false, but no [[prompt]] has slot = \"\(slot.name)\", so there would be nothing to show; add one, or remove this line"
            )
        }
    }

    // MARK: Time zone, program, delivery

    func timeZone(_ text: String, at path: ConfigKeyPath) -> TimeZoneSetting? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "local" { return .local }
        let howTo = "use \"local\" or a zone name like \"America/Chicago\""
        if trimmed.isEmpty {
            diagnostics.report(path, "is empty; \(howTo)")
            return nil
        }
        // Zone names are short ASCII paths; anything else never reaches the zoneinfo lookup.
        let plausible =
            trimmed.utf8.count <= 64 && !trimmed.contains("..") && !trimmed.hasPrefix("/")
            && trimmed.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == 0x2F || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B
            }
        if plausible, TimeZone(identifier: trimmed) != nil {
            return .named(trimmed)
        }
        let known = plausible ? TimeZone.knownTimeZoneIdentifiers : []
        let suggestion =
            known.first { $0.lowercased() == trimmed.lowercased() }
            ?? closestMatch(to: trimmed, among: known)
        let advice = suggestion.map { "did you mean \"\($0)\"?" } ?? howTo
        diagnostics.report(path, "\(quoted(text)) is not a time zone this system knows; \(advice)")
        return nil
    }

    func readProgram(_ t: TableReader, into program: inout ProgramSettings) {
        let names = ProgramChoice.allCases.map(\.rawValue)
        if let name = t.string("name", expected: "a program name in quotes, like \"widening-circle\"") {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            if names.contains(trimmed) {
                program.name = ProgramChoice(rawValue: trimmed)
            } else if ProgramFile.nameProblem(trimmed) == nil, closestMatch(to: trimmed, among: names) == nil {
                // A program the person added (kindling program add); the daemon finds its file.
                program.name = ProgramChoice(rawValue: trimmed)
            } else {
                var message =
                    "\(quoted(name)) is not a program; use "
                    + listed(names.map { "\"\($0)\"" }, conjunction: "or")
                    + " or the name of one you added"
                if let near = closestMatch(to: name, among: names) { message += "; did you mean \"\(near)\"?" }
                t.diagnostics.report(t.path.appending("name"), message)
            }
        }
        if let value = t.value("start") {
            let path = t.path.appending("start")
            if let date = value.date {
                if let result = ConfigDate(year: date.year, month: date.month, day: date.day) {
                    program.start = result
                } else {
                    t.diagnostics.report(path, "must be a date from 1970 on, written \"YYYY-MM-DD\"")
                }
            } else if let text = t.string("start", expected: "a date in quotes, like \"2025-03-01\", or \"\"") {
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    program.start = nil
                } else {
                    do {
                        program.start = try ConfigDate(parsing: text)
                    } catch {
                        t.diagnostics.report(path, error.message + "; or \"\" to start on the first day")
                    }
                }
            }
        }
        if let value = t.value("skip") {
            let path = t.path.appending("skip")
            guard let array = value.array else {
                t.wrongType("skip", expected: "a list of numbers, like [2] or []", found: value)
                return
            }
            guard array.count <= TableReader.maximumListLength else {
                t.diagnostics.report(path, "lists \(array.count) numbers; at most \(TableReader.maximumListLength) are allowed")
                return
            }
            let choice = program.name
            var skip = Set<Int>()
            var skipDays = Set<Int>()
            for index in 0..<array.count {
                let entryPath = path.appending(index: index + 1)
                if choice == .none {
                    t.diagnostics.report(
                        path, "lists \(describe(array[index])), but name = \"none\" has nothing to skip; use skip = []")
                    return
                }
                if !choice.isBuiltIn {
                    // An added program's length is known only once its file is read: steps by number.
                    guard let number = array[index].int, number >= 1 else {
                        t.diagnostics.report(
                            entryPath, "an added program's steps are left out by number, e.g. skip = [2]")
                        return
                    }
                    skip.insert(number)
                    continue
                }
                if let text = array[index].string, !text.allSatisfy({ $0.isNumber || $0 == " " }) {
                    switch ProgramSkip.parse(text, program: choice) {
                    case .success(.step(let number)): skip.insert(number)
                    case .success(.day(let number)): skipDays.insert(number)
                    case .failure(let error):
                        t.diagnostics.report(entryPath, error.message)
                        return
                    }
                    continue
                }
                guard let number = array[index].int else {
                    t.diagnostics.report(
                        entryPath,
                        "must be a whole number without quotes, or a day such as \"day 10\", not \(describe(array[index]))")
                    return
                }
                guard (1...choice.length).contains(number) else {
                    t.diagnostics.report(
                        entryPath,
                        "\(number) is not a \(choice.unit) of \(choice.rawValue); use 1 to \(choice.length)"
                    )
                    return
                }
                skip.insert(number)
            }
            var settings = program
            settings.skip = skip.sorted()
            settings.skipDays = skipDays.sorted()
            if choice.isBuiltIn, ProgramEngine.programDays(settings).isEmpty {
                t.diagnostics.report(
                    path,
                    "skips every \(skip.count == choice.length ? choice.unit : "day") of \(choice.rawValue); to go without a program, set name = \"none\""
                )
                return
            }
            program = settings
        }
    }

    func readDelivery(_ t: TableReader, into delivery: inout DeliverySettings) {
        if let desktop = t.bool("desktop") { delivery.desktop = desktop }
        if let terminal = t.bool("terminal") { delivery.terminal = terminal }
        if let discretion = readDiscreet(t) { delivery.discretion = discretion }
        if let keep = t.bool("keep_in_history") { delivery.keepInHistory = keep }
        if let snooze = t.duration("snooze") { delivery.snooze = snooze }
        if let command = t.string("command", expected: "a command in quotes, or \"\" for none"),
            !command.trimmingCharacters(in: .whitespaces).isEmpty, t.commandWords("command", command)
        {
            delivery.command = command
        }
        if let respond = t.string("respond_command", expected: "\"auto\", a command in quotes, or \"\" for none") {
            let trimmed = respond.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                delivery.respondCommand = .disabled
            } else if trimmed == "auto" {
                delivery.respondCommand = .auto
            } else if t.commandWords("respond_command", respond) {
                delivery.respondCommand = .command(respond)
            }
        }
    }
}

extension ConfigReader {
    static let discreetExpected = "true, false, \"when-locked\", or a table like { desktop = \"when-locked\", hook = true }"

    /// `discreet`: one setting for every channel, or a table with one for each.
    func readDiscreet(_ t: TableReader) -> DiscreetSettings? {
        guard let value = t.value("discreet") else { return nil }
        let path = t.path.appending("discreet")
        if let table = value.table {
            let channels = DiscreetSettings.Channel.allCases.map(\.rawValue)
            let inner = TableReader(table, at: path, knownKeys: channels, diagnostics: diagnostics)
            var settings = DiscreetSettings()
            for channel in DiscreetSettings.Channel.allCases {
                guard let value = inner.value(channel.rawValue) else { continue }
                guard
                    let discretion = discretion(
                        value, at: path.appending(channel.rawValue), expected: "true, false or \"when-locked\"")
                else { return nil }
                settings[channel] = discretion
            }
            return settings
        }
        return discretion(value, at: path, expected: Self.discreetExpected).map { DiscreetSettings(all: $0) }
    }

    private func discretion(_ value: any TOMLValueConvertible, at path: ConfigKeyPath, expected: String) -> Discretion? {
        if let bool = value.bool { return bool ? .always : .never }
        if let text = value.string, let discretion = Discretion(rawValue: text), discretion == .whenLocked {
            return discretion
        }
        if let text = value.string, text.lowercased().filter(\.isLetter) == "whenlocked" {
            diagnostics.report(path, "write \"when-locked\" (lowercase, with a hyphen), not \(quoted(text))")
            return nil
        }
        diagnostics.report(path, "must be \(expected), not \(describe(value))")
        return nil
    }
}

/// The common slot keys, settable (the built-in and custom slot types all conform).
protocol MutableSlotSettings: SlotSettings {
    var enabled: Bool { get set }
    var builtinPrompts: Bool { get set }
    var validity: SlotValidity { get set }
}

extension IntentionSlot: MutableSlotSettings {}
extension NudgeSlot: MutableSlotSettings {}
extension ReflectionSlot: MutableSlotSettings {}
extension ReviewSlot: MutableSlotSettings {}
extension BreakSlot: MutableSlotSettings {}
extension CustomSlot: MutableSlotSettings {}
