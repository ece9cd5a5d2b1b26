/// A table while the document is being read, with how it came to be: TOML's rules on
/// defining a table twice depend on that.
final class TOMLTableBuilder {
    enum Origin {
        /// Named only as the parent in a header (`a` of `[a.b]`): `[a]` may still define it.
        case implicit
        /// Defined by its own header, or the root: never again by a header or dotted key.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`): later dotted keys in the same table may
        /// add to it, headers may not define it.
        case dotted
    }

    /// A key's value while reading: an array of tables grows with each `[[…]]`, and a table
    /// header reaches into tables already made; everything else is finished when read.
    enum Slot {
        case value(TOMLNode)
        case table(TOMLTableBuilder)
        case tables([TOMLTableBuilder], TOMLPosition)
    }

    struct Entry {
        let key: String
        let keyPosition: TOMLPosition
        var slot: Slot
    }

    var origin: Origin
    var position: TOMLPosition
    let depth: Int
    private(set) var entries: [Entry] = []
    private var index: [TOMLKeyBytes: Int] = [:]

    init(origin: Origin, position: TOMLPosition, depth: Int) {
        self.origin = origin
        self.position = position
        self.depth = depth
    }

    func entry(_ key: String) -> Entry? {
        index[TOMLKeyBytes(key)].map { entries[$0] }
    }

    func add(_ key: TOMLKeySegment, _ slot: Slot) {
        index[TOMLKeyBytes(key.name)] = entries.count
        entries.append(Entry(key: key.name, keyPosition: key.position, slot: slot))
    }

    /// Adds one more table to the array of tables under `key`.
    func append(_ table: TOMLTableBuilder, to key: String) {
        guard let offset = index[TOMLKeyBytes(key)], case .tables(var tables, let position) = entries[offset].slot else {
            return
        }
        entries[offset].slot = .value(TOMLNode(.boolean(false), at: position))  // lets `tables` be uniquely held
        tables.append(table)
        entries[offset].slot = .tables(tables, position)
    }

    /// The finished table. Recursion is bounded by `TOMLParser.maximumDepth`.
    func build() -> TOMLMap {
        TOMLMap(
            entries: entries.map { entry in
                let node: TOMLNode
                switch entry.slot {
                case .value(let value): node = value
                case .table(let table): node = TOMLNode(.table(table.build()), at: table.position)
                case .tables(let tables, let position):
                    node = TOMLNode(
                        .array(tables.map { TOMLNode(.table($0.build()), at: $0.position) }), at: position)
                }
                return TOMLEntry(key: entry.key, keyPosition: entry.keyPosition, node: node)
            }, index: index)
    }
}

/// One part of a (possibly dotted) key.
struct TOMLKeySegment {
    let name: String
    let position: TOMLPosition
}
