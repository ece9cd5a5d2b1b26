// The error a person sees when their config file cannot be used.

/// A problem with a configuration file: where it is and what to do about it.
///
/// ``description`` is always a single line in the familiar compiler style,
/// `<file>:<line>: <key>: <message>`, e.g.
///
///     /home/a/.config/kindling/config.toml:5: intention.at: "25:00" is not a time of day; write it as HH:MM, e.g. "08:00"
///
/// Parts that are not known are left out.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the configuration came from, as it was given.
    public var file: String
    /// The 1-based line of the problem, when it could be found.
    public var line: Int?
    /// The 1-based column, known only for TOML syntax errors.
    public var column: Int?
    /// The key as written in the file, dotted, with 1-based indexes for `[[...]]` tables:
    /// `"intention.at"`, `"custom[2].at"`, `"prompt[1].slot"`. Nil for whole-file problems.
    public var key: String?
    /// What is wrong and how to fix it, in one sentence.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `<file>:<line>[:<column>]: <key>: <message>` on one line, leaving out missing parts.
    public var description: String {
        var location = ConfigError.oneLine(file)
        if let line {
            location += location.isEmpty ? "line \(line)" : ":\(line)"
            if let column { location += ":\(column)" }
        }
        let parts = [location, key.map(ConfigError.oneLine) ?? "", ConfigError.oneLine(message)]
        return parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// Replaces line breaks and other invisible characters so the text stays on one line.
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += " "
            default:
                if isInvisible(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
