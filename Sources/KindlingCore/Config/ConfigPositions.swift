// Where each key and value of a document was written, from the TOML reader's own positions,
// and the list of problems found in it, each with its file, line and key.

/// The line of any key, table or list entry of a document, by its path.
///
/// The TOML reader keeps the position of every key and value, so nothing here scans the text:
/// a key's line is where its name is written (for a table, its header), and an entry of a list
/// or a `[[block]]` is where that entry starts. A line is looked up only when a problem is
/// reported, by walking the document along the path.
struct ConfigPositions {
    let document: TOMLMap

    init(_ document: TOMLMap) {
        self.document = document
    }

    /// The line for a path, else for its nearest enclosing key, entry or table that was
    /// written down, else nil (the whole document, or nothing written at all).
    func line(for path: ConfigKeyPath) -> Int? {
        walk(path).line
    }

    /// The line where exactly this path is written, or nil when it is not.
    func writtenLine(of path: ConfigKeyPath) -> Int? {
        let found = walk(path)
        return found.exact ? found.line : nil
    }

    /// The line of the deepest part of `path` that is written, and whether that is all of it.
    private func walk(_ path: ConfigKeyPath) -> (line: Int?, exact: Bool) {
        var value = TOMLNodeValue.table(document)
        var line: Int?
        for segment in path.segments {
            switch (segment, value) {
            case (.key(let key), .table(let table)):
                guard let entry = table[key] else { return (line, false) }
                line = entry.keyPosition.line
                value = entry.value
            case (.index(let index), .array(let elements)) where index >= 1 && index <= elements.count:
                line = elements[index - 1].position.line
                value = elements[index - 1].value
            default: return (line, false)
            }
        }
        return (line, !path.isRoot)
    }
}

/// The problems found in one document, each placed by ``ConfigPositions``.
final class Diagnostics {
    let file: String
    let positions: ConfigPositions
    private(set) var errors: [ConfigError] = []

    init(file: String, positions: ConfigPositions) {
        self.file = file
        self.positions = positions
    }

    func report(_ path: ConfigKeyPath, _ message: String) {
        errors.append(
            ConfigError(
                file: file, line: positions.line(for: path), key: path.isRoot ? nil : path.display, message: message
            )
        )
    }

    func line(of path: ConfigKeyPath) -> Int? { positions.line(for: path) }

    /// The problems in line order (those without a line last), at most `limit`.
    func sorted(limit: Int) -> [ConfigError] {
        let sorted = errors.enumerated()
            .sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }
            .map(\.element)
        return Array(sorted.prefix(limit))
    }
}
