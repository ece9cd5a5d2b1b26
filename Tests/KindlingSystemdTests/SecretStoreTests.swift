import Dispatch
import Foundation
import KeyringFixture
import Testing

@testable import KindlingSystemd

/// ``SecretStore`` against a real gnome-keyring on a private session bus.
@Suite(.serialized) struct SecretStoreTests {
    static let attributes = ["application": "kindling-test", "purpose": "journal-key"]

    @Test func aStoredSecretIsFoundAgainAndReplacedInPlace() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let client = try Client(keyring)

        let key = Self.randomKey()
        #expect(client.store(key) == .stored)
        #expect(client.lookup() == .found(key))

        let newer = Self.randomKey()
        #expect(client.store(newer) == .stored)
        #expect(client.lookup() == .found(newer), "storing again replaces the item")
        #expect(client.delete() == .deleted)
        #expect(client.lookup() == .notFound, "replace=true left no second item behind")
    }

    @Test func unknownAttributesAreNotFound() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let client = try Client(keyring)
        #expect(client.store(Self.randomKey()) == .stored)
        let other = ["application": "kindling-test", "purpose": "something-else"]
        #expect(client.lookup(other) == .notFound)
        #expect(client.delete(other) == .notFound)
    }

    @Test func aRestartedKeyringStillHasTheSecret() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let client = try Client(keyring)
        let key = Self.randomKey()
        #expect(client.store(key) == .stored)

        keyring.stopKeyring()
        if case .unavailable(let reason) = client.lookup() {
            #expect(reason.contains("no Secret Service"), "\(reason)")
        } else {
            Issue.record("with gnome-keyring gone, the lookup should say the service is unavailable")
        }
        try keyring.startKeyring()
        // The same store, whose session died with the first gnome-keyring.
        #expect(client.lookup() == .found(key), "\(keyring.keyringLog)")
        #expect(client.store(key) == .stored)
    }

    @Test func aLockedKeyringIsReportedWithoutPromptingAndUnlockingIsSeen() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let client = try Client(keyring)
        let key = Self.randomKey()
        #expect(client.store(key) == .stored)
        try keyring.startMonitor()
        // Storing changed the collection too: only the locking's signals may count below.
        client.drainChanges()

        try client.person.lock(PrivateKeyring.login)
        #expect(client.changes.wait(timeout: .now() + 10) == .success, "locking the collection calls onChange")
        #expect(client.lookup() == .locked)
        #expect(client.store(Self.randomKey()) == .locked)
        #expect(client.delete() == .locked)
        #expect(client.lookup() == .locked, "the refused store and delete changed nothing")
        // A locked keyring cannot say an item is absent: "not found" would have the daemon make
        // a second key.
        #expect(client.lookup(["application": "kindling-test", "purpose": "never-stored"]) == .locked)

        // Calls were seen (the monitor works), and not one of them asked for a prompt: neither
        // the Secret Service's Unlock (which answers with a prompt) or Prompt method, nor
        // gnome-keyring's prompter.
        let seen = keyring.monitorLog
        #expect(seen.contains("member=SearchItems") && seen.contains("member=CreateItem"))
        let prompts = seen.split(separator: "\n").filter {
            $0.hasSuffix("member=Unlock") || $0.hasSuffix("member=Prompt") || $0.contains("Prompter")
        }
        #expect(prompts.isEmpty, "\(prompts)")

        client.drainChanges()
        try client.person.unlock(PrivateKeyring.login, password: PrivateKeyring.password)
        #expect(client.changes.wait(timeout: .now() + 10) == .success, "unlocking the collection calls onChange")
        #expect(client.lookup() == .found(key))
        #expect(client.store(key) == .stored)
    }

    /// A session gnome-keyring does not know (as after it restarted unseen) is answered with
    /// NoSession: the store opens another and the call succeeds.
    @Test func aSessionTheServiceNoLongerKnowsIsOpenedAgain() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let client = try Client(keyring)
        let key = Self.randomKey()
        #expect(client.store(key) == .stored)
        try keyring.startMonitor()
        let forgotten = "/org/freedesktop/secrets/session/forgotten"

        client.queue.sync { client.store.session = forgotten }
        #expect(client.lookup() == .found(key))
        client.queue.sync { client.store.session = forgotten }
        #expect(client.store(key) == .stored)
        #expect(client.queue.sync { client.store.session } != forgotten)
        let refusals = keyring.monitorLog.components(separatedBy: "error_name=org.freedesktop.Secret.Error.NoSession").count - 1
        #expect(refusals == 2, "gnome-keyring refused the forgotten session for GetSecrets and for CreateItem")
    }

    @Test func withoutASecretServiceEveryCallSaysSoUntilOneAppears() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        let client = try Client(keyring)
        for result in [client.lookup().reason, client.store(Self.randomKey()).reason, client.delete().reason] {
            #expect(result?.contains("no Secret Service on the session bus") == true, "\(result ?? "no reason")")
            #expect(result?.contains("\n") == false, "one line")
        }
        try keyring.startKeyring()
        #expect(client.changes.wait(timeout: .now() + 10) == .success, "a Secret Service appearing calls onChange")
        let key = Self.randomKey()
        #expect(client.store(key) == .stored)
        #expect(client.lookup() == .found(key))
    }

    @Test func withoutADefaultCollectionNothingIsStoredAndNothingFound() throws {
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        // Not unlocked on its first start: gnome-keyring makes no login keyring.
        try keyring.startKeyring(unlock: false)
        let client = try Client(keyring)
        let stored = client.store(Self.randomKey())
        #expect(stored.reason?.contains("no default collection") == true, "\(stored)")
        #expect(client.lookup() == .notFound)
    }

    static func randomKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// A ``SecretStore`` on its own connection to the private bus, called synchronously, and a
/// second connection standing in for the person's keyring manager.
private final class Client: @unchecked Sendable {
    let queue = DispatchQueue(label: "secret-store-test")
    let bus: BusConnection
    let store: SecretStore
    let person: KeyringManager
    let changes = DispatchSemaphore(value: 0)

    init(_ keyring: PrivateKeyring) throws {
        let queue = queue
        let changes = changes
        (bus, store) = try queue.sync {
            let bus = try BusConnection(address: keyring.busAddress, description: "secret-store-test", queue: queue)
            let store = SecretStore(bus: bus, timeout: 10)
            store.onChange = { changes.signal() }
            return (bus, store)
        }
        person = try KeyringManager(address: keyring.busAddress)
    }

    deinit {
        queue.sync { bus.close() }
    }

    func lookup(_ attributes: [String: String] = SecretStoreTests.attributes) -> SecretStore.Lookup {
        wait(or: .unavailable(Self.noAnswer)) { done in self.store.lookup(attributes: attributes, completion: done) }
    }

    func store(_ secret: [UInt8]) -> SecretStore.StoreResult {
        wait(or: .unavailable(Self.noAnswer)) { done in
            self.store.store(
                label: "Kindling test key", attributes: SecretStoreTests.attributes, secret: secret, completion: done)
        }
    }

    func delete(_ attributes: [String: String] = SecretStoreTests.attributes) -> SecretStore.DeleteResult {
        wait(or: .unavailable(Self.noAnswer)) { done in self.store.delete(attributes: attributes, completion: done) }
    }

    /// What a call that never completes reads as: a test failure, whatever it expected.
    static let noAnswer = "test: no completion within 30 s"

    func drainChanges() {
        while changes.wait(timeout: .now() + 0.5) == .success {}
    }

    private func wait<T>(or timedOut: T, _ call: @escaping (@escaping (T) -> Void) -> Void) -> T {
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: T?
        // The call returns at once; its completion comes later, on the queue.
        queue.sync {
            call { result in
                answer = result
                answered.signal()
            }
        }
        guard answered.wait(timeout: .now() + 30) == .success else { return timedOut }
        return queue.sync { answer } ?? timedOut
    }
}

/// Locks and unlocks collections the way a keyring manager would, on a connection of its own.
/// Unlocking without a prompt uses gnome-keyring's own interface for that (as libsecret's tests do).
private final class KeyringManager: @unchecked Sendable {
    let queue = DispatchQueue(label: "keyring-manager")
    let bus: BusConnection

    init(address: String) throws {
        let queue = queue
        bus = try queue.sync { try BusConnection(address: address, description: "keyring-manager", queue: queue) }
    }

    deinit {
        queue.sync { bus.close() }
    }

    func lock(_ collection: String) throws {
        try call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock") { $0.append(objectPaths: [collection]) }
    }

    func unlock(_ collection: String, password: String) throws {
        nonisolated(unsafe) var session = ""
        try call(
            "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession",
            { writer in
                writer.append("plain")
                writer.append(.string(""))
            }
        ) { reply in
            reply.skip("v")
            session = reply.string("o") ?? ""
        }
        // Read after the reply was handled: `call` has waited for it.
        try call(
            "/org/freedesktop/secrets", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "UnlockWithMasterPassword"
        ) { writer in
            writer.append(objectPath: collection)
            writer.appendSecret(session: session, value: Array(password.utf8), contentType: "text/plain")
        }
    }

    private func call(
        _ path: String, _ interface: String, _ member: String, _ arguments: (BusMessageWriter) -> Void,
        read: @escaping (BusMessageReader) -> Void = { _ in }
    ) throws {
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: BusError?
        queue.sync {
            bus.call(
                destination: "org.freedesktop.secrets", path: path, interface: interface, member: member, arguments: arguments
            ) { reply in
                switch reply {
                case .success(let message): read(message)
                case .failure(let error): failure = error
                }
                answered.signal()
            }
        }
        guard answered.wait(timeout: .now() + 30) == .success else { throw KeyringSetupError("\(member): no answer") }
        if let failure = queue.sync(execute: { failure }) { throw failure }
    }
}

extension SecretStore.Lookup {
    var reason: String? {
        if case .unavailable(let reason) = self { reason } else { nil }
    }
}

extension SecretStore.StoreResult {
    var reason: String? {
        if case .unavailable(let reason) = self { reason } else { nil }
    }
}

extension SecretStore.DeleteResult {
    var reason: String? {
        if case .unavailable(let reason) = self { reason } else { nil }
    }
}
