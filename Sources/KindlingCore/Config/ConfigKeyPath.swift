// A key's place in a config or program document, as messages name it.

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
