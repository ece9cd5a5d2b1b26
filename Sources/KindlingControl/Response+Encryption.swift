extension StatusResult {
    /// How the journal is kept at rest (for `status` and `kindling doctor`); null from a daemon
    /// that does not say.
    public struct EncryptionStatus: Codable, Equatable, Sendable {
        /// "encrypted", "plaintext", or "locked" (encrypted, and its key is not at hand yet:
        /// prompts wait until it is).
        public var journal: String
        /// Where the key is kept: "keyring" (the Secret Service) or "passphrase"; null when
        /// plaintext, or when a locked journal's key is still being looked for.
        public var key: String?
        /// What the daemon is waiting for, or why the journal is plaintext, in one line.
        public var detail: String?
        /// SQLCipher's version, as the daemon's library reports it.
        public var cipher: String

        public init(journal: String, key: String?, detail: String?, cipher: String) {
            self.journal = journal
            self.key = key
            self.detail = detail
            self.cipher = cipher
        }

        /// As the synthesized encoding writes it (sorted keys; nil values left out).
        func appendJSON(to out: inout [UInt8]) {
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("cipher", first: true, to: &out)
            JSONText.appendString(cipher, to: &out)
            if let detail {
                JSONText.appendKey("detail", to: &out)
                JSONText.appendString(detail, to: &out)
            }
            JSONText.appendKey("journal", to: &out)
            JSONText.appendString(journal, to: &out)
            if let key {
                JSONText.appendKey("key", to: &out)
                JSONText.appendString(key, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }

        init?(json: JSONValue) {
            guard let journal = json["journal"]?.string, let cipher = json["cipher"]?.string,
                let key = StatusResult.optional(json["key"], \.string),
                let detail = StatusResult.optional(json["detail"], \.string)
            else { return nil }
            self.init(journal: journal, key: key, detail: detail, cipher: cipher)
        }
    }
}
