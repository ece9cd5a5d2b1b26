// From the bytes of a config or program file to a TOML document with the position of every key
// and value, or the one problem that stops it being read: too large, not UTF-8, a NUL, a
// shape no setting needs (ConfigShapeGuard), or not TOML (the project's own reader, TOML/).
import Foundation

/// Reads the bytes of a config or program file into a document, refusing in one ``ConfigError``.
enum ConfigDocument {
    /// The UTF-8 byte-order mark, which may begin a file (once).
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The document in `bytes`, with the positions its messages need.
    ///
    /// - Parameters:
    ///   - maximumSize: the largest file accepted, in bytes; `tooLarge` says so when it is passed.
    static func read(
        _ bytes: [UInt8], file: String, maximumSize: Int, tooLarge: String
    ) -> Result<(TOMLMap, ConfigPositions), ConfigError> {
        guard bytes.count <= maximumSize else { return .failure(ConfigError(file: file, message: tooLarge)) }
        let text: String
        do throws(ConfigError) {
            text = try decodeUTF8(bytes, file: file)
        } catch {
            return .failure(error)
        }
        // One byte-order mark may start the file; the reader skips it too (and only it), so a
        // second one is refused there.
        let body = bytes.starts(with: byteOrderMark) ? bytes[3...] : bytes[...]

        // The reader would refuse a NUL as a control character; say what it means instead.
        if let nul = body.firstIndex(of: 0) {
            let line = body[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(
                ConfigError(
                    file: file, line: line,
                    message: "the file contains a NUL character, so it is not a text file; remove it and try again"))
        }

        // Shapes no Kindling setting needs, refused with their own words (ConfigShapeGuard.swift).
        var shaped = text
        if shaped.unicodeScalars.first == "\u{FEFF}" { shaped.unicodeScalars.removeFirst() }
        if let bad = ConfigShapeGuard.firstProblem(in: shaped) {
            return .failure(ConfigError(file: file, line: bad.line, column: bad.column, message: bad.message))
        }

        do throws(TOMLError) {
            let document = try TOMLParser.parse(bytes: bytes)
            return .success((document, ConfigPositions(document)))
        } catch {
            return .failure(syntaxError(error, text: text, file: file))
        }
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

    /// The reader's refusal as a person sees it: where, what, and a likely fix when the line
    /// shows a common slip.
    static func syntaxError(_ error: TOMLError, text: String, file: String) -> ConfigError {
        var message = "this is not valid TOML: " + error.message
        if error.message.contains("is already defined as") || error.message.contains("is defined twice") {
            message += "; each key and table may appear only once"
        }
        let source = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(error.line - 1).first
        if let source {
            message += syntaxHint(for: String(source))
        }
        return ConfigError(file: file, line: error.line, column: error.column, message: message)
    }

    /// A likely fix for a common slip on the line a syntax error points at: a time,
    /// duration or name without quotes, or yes/no for a boolean.
    static func syntaxHint(for line: String) -> String {
        guard let equals = line.firstIndex(of: "=") else { return "" }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        var rest = line[line.index(after: equals)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let value = rest.trimmingCharacters(in: .whitespacesAndNewlines)
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
}
