/// The result of `encrypt`, `decrypt` and `unlock`: how the journal is kept now.
public struct EncryptionResult: Codable, Equatable, Sendable {
    /// The journal's absolute path.
    public var path: String
    /// "encrypted" or "plaintext".
    public var journal: String
    /// Where the key is kept: "keyring" (the Secret Service) or "passphrase"; null when plaintext.
    public var key: String?
    /// How many snapshots were rewritten with the journal (0 for `unlock`).
    public var snapshots: Int
    /// Snapshots that could not be encrypted with the journal, left in plaintext (the daemon
    /// tries them again at each start); empty when all followed.
    public var unconverted: [String]

    public init(path: String, journal: String, key: String?, snapshots: Int, unconverted: [String] = []) {
        self.path = path
        self.journal = journal
        self.key = key
        self.snapshots = snapshots
        self.unconverted = unconverted
    }

    private enum CodingKeys: String, CodingKey {
        case path, journal, key, snapshots, unconverted
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(journal, forKey: .journal)
        try c.encode(key, forKey: .key)
        try c.encode(snapshots, forKey: .snapshots)
        try c.encode(unconverted, forKey: .unconverted)
    }
}
