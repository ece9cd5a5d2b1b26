import Dispatch

/// Secrets kept in the person's keyring through the freedesktop Secret Service API
/// (`org.freedesktop.secrets`: gnome-keyring, KeePassXC, KWallet), over a ``BusConnection``
/// to the session bus. The daemon keeps its journal's data key there.
///
/// Secrets travel in a `plain` session: a message on the session bus is seen only by its two
/// ends and by a bus monitor, which needs the person's own uid (and with it the keyring
/// anyway). A session belongs to the connection that opened it; one the service no longer
/// knows (it restarted) is opened again and the call tried once more.
///
/// The store never unlocks anything and never shows a prompt: a keyring that would need
/// one is reported as locked, and ``onChange`` says when it may be worth asking again.
///
/// Create it and call it only on the bus's queue; completion handlers run there too
/// (before the method returns when the connection is already closed). A store belongs to
/// one connection: after a reconnect, make a new one.
public final class SecretStore: @unchecked Sendable {
    /// What ``lookup(attributes:completion:)`` found.
    public enum Lookup: Sendable, Equatable {
        /// The secret of the first unlocked item whose attributes match.
        case found([UInt8])
        /// No item matches, and the default collection is not locked.
        case notFound
        /// The matching items, or the collection they would be in, are locked.
        case locked
        /// No answer: no Secret Service, no bus, or an error, with the reason in one line.
        case unavailable(String)
    }

    /// What ``store(label:attributes:secret:completion:)`` did.
    public enum StoreResult: Sendable, Equatable {
        case stored
        /// The default collection is locked (the service would have had to prompt).
        case locked
        case unavailable(String)
    }

    /// What ``delete(attributes:completion:)`` did.
    public enum DeleteResult: Sendable, Equatable {
        /// Every matching item is gone.
        case deleted
        case notFound
        /// Some matching items are locked and were left as they are (the unlocked ones are gone).
        case locked
        case unavailable(String)
    }

    /// Called when the service's collections change (created, deleted, changed, locked or
    /// unlocked) or the service comes or goes, so that a daemon waiting for a locked keyring
    /// can try again without polling. Several signals in a row call it once.
    public var onChange: (() -> Void)?

    private let bus: BusConnection
    private let startsService: Bool
    private let timeout: Double
    /// The open session's object path (internal so that a test can make it one the service
    /// does not know).
    var session: String?
    /// Those waiting for the `OpenSession` in flight.
    private var sessionWaiters: [(Result<String, Failure>) -> Void] = []
    private var changePending = false

    /// A store on `bus`. With `startsService` false, a Secret Service that is not running is
    /// reported as unavailable instead of being started by D-Bus activation; `timeout` is
    /// each call's, in seconds. Must be called on the bus's queue.
    public init(bus: BusConnection, startsService: Bool = true, timeout: Double = 25) {
        dispatchPrecondition(condition: .onQueue(bus.queue))
        self.bus = bus
        self.startsService = startsService
        self.timeout = timeout
        subscribe()
    }

    // MARK: - The API

    /// Finds the secret of an item whose attributes include all of `attributes`.
    public func lookup(attributes: [String: String], completion: @escaping (Lookup) -> Void) {
        search(attributes) { found in
            switch found {
            case .failure(let failure):
                completion(failure == .locked ? .locked : .unavailable(failure.reason))
            case .success(let items) where !items.unlocked.isEmpty:
                self.readSecret(of: items.unlocked) { read in
                    switch read {
                    case .success(let secret): completion(.found(secret))
                    case .failure(.locked): completion(.locked)
                    case .failure(let failure): completion(.unavailable(failure.reason))
                    }
                }
            case .success(let items) where !items.locked.isEmpty:
                completion(.locked)
            case .success:
                // A service may hide a locked collection's items from a search: "not found"
                // there would have the daemon make a new key beside the one it cannot see.
                self.defaultCollectionIsLocked { locked in completion(locked ? .locked : .notFound) }
            }
        }
    }

    /// Stores `secret` as an item of the default collection, replacing the item whose
    /// attributes are exactly `attributes` if there is one. `label` is what keyring managers
    /// show. Never prompts: a collection that would need a prompt answers `.locked`.
    public func store(
        label: String, attributes: [String: String], secret: [UInt8], completion: @escaping (StoreResult) -> Void
    ) {
        inSession(
            { (session, done: @escaping (Result<Void, Failure>) -> Void) in
                self.call(
                    Self.defaultCollection, Self.collectionInterface, "CreateItem", sensitive: true,
                    arguments: { writer in
                        writer.append([
                            ("org.freedesktop.Secret.Item.Label", .string(label)),
                            ("org.freedesktop.Secret.Item.Attributes", .stringDictionary(attributes)),
                        ])
                        writer.appendSecret(session: session, value: secret)
                        writer.append(true)
                    }
                ) { reply in
                    done(
                        reply.flatMap { message in
                            guard let item = message.string("o"), let prompt = message.string("o") else {
                                return .failure(Self.unexpected("CreateItem"))
                            }
                            guard prompt == Self.none else {
                                self.dismiss(prompt)
                                return .failure(.locked)
                            }
                            return item == Self.none ? .failure(Self.unexpected("CreateItem")) : .success(())
                        })
                }
            },
            completion: { result in
                switch result {
                case .success: completion(.stored)
                case .failure(.locked): completion(.locked)
                case .failure(let failure): completion(.unavailable(failure.reason))
                }
            })
    }

    /// Deletes every unlocked item whose attributes include all of `attributes`.
    public func delete(attributes: [String: String], completion: @escaping (DeleteResult) -> Void) {
        search(attributes) { found in
            switch found {
            case .failure(let failure):
                completion(failure == .locked ? .locked : .unavailable(failure.reason))
            case .success(let items) where items.unlocked.isEmpty:
                completion(items.locked.isEmpty ? .notFound : .locked)
            case .success(let items):
                self.deleteItems(items.unlocked[...], leftLocked: !items.locked.isEmpty, completion: completion)
            }
        }
    }

    // MARK: - The calls

    private func search(
        _ attributes: [String: String],
        completion: @escaping (Result<(unlocked: [String], locked: [String]), Failure>) -> Void
    ) {
        call(Self.servicePath, Self.serviceInterface, "SearchItems", arguments: { $0.append(attributes) }) { reply in
            completion(
                reply.flatMap { message in
                    guard let unlocked = message.objectPaths(), let locked = message.objectPaths() else {
                        return .failure(Self.unexpected("SearchItems"))
                    }
                    return .success((unlocked, locked))
                })
        }
    }

    /// The secret of the first of `items` the service hands over.
    private func readSecret(of items: [String], completion: @escaping (Result<[UInt8], Failure>) -> Void) {
        inSession(
            { session, done in
                self.call(
                    Self.servicePath, Self.serviceInterface, "GetSecrets",
                    arguments: { writer in
                        writer.append(objectPaths: items)
                        writer.append(objectPath: session)
                    }
                ) { reply in
                    done(
                        reply.flatMap { message in
                            message.markSensitive()
                            guard var secrets = message.secretsByItem() else {
                                return .failure(Self.unexpected("GetSecrets"))
                            }
                            // Only the returned copy is left; the others are overwritten. (The keys
                            // are copied first: changing the dictionary while its own keys view is
                            // iterated would copy the storage, and the erasing would miss it.)
                            defer { for item in Array(secrets.keys) { secrets[item]?.erase() } }
                            // An item left out was locked between the search and now.
                            guard let item = items.first(where: { secrets[$0] != nil }), let secret = secrets[item] else {
                                return .failure(.locked)
                            }
                            return .success(secret.value)
                        })
                }
            }, completion: completion)
    }

    private func deleteItems(
        _ items: ArraySlice<String>, leftLocked: Bool, failure: Failure? = nil, completion: @escaping (DeleteResult) -> Void
    ) {
        guard let item = items.first else {
            if let failure {
                completion(.unavailable(failure.reason))
            } else {
                completion(leftLocked ? .locked : .deleted)
            }
            return
        }
        call(item, Self.itemInterface, "Delete") { reply in
            var leftLocked = leftLocked
            var failure = failure
            switch reply {
            case .success(let message):
                if let prompt = message.string("o"), prompt != Self.none {
                    self.dismiss(prompt)
                    leftLocked = true
                }
            case .failure(.locked): leftLocked = true
            case .failure(.noSuchObject): break  // gone already
            case .failure(let other): failure = failure ?? other
            }
            self.deleteItems(items.dropFirst(), leftLocked: leftLocked, failure: failure, completion: completion)
        }
    }

    private func defaultCollectionIsLocked(completion: @escaping (Bool) -> Void) {
        call(
            Self.defaultCollection, "org.freedesktop.DBus.Properties", "Get",
            arguments: { writer in
                writer.append(Self.collectionInterface)
                writer.append("Locked")
            }
        ) { reply in
            // No default collection: nothing could have been stored there either.
            guard case .success(let message) = reply else { return completion(false) }
            completion(message.variantBool() ?? false)
        }
    }

    /// Withdraws a prompt the service made instead of doing the work: it is never shown,
    /// and the service need not keep it.
    private func dismiss(_ prompt: String) {
        call(prompt, Self.promptInterface, "Dismiss") { _ in }
    }

    private func call(
        _ path: String, _ interface: String, _ member: String, sensitive: Bool = false,
        arguments: (BusMessageWriter) -> Void = { _ in }, reply: @escaping (Result<BusMessageReader, Failure>) -> Void
    ) {
        bus.call(
            destination: Self.service, path: path, interface: interface, member: member, timeout: timeout,
            autoStart: startsService, sensitive: sensitive, arguments: arguments
        ) { answer in
            reply(answer.mapError(Self.failure))
        }
    }

    private static func unexpected(_ member: String) -> Failure {
        .unavailable("the Secret Service answered \(member) in an unexpected form")
    }

    // MARK: - The session

    /// Runs `operation` in an open session; if the service no longer knows that session,
    /// opens another and runs it once more.
    private func inSession<T>(
        _ operation: @escaping (String, @escaping (Result<T, Failure>) -> Void) -> Void,
        retried: Bool = false, completion: @escaping (Result<T, Failure>) -> Void
    ) {
        openSession { opened in
            switch opened {
            case .failure(let failure):
                completion(.failure(failure))
            case .success(let session):
                operation(session) { result in
                    guard case .failure(.noSession) = result, !retried else { return completion(result) }
                    if self.session == session { self.session = nil }
                    self.inSession(operation, retried: true, completion: completion)
                }
            }
        }
    }

    private func openSession(_ completion: @escaping (Result<String, Failure>) -> Void) {
        if let session { return completion(.success(session)) }
        sessionWaiters.append(completion)
        guard sessionWaiters.count == 1 else { return }
        call(
            Self.servicePath, Self.serviceInterface, "OpenSession",
            arguments: { writer in
                writer.append("plain")
                writer.append(.string(""))
            }
        ) { reply in
            let opened: Result<String, Failure> = reply.flatMap { message in
                guard message.skip("v"), let path = message.string("o"), path != Self.none else {
                    return .failure(Self.unexpected("OpenSession"))
                }
                return .success(path)
            }
            if case .success(let path) = opened { self.session = path }
            let waiters = self.sessionWaiters
            self.sessionWaiters = []
            for waiter in waiters { waiter(opened) }
        }
    }

    // MARK: - Signals

    private func subscribe() {
        bus.addMatch(
            "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                + "member='NameOwnerChanged',arg0='\(Self.service)'"
        ) { [weak self] _ in
            // A new service (or none) knows nothing of the old one's session.
            self?.session = nil
            self?.changed()
        }
        bus.addMatch(
            "type='signal',sender='\(Self.service)',path_namespace='\(Self.servicePath)',interface='\(Self.serviceInterface)'"
        ) { [weak self] message in
            guard ["CollectionCreated", "CollectionDeleted", "CollectionChanged"].contains(message.member ?? "") else { return }
            self?.changed()
        }
        bus.addMatch(
            "type='signal',sender='\(Self.service)',path_namespace='\(Self.servicePath)',"
                + "interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',arg0='\(Self.collectionInterface)'"
        ) { [weak self] message in
            _ = message.string()
            let changed = message.booleanProperties() ?? [:]
            let invalidated = message.strings() ?? []
            guard changed["Locked"] != nil || invalidated.contains("Locked") else { return }
            self?.changed()
        }
    }

    /// Calls ``onChange`` once for the signals that arrive together.
    private func changed() {
        guard !changePending else { return }
        changePending = true
        bus.queue.async { [weak self] in
            guard let self else { return }
            self.changePending = false
            self.onChange?()
        }
    }
}
