/// The verbs that encrypt the journal at rest, take the encryption off, and give the key of a
/// passphrase-protected journal.
extension Request {
    /// Encrypts the plaintext journal and its snapshots in place. Without `passphrase`, the key is
    /// a random one kept in the person's keyring (the freedesktop Secret Service); with it, the
    /// key comes from the passphrase. A journal encrypted already is refused (changing its key
    /// is not offered yet).
    public struct Encrypt: ControlVerb {
        public typealias Result = EncryptionResult
        public static let wireName = "encrypt"
        public var passphrase: String?

        public init(passphrase: String? = nil) {
            self.passphrase = passphrase
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            let passphrase = try arguments.string("passphrase")
            if passphrase?.isEmpty == true { throw ControlError(.badRequest, "\"passphrase\" must not be empty") }
            self.init(passphrase: passphrase)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("passphrase", passphrase)
        }
    }

    /// Rewrites the journal and its snapshots in plaintext, and forgets the key.
    public struct Decrypt: ControlVerb {
        public typealias Result = EncryptionResult
        public static let wireName = "decrypt"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Gives the passphrase of a journal encrypted with one, once per boot: the daemon derives
    /// the key, opens the journal, and keeps the key in the kernel's user keyring until the
    /// person's last session ends.
    public struct Unlock: ControlVerb {
        public typealias Result = EncryptionResult
        public static let wireName = "unlock"
        public var passphrase: String

        public init(passphrase: String) {
            self.passphrase = passphrase
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            guard let passphrase = try arguments.string("passphrase"), !passphrase.isEmpty else {
                throw ControlError(.badRequest, "unlock needs the \"passphrase\"")
            }
            self.init(passphrase: passphrase)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("passphrase", passphrase)
        }
    }
}
