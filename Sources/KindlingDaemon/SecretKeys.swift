import Dispatch
import KindlingStore
import KindlingSystemd
import Logging

/// The journal's key in the person's keyring, through the freedesktop Secret Service
/// (gnome-keyring, KeePassXC, KWallet): one item, found by the journal's path. It has a
/// session-bus connection of its own, opened when first needed, since the Secret Service's
/// `plain` session belongs to the connection that opened it. The daemon never prompts: a
/// locked keyring is reported, and ``onChange`` says when it may have been unlocked.
final class SecretKeys {
    /// What looking up the key found.
    enum Found {
        case key(JournalKey)
        case notFound
        case locked
        case unavailable(String)
    }

    private let journalPath: String
    private let environment: [String: String]
    private let queue: DispatchQueue
    private let log: Logger
    private var bus: BusConnection?
    private var store: SecretStore?
    private var startsService = true

    /// Called when the keyring may have changed (unlocked, started, items changed).
    var onChange: (() -> Void)?

    init(journalPath: String, environment: [String: String], queue: DispatchQueue, log: Logger) {
        self.journalPath = journalPath
        self.environment = environment
        self.queue = queue
        self.log = log
    }

    /// What an item is found by; what keyring managers show beside its label. Each key has an
    /// id of its own (Kindling's keyring mark beside the journal names it), so that a new key
    /// never replaces one that copies of an older journal may still need; nil (a journal
    /// without its mark) finds any key kept for this journal's path.
    func attributes(keyID: String?) -> [String: String] {
        var attributes = ["application": "kindling", "kindling-journal": journalPath]
        if let keyID { attributes["kindling-key"] = keyID }
        return attributes
    }

    /// A new key's id: 16 random hex digits.
    static func newKeyID() -> String {
        (0..<8).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }

    /// The store, connecting first if needed. `startsService` false: a Secret Service that is
    /// not running is not started by D-Bus activation (the quiet probe of a new install).
    private enum Connected {
        case store(SecretStore)
        case failure(String)
    }

    private func connected(startsService: Bool) -> Connected {
        if let store, let bus, bus.isOpen, self.startsService == startsService { return .store(store) }
        close()
        guard let address = DesktopNotifier.sessionBusAddress(environment: environment) else {
            return .failure("there is no session bus (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set)")
        }
        do {
            let bus = try BusConnection(address: address, description: "kindlingd-keyring", queue: queue)
            bus.onDisconnect = { [weak self] in
                self?.log.notice("the session bus went away: the keyring is asked again on a new connection")
                self?.store = nil
                self?.bus = nil
            }
            let store = SecretStore(bus: bus, startsService: startsService)
            store.onChange = { [weak self] in self?.onChange?() }
            self.bus = bus
            self.store = store
            self.startsService = startsService
            return .store(store)
        } catch {
            return .failure("the session bus cannot be reached (\(error.description))")
        }
    }

    /// Looks the journal's key up. `completion` runs on the queue: later, or at once when
    /// there is no bus to ask.
    func lookUp(keyID: String?, startsService: Bool = true, completion: @escaping (Found) -> Void) {
        switch connected(startsService: startsService) {
        case .failure(let reason):
            completion(.unavailable(reason))
        case .store(let store):
            store.lookup(attributes: attributes(keyID: keyID)) { found in
                switch found {
                case .found(let bytes):
                    guard let key = JournalKey(bytes: bytes) else {
                        return completion(.unavailable("the keyring holds a key of \(bytes.count) bytes, not 32"))
                    }
                    completion(.key(key))
                case .notFound: completion(.notFound)
                case .locked: completion(.locked)
                case .unavailable(let reason): completion(.unavailable(reason))
                }
            }
        }
    }

    /// Keeps `key` in the keyring, then reads it back: a key is used only once the keyring is
    /// known to give it again. `completion` runs on the queue (later, or at once when there is
    /// no bus to ask) with why it could not be kept, or nil.
    func keep(_ key: JournalKey, id keyID: String, startsService: Bool = true, completion: @escaping (String?) -> Void) {
        switch connected(startsService: startsService) {
        case .failure(let reason):
            completion(reason)
        case .store(let store):
            store.store(label: "Kindling journal key", attributes: attributes(keyID: keyID), secret: key.bytes) {
                [self] (stored: SecretStore.StoreResult) in
                switch stored {
                case .locked: return completion("your keyring is locked")
                case .unavailable(let reason): return completion(reason)
                case .stored: break
                }
                lookUp(keyID: keyID, startsService: startsService) { found in
                    guard case .key(let readBack) = found, readBack == key else {
                        return completion("the keyring did not give the key back after keeping it")
                    }
                    completion(nil)
                }
            }
        }
    }

    /// Removes the key `keyID` from the keyring: only a key Kindling just made and never used
    /// (an encryption that failed or was overtaken). Best effort: what could not be removed is
    /// logged. A key that was used stays, for the copies made with it.
    func forget(keyID: String) {
        guard case .store(let store) = connected(startsService: false) else { return }
        store.delete(attributes: attributes(keyID: keyID)) { [log, journalPath] (result: SecretStore.DeleteResult) in
            switch result {
            case .deleted: log.info("removed the key of \(journalPath) from the keyring")
            case .notFound: break
            case .locked: log.notice("the keyring is locked: the journal's old key stays in it; remove it there if you like")
            case .unavailable(let reason): log.notice("the journal's old key could not be removed from the keyring: \(reason)")
            }
        }
    }

    /// Closes the connection (the daemon stops, or it is no longer needed).
    func close() {
        bus?.close()
        bus = nil
        store = nil
    }
}
