/// Exported entries read straight from JSON text, without a JSONValue dictionary for each: an
/// import reads every line of the file once in the CLI and once more in the daemon. The outcome is
/// always the one ``ExportEntry/init(json:)`` gives for the same text (JSONParserEntryTests
/// compares them): unknown keys are read and dropped, the last of a repeated key wins.
extension ExportEntry {
    /// The entry on one export line; nil when the line is not JSON or not an entry.
    public static func parse(line: UnsafeBufferPointer<UInt8>) -> ExportEntry? {
        var parser = JSONParser(line)
        guard let entry = parser.exportEntry(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.atEnd ? entry : nil
    }

    /// An entry's members as read, before their types are checked.
    struct Fields {
        var type, id, at, localDate, text, slot, prompt, kind, mood, energy, channel, editedAt: JSONValue?

        init() {}

        init(_ o: [String: JSONValue]) {
            for (key, value) in o { set(key, value) }
        }

        mutating func set(_ key: String, _ value: JSONValue) {
            switch key {
            case "type": type = value
            case "id": id = value
            case "at": at = value
            case "local_date": localDate = value
            case "text": text = value
            case "slot": slot = value
            case "prompt": prompt = value
            case "kind": kind = value
            case "mood": mood = value
            case "energy": energy = value
            case "channel": channel = value
            case "edited_at": editedAt = value
            default: break
            }
        }
    }
}

extension JSONParser {
    /// One value that should be an entry, as ``value(depth:)`` reads it: nil when it is not valid
    /// JSON, `.some(nil)` when it is JSON but not an entry.
    mutating func exportEntry(depth: Int) -> ExportEntry?? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{"), depth < JSONValue.maxDepth else {
            return value(depth: depth).map { _ in nil }
        }
        var fields = ExportEntry.Fields()
        let valid = members { key, parser in
            guard let member = parser.value(depth: depth + 1) else { return false }
            fields.set(key, member)
            return true
        }
        return valid ? .some(ExportEntry(fields: fields)) : nil
    }

    /// A list of entries, the `[` at `index`, as ``value(depth:)`` would read the list.
    mutating func exportEntries(depth: Int) -> [ExportEntry?]? {
        guard depth < JSONValue.maxDepth else { return nil }
        var items: [ExportEntry?] = []
        let valid = elements { parser in
            guard let item = parser.exportEntry(depth: depth + 1) else { return false }
            items.append(item)
            return true
        }
        return valid ? items : nil
    }
}
