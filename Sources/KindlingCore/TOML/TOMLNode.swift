/// A TOML value as read, with the position of its first character.
public struct TOMLNode: Equatable, Sendable {
    public let value: TOMLNodeValue
    /// Where the value starts; for a table, where its header or first key is.
    public let position: TOMLPosition

    public init(_ value: TOMLNodeValue, at position: TOMLPosition) {
        self.value = value
        self.position = position
    }
}

/// The value kinds of TOML 1.0. Date-times keep the form they were written in: an offset
/// date-time keeps its offset, and local forms stay local (no time zone is consulted).
public enum TOMLNodeValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case offsetDateTime(TOMLOffsetDateTime)
    case localDateTime(TOMLLocalDateTime)
    case localDate(TOMLLocalDate)
    case localTime(TOMLLocalTime)
    /// A static array (`[…]`) or an array of tables (`[[…]]`), whose elements are tables.
    case array([TOMLNode])
    case table(TOMLMap)

    /// The kind's name as TOML documents it, for messages ("expected a string, found an integer").
    public var kindName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .offsetDateTime: "offset date-time"
        case .localDateTime: "local date-time"
        case .localDate: "local date"
        case .localTime: "local time"
        case .array: "array"
        case .table: "table"
        }
    }

    /// The kind's name after "a" or "an".
    public var kindWithArticle: String {
        let name = kindName
        return (["a", "e", "i", "o", "u"].contains(name.first.map(String.init)) ? "an " : "a ") + name
    }
}

/// One key of a table, where the key was written, and its value.
public struct TOMLEntry: Equatable, Sendable {
    public let key: String
    /// Where this key (the segment that names it, in a dotted key) is written.
    public let keyPosition: TOMLPosition
    public let node: TOMLNode

    public var value: TOMLNodeValue { node.value }
}

/// A table's entries in the order they were first written.
///
/// Keys compare by their exact Unicode scalars, as TOML asks: `"é"` written precomposed and
/// decomposed are two keys.
public struct TOMLMap: Equatable, Sendable {
    public let entries: [TOMLEntry]
    private let index: [TOMLKeyBytes: Int]

    /// `index` maps each key to its offset in `entries`.
    init(entries: [TOMLEntry], index: [TOMLKeyBytes: Int]) {
        self.entries = entries
        self.index = index
    }

    /// The keys in written order.
    public var keys: [String] { entries.map(\.key) }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> TOMLEntry? {
        index[TOMLKeyBytes(key)].map { entries[$0] }
    }

    public static func == (lhs: TOMLMap, rhs: TOMLMap) -> Bool { lhs.entries == rhs.entries }
}

/// A key as its UTF-8 bytes, for lookups that compare exact scalars (String compares canonical
/// equivalents as equal) and hash the bytes in one pass.
struct TOMLKeyBytes: Hashable {
    let utf8: [UInt8]

    init(_ key: String) { utf8 = Array(key.utf8) }

    func hash(into hasher: inout Hasher) {
        utf8.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
