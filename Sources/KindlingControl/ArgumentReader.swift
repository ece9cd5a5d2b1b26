/// A request's arguments as the daemon received them, with one clear `bad_request` per
/// missing or malformed value. Absent and `null` read alike.
public struct ArgumentReader {
    let object: [String: JSONValue]
    /// The "entries" list as the parser read it, when it was one (see ``JSONParser/importEntries``).
    let importEntries: [ExportEntry?]?

    init(_ object: [String: JSONValue], importEntries: [ExportEntry?]? = nil) {
        self.object = object
        self.importEntries = importEntries
    }

    func string(_ key: String) throws(ControlError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.string else { throw ControlError(.badRequest, "\"\(key)\" must be a string") }
        return text
    }

    func bool(_ key: String) throws(ControlError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw ControlError(.badRequest, "\"\(key)\" must be true or false") }
        return flag
    }

    /// Whether `key` is exactly `true`: for the arguments no other value may stand in for.
    func isTrue(_ key: String) -> Bool {
        object[key]?.bool == true
    }

    func int64(_ key: String) throws(ControlError) -> Int64? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.integer else { throw ControlError(.badRequest, "\"\(key)\" must be an integer") }
        return number
    }

    func int(_ key: String) throws(ControlError) -> Int? {
        try int64(key).map { value throws(ControlError) in
            guard let small = Int(exactly: value) else { throw ControlError(.badRequest, "\"\(key)\" is out of range") }
            return small
        }
    }

    /// A list of integers (empty when absent), at most 10,000 of them.
    func int64List(_ key: String) throws(ControlError) -> [Int64] {
        guard let value = object[key], !value.isNull else { return [] }
        guard case .array(let items) = value, items.count <= 10_000 else {
            throw ControlError(.badRequest, "\"\(key)\" must be a list of at most 10000 integers")
        }
        var out: [Int64] = []
        for item in items {
            guard let number = item.integer else { throw ControlError(.badRequest, "\"\(key)\" must hold integers only") }
            out.append(number)
        }
        return out
    }

    /// The exported entries under `key`, each one whole or the batch refused.
    func exportEntries(_ key: String, verb: String) throws(ControlError) -> [ExportEntry] {
        guard case .array(let list) = object[key] else {
            throw ControlError(.badRequest, "\(verb) needs a list of \"\(key)\"")
        }
        let items = importEntries ?? list.map(ExportEntry.init(json:))
        var entries: [ExportEntry] = []
        entries.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let entry = item else {
                throw ControlError(.badRequest, "entry \(index + 1) of the batch is not an exported entry")
            }
            entries.append(entry)
        }
        return entries
    }

    /// An absolute path under `key`, or `message` as the refusal.
    func absolutePath(_ key: String, else message: String) throws(ControlError) -> String {
        guard let path = try string(key), path.hasPrefix("/") else { throw ControlError(.badRequest, message) }
        return path
    }

    /// A non-empty string under `key`, or `message` as the refusal.
    func name(_ key: String, else message: String) throws(ControlError) -> String {
        guard let name = try string(key), !name.isEmpty else { throw ControlError(.badRequest, message) }
        return name
    }

    /// An entry id, which `verb` cannot do without.
    func entryID(_ verb: String) throws(ControlError) -> Int64 {
        guard let id = try int64("entry_id") else { throw ControlError(.badRequest, "\(verb) needs an \"entry_id\"") }
        return id
    }
}
