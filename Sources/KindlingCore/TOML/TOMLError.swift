/// A place in a TOML document: 1-based line, and 1-based column counted in Unicode scalars.
public struct TOMLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: TOMLPosition, rhs: TOMLPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "line \(line), column \(column)" }
}

/// Why a document is not TOML 1.0, and where the reader stopped.
///
/// The message is one plain line saying what is wrong and, where it helps, how to fix it; the
/// caller adds the file name.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let position: TOMLPosition

    public init(_ message: String, at position: TOMLPosition) {
        self.message = message
        self.position = position
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    public var description: String { "\(position): \(message)" }
}
