#if canImport(Glibc)
    import Glibc
#endif

// The Secret Service's names, its secret struct on the wire, and what its errors mean.

extension SecretStore {
    static let service = "org.freedesktop.secrets"
    static let servicePath = "/org/freedesktop/secrets"
    static let serviceInterface = "org.freedesktop.Secret.Service"
    static let collectionInterface = "org.freedesktop.Secret.Collection"
    static let itemInterface = "org.freedesktop.Secret.Item"
    static let promptInterface = "org.freedesktop.Secret.Prompt"
    /// The collection new items go to (gnome-keyring's "login" keyring, KeePassXC's
    /// database shared with the Secret Service).
    static let defaultCollection = "/org/freedesktop/secrets/aliases/default"
    /// What the API returns for "no object": no prompt needed, no item created.
    static let none = "/"

    /// Why a call did not do its work.
    enum Failure: Error, Equatable {
        /// The session is unknown to the service (it restarted, or it closed the session):
        /// open another and try once more.
        case noSession
        case locked
        /// The object called does not exist: for the default collection, there is none.
        case noSuchObject
        case unavailable(String)

        /// The reason in one line, for ``Failure/unavailable(_:)`` and its kin.
        var reason: String {
            switch self {
            case .noSession: "the Secret Service forgot its session twice in a row"
            case .locked: "the keyring is locked"
            case .noSuchObject: "the keyring has no default collection; create or choose one in the keyring's manager"
            case .unavailable(let reason): reason
            }
        }
    }

    /// What an error reply means here.
    static func failure(_ error: BusError) -> Failure {
        switch error.name {
        case "org.freedesktop.Secret.Error.NoSession":
            return .noSession
        case "org.freedesktop.Secret.Error.IsLocked":
            return .locked
        case "org.freedesktop.Secret.Error.NoSuchObject", "org.freedesktop.DBus.Error.UnknownObject",
            "org.freedesktop.DBus.Error.UnknownMethod":
            // gnome-keyring answers UnknownMethod for an alias that names no collection.
            return .noSuchObject
        case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
            return .unavailable(
                "no Secret Service on the session bus (\(service)); gnome-keyring, KeePassXC or KWallet provides one")
        case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout", "org.freedesktop.DBus.Error.TimedOut":
            return .unavailable("the Secret Service did not answer (\(error.message))")
        case "org.freedesktop.DBus.Error.Disconnected":
            return .unavailable("the session bus connection is closed")
        default:
            return .unavailable("the Secret Service refused: \(error.name): \(error.message)")
        }
    }
}

/// A secret as the Secret Service sends it (`(oayays)`): the session it is encoded for, the
/// algorithm's parameters (none for `plain`), the value and its content type.
struct WireSecret {
    var session: String
    var parameters: [UInt8]
    var value: [UInt8]
    var contentType: String

    /// Overwrites the value in place, so that the copy this struct holds does not outlive its
    /// use. (explicit_bzero: a plain loop over memory about to be freed may be optimised away.
    /// A buffer shared with another array is copied first, and the other keeps its bytes.)
    mutating func erase() {
        value.withUnsafeMutableBytes { bytes in
            if let start = bytes.baseAddress { explicit_bzero(start, bytes.count) }
        }
    }
}

extension BusMessageReader {
    /// The next argument as `GetSecrets`' answer (`a{o(oayays)}`): each item's secret.
    func secretsByItem() -> [String: WireSecret]? {
        inContainer("a", "{o(oayays)}") {
            var result: [String: WireSecret] = [:]
            while let entry: (String, WireSecret) = inContainer("e", "o(oayays)", { readItemSecret() }) {
                result[entry.0] = entry.1
            }
            return result
        }
    }

    private func readItemSecret() -> (String, WireSecret)? {
        guard let item = string("o") else { return nil }
        let secret: WireSecret? = inContainer("r", "oayays") {
            guard let session = string("o"), let parameters = bytes(), let value = bytes(), let type = string() else {
                return nil
            }
            return WireSecret(session: session, parameters: parameters, value: value, contentType: type)
        }
        return secret.map { (item, $0) }
    }
}

extension BusMessageWriter {
    /// Appends a Secret Service secret (`(oayays)`) for a `plain` session: no parameters.
    public func appendSecret(session: String, value: [UInt8], contentType: String = "application/octet-stream") {
        appendStruct("oayays") {
            append(objectPath: session)
            append(bytes: [])
            append(bytes: value)
            append(contentType)
        }
    }
}
