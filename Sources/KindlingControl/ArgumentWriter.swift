/// A verb's arguments on their way to the wire, each already written as JSON text; the
/// envelope sorts them with `v`, `id` and `cmd`. A list, not a dictionary: a short-lived CLI
/// pays for a dictionary type's first use.
public struct ArgumentWriter {
    /// Each argument's key and its value's JSON text.
    private(set) var members: [(key: String, json: [UInt8])] = []

    init() {}

    /// `key` with a string value; nil writes nothing.
    mutating func set(_ key: String, _ value: String?) {
        guard let value else { return }
        var json: [UInt8] = []
        JSONText.appendQuoted(value, to: &json)
        members.append((key, json))
    }

    /// `key` with an integer value; nil writes nothing.
    mutating func set<N: BinaryInteger>(_ key: String, _ value: N?) {
        guard let value else { return }
        members.append((key, Array(String(value).utf8)))
    }

    /// `key` set to `true` when `on`; false is the reader's default, so it is left out.
    mutating func flag(_ key: String, _ on: Bool) {
        if on { members.append((key, Array("true".utf8))) }
    }

    /// `key` with a value already written as JSON text (a list, an entry's own line).
    mutating func set(_ key: String, json: [UInt8]) {
        members.append((key, json))
    }
}
