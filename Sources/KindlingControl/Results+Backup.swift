/// Results of the commands that copy the journal: backup, restore, export, import.
/// JSON keys are the snake_case of these names; optional values are written as `null`, never left out.

/// The result of `backup`: where the copy was written.
public struct BackupResult: Codable, Equatable, Sendable {
    /// The copy's absolute path.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

/// The result of `restore`.
public struct RestoreResult: Codable, Equatable, Sendable {
    /// The journal file now in use (the restored copy).
    public var path: String
    /// The snapshot of the journal as it was before the restore; null when there was none to keep.
    public var previousSnapshot: String?

    public init(path: String, previousSnapshot: String?) {
        self.path = path
        self.previousSnapshot = previousSnapshot
    }

    private enum CodingKeys: String, CodingKey {
        case path, previousSnapshot
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(previousSnapshot, forKey: .previousSnapshot)
    }
}

// MARK: - Export and import

/// The result of `export`, and the first line of an export file (JSON Lines):
/// `{"exported_at":"...","kindling_export":1,"version":"0.1.0"}`. After the response line, the daemon
/// sends one ``ExportEntry`` a line, then one ``ExportEnd``.
public struct ExportHeader: Codable, Equatable, Sendable {
    /// The export format's version.
    public var kindlingExport: Int
    /// The Kindling that wrote it.
    public var version: String
    public var exportedAt: String

    public static let formatVersion = 1

    public init(version: String, exportedAt: String) {
        self.kindlingExport = Self.formatVersion
        self.version = version
        self.exportedAt = exportedAt
    }
}

/// One entry of an export (an answer or a note), with everything needed to bring it back.
public struct ExportEntry: Codable, Equatable, Sendable {
    /// "answer" or "note".
    public var type: String
    /// The entry's id in the journal it came from (informational: an import gives new ids).
    public var id: Int64?
    /// When it was written, ISO 8601 with milliseconds.
    public var at: String
    /// The person's local date it belongs to, YYYY-MM-DD.
    public var localDate: String
    public var text: String
    /// Answers: the prompt's slot and text, when known.
    public var slot: String?
    public var prompt: String?
    /// Notes: "given", "received", or null.
    public var kind: String?
    /// Answers: 1 to 5, when given.
    public var mood: Int?
    public var energy: Int?
    /// Answers: where it was written ("cli", "desktop", "terminal", "import").
    public var channel: String?
    public var editedAt: String?

    public init(
        type: String, id: Int64? = nil, at: String, localDate: String, text: String, slot: String? = nil, prompt: String? = nil,
        kind: String? = nil, mood: Int? = nil, energy: Int? = nil, channel: String? = nil, editedAt: String? = nil
    ) {
        self.type = type
        self.id = id
        self.at = at
        self.localDate = localDate
        self.text = text
        self.slot = slot
        self.prompt = prompt
        self.kind = kind
        self.mood = mood
        self.energy = energy
        self.channel = channel
        self.editedAt = editedAt
    }

    private enum CodingKeys: String, CodingKey {
        case type, id, at, localDate, text, slot, prompt, kind, mood, energy, channel, editedAt
    }

    /// Every key written, null included: each line of a file has the same columns.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(at, forKey: .at)
        try c.encode(localDate, forKey: .localDate)
        try c.encode(text, forKey: .text)
        try c.encode(slot, forKey: .slot)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(kind, forKey: .kind)
        try c.encode(mood, forKey: .mood)
        try c.encode(energy, forKey: .energy)
        try c.encode(channel, forKey: .channel)
        try c.encode(editedAt, forKey: .editedAt)
    }
}

/// The last line of an export stream: `{"count":N,"end":true,"error":null}`. With an error, the
/// export stopped early and is incomplete.
public struct ExportEnd: Codable, Equatable, Sendable {
    public var end: Bool
    public var count: Int
    public var error: String?

    public init(count: Int, error: String? = nil) {
        self.end = true
        self.count = count
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case end, count, error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(end, forKey: .end)
        try c.encode(count, forKey: .count)
        try c.encode(error, forKey: .error)
    }
}

/// A line of an export stream after the response: an entry, or the end.
public enum ExportLine: Decodable, Equatable, Sendable {
    case entry(ExportEntry)
    case end(ExportEnd)

    private enum Probe: String, CodingKey {
        case end
    }

    public init(from decoder: any Decoder) throws {
        if try decoder.container(keyedBy: Probe.self).contains(.end) {
            self = .end(try ExportEnd(from: decoder))
        } else {
            self = .entry(try ExportEntry(from: decoder))
        }
    }
}

/// The result of `import`: entries saved, and entries the journal already had.
public struct ImportResult: Codable, Equatable, Sendable {
    public var added: Int
    public var skipped: Int

    public init(added: Int, skipped: Int) {
        self.added = added
        self.skipped = skipped
    }
}
