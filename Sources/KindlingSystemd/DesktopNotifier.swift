import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Desktop notifications through `org.freedesktop.Notifications` on the session bus.
///
/// The notifier joins the session bus when it exists and whenever it appears later (an
/// inotify watch on the bus socket's directory), follows the notification server coming
/// and going (`NameOwnerChanged`), and turns the server's signals into ``Action``s. It
/// never blocks its queue: every call is asynchronous, and a server that does not answer
/// delays only its own reply. All methods must be called on the queue it was created with.
public final class DesktopNotifier: @unchecked Sendable {
    /// What the person chose on a notification.
    public enum Action: Sendable, Equatable {
        /// The default action (clicking the notification) or "Answer".
        case answer
        case snooze
        case skip
        /// An inline reply typed into the notification (servers with `inline-reply`).
        case reply(String)
    }

    /// How insistent a notification is (the `urgency` hint).
    public enum Urgency: UInt8, Sendable {
        case low = 0
        case normal = 1
    }

    /// One notification about a waiting prompt.
    public struct Content: Sendable, Equatable {
        public var deliveryID: Int64
        public var summary: String
        public var body: String
        public var urgency: Urgency
        /// Whether to offer Answer (off when `respond_command` is empty).
        public var offersAnswer: Bool
        /// The `transient` hint: the server shows the prompt but keeps no copy in its history,
        /// so a prompt (and a quoted intention) is not there for the next person at the screen.
        public var transient: Bool
        /// False for a notification that is not a prompt (`kindling breathe`): no buttons at all,
        /// since there is nothing to answer, snooze or skip.
        public var isPrompt: Bool

        public init(
            deliveryID: Int64, summary: String, body: String, urgency: Urgency, offersAnswer: Bool, transient: Bool = true,
            isPrompt: Bool = true
        ) {
            self.deliveryID = deliveryID
            self.summary = summary
            self.body = body
            self.urgency = urgency
            self.offersAnswer = offersAnswer
            self.transient = transient
            self.isPrompt = isPrompt
        }
    }

    /// The notification server, as it describes itself.
    public struct Server: Sendable, Equatable {
        public var name: String
        public var version: String
        public var capabilities: [String]
    }

    /// Runs when the person acts on a notification, with the prompt's delivery id.
    public var onAction: ((Int64, Action) -> Void)?
    /// Runs when notifications can be shown again (a server appeared, do-not-disturb
    /// ended): the daemon then shows the prompts still waiting.
    public var onReady: (() -> Void)?
    /// Runs when do-not-disturb stops counting because the server that was in it went away:
    /// what it held back on every channel is due now, though nothing can be shown yet.
    public var onQuietEnded: (() -> Void)?

    /// Runs once the notifier has settled (see ``isSettling``).
    public var onSettled: (() -> Void)?
    /// True from joining the bus until the server has described itself and every
    /// do-not-disturb switch there has answered: until then nobody can say whether the desktop
    /// is quiet, so the daemon holds its first tick (the catch-up) back.
    public private(set) var isSettling = false
    /// Whether the `GetCapabilities` call of the last ``queryServer()`` is unanswered.
    private var awaitingServer = false

    /// The server on the bus, once it has answered `GetCapabilities`.
    public private(set) var server: Server?
    /// Whether the desktop is in do-not-disturb by any server's switch (see ``quiet``); false
    /// when no switch can say.
    public var paused: Bool { quiet.isQuiet }
    /// Do-not-disturb, switch by switch (DesktopNotifier+Quiet.swift).
    public internal(set) var quiet = DesktopQuiet()
    /// Where the session bus is expected (a D-Bus address), or nil when there is no way to find it.
    public let address: String?

    let queue: DispatchQueue
    let log: Logger
    private let iconPath: String
    var bus: BusConnection?
    private var socketWatch: DirectoryWatch?
    private var retryTimer: DispatchSourceTimer?
    private var retries = 0
    /// When the current connection was made: one that drops at once (authentication
    /// refused, say) is retried a few times, a second apart, never in a tight loop.
    private var joinedAt = DispatchTime.now()
    /// Notifications on screen: the server's id for each prompt, and back.
    private var shown: [Int64: UInt32] = [:]
    private var prompts: [UInt32: Int64] = [:]
    /// Prompts whose Notify call has not been answered yet, and those of them withdrawn since.
    private var inFlight: Set<Int64> = []
    private var withdrawnInFlight: Set<Int64> = []
    /// New content for prompts whose Notify call has not been answered yet (see ``update(_:)``).
    private var updatedInFlight: [Int64: Content] = [:]
    /// Counts the servers seen: an answer about do-not-disturb meant for an earlier one is dropped.
    var quietGeneration = 0
    /// Counts GNOME's setting being read: only the latest read's answer counts.
    var gnomeReads = 0
    /// The daemon's environment: which desktop this is, and where dconf finds the settings.
    let environment: [String: String]

    static let service = "org.freedesktop.Notifications"
    static let objectPath = "/org/freedesktop/Notifications"

    /// A notifier for the session bus `environment` points at (see ``sessionBusAddress(environment:)``).
    public init(environment: [String: String], iconPath: String, queue: DispatchQueue, log: Logger) {
        self.address = Self.sessionBusAddress(environment: environment)
        self.environment = environment
        self.iconPath = iconPath
        self.queue = queue
        self.log = log
    }

    deinit {
        retryTimer?.cancel()
        bus?.close()
    }

    /// DESIGN.md's rule: `DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus`.
    public static func sessionBusAddress(environment: [String: String]) -> String? {
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty { return address }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return "unix:path=\(runtime)/bus" }
        return nil
    }

    /// The socket file of a `unix:path=` address (the part that can be watched for).
    static func socketPath(of address: String) -> String? {
        let first = address.split(separator: ";").first.map(String.init) ?? address
        guard first.hasPrefix("unix:") else { return nil }
        for part in first.dropFirst(5).split(separator: ",") where part.hasPrefix("path=") {
            return unescape(String(part.dropFirst(5)))
        }
        return nil
    }

    /// D-Bus addresses escape bytes as `%XX`.
    private static func unescape(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - State

    /// Whether the daemon is on the session bus now.
    public var isBusConnected: Bool { bus?.isOpen ?? false }

    /// Whether a notification shown now would reach the person.
    public var isConnected: Bool { server != nil && (bus?.isOpen ?? false) }

    /// One word for `status`: "connected" or "unavailable".
    public var statusWord: String { isConnected ? "connected" : "unavailable" }

    /// Whether the prompt has a notification on screen (or one on its way).
    public func isShowing(_ deliveryID: Int64) -> Bool {
        shown[deliveryID] != nil || inFlight.contains(deliveryID)
    }

    // MARK: - Connecting

    /// Joins the bus now if it is there, and watches for it otherwise.
    public func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let address else {
            log.notice("no session bus (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set): no desktop notifications")
            return
        }
        watchSocket()
        connect(address)
    }

    /// Leaves the bus (desktop notifications were turned off).
    public func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        retryTimer?.cancel()
        retryTimer = nil
        socketWatch = nil
        dropBus()
    }

    private func watchSocket() {
        guard socketWatch == nil, let address, let path = Self.socketPath(of: address) else { return }
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        let name = String(path[path.index(after: slash)...])
        socketWatch = DirectoryWatch(directory: directory, names: [name], queue: queue) { [weak self] in
            guard let self, self.bus == nil, let address = self.address else { return }
            self.retries = 0
            self.connect(address)
        }
        if socketWatch == nil { log.notice("cannot watch \(directory) for the session bus to appear") }
    }

    private func connect(_ address: String) {
        guard bus == nil else { return }
        if let path = Self.socketPath(of: address), access(path, F_OK) != 0 {
            log.info("the session bus (\(path)) is not there yet; waiting for it")
            return
        }
        do {
            let bus = try BusConnection(address: address, queue: queue)
            bus.onDisconnect = { [weak self] in self?.busLost() }
            self.bus = bus
            joinedAt = DispatchTime.now()
            log.info("joined the session bus at \(address)")
            subscribe(bus)
            queryServer()
        } catch {
            // The socket may exist a moment before the bus listens on it: try a few more
            // times, a second apart; after that only the socket watch brings it back.
            if retries < 3 {
                retries += 1
                scheduleRetry(address)
            } else {
                log.notice("cannot join the session bus: \(error.description)")
            }
        }
    }

    private func scheduleRetry(_ address: String) {
        retryTimer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1)
        timer.setEventHandler { [weak self] in
            self?.retryTimer = nil
            self?.connect(address)
        }
        timer.resume()
        retryTimer = timer
    }

    private func busLost() {
        log.notice("the session bus went away; desktop notifications wait for it to return")
        bus = nil
        forgetServer()
        guard let address else { return }
        let lasted = Double(DispatchTime.now().uptimeNanoseconds - joinedAt.uptimeNanoseconds) / 1e9
        if lasted > 5 {
            retries = 0
            connect(address)
        } else if retries < 3 {
            retries += 1
            scheduleRetry(address)
        }
    }

    private func dropBus() {
        bus?.close()
        bus = nil
        forgetServer()
    }

    private func forgetServer() {
        let before = quiet
        awaitingServer = false
        server = nil
        quietGeneration += 1
        quiet.forget()
        defer {
            quietChanged(from: before)
            settleIfKnown()
        }
        shown.removeAll()
        prompts.removeAll()
        inFlight.removeAll()
        withdrawnInFlight.removeAll()
        updatedInFlight.removeAll()
    }

    // MARK: - The server

    private func subscribe(_ bus: BusConnection) {
        bus.addMatch(
            "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                + "member='NameOwnerChanged',arg0='\(Self.service)'"
        ) { [weak self] message in
            _ = message.string()
            _ = message.string()
            let newOwner = message.string() ?? ""
            self?.ownerChanged(present: !newOwner.isEmpty)
        }
        bus.addMatch(
            "type='signal',sender='\(Self.service)',path='\(Self.objectPath)',interface='\(Self.service)'"
        ) { [weak self] message in
            self?.notificationSignal(message)
        }
        subscribeQuiet(bus)
    }

    private func ownerChanged(present: Bool) {
        if present {
            log.info("a notification server appeared on the session bus")
            queryServer()
        } else {
            log.notice("the notification server left the session bus")
            forgetServer()
        }
    }

    /// Asks who the server is, what it can do, and whether it is in do-not-disturb.
    private func queryServer() {
        guard let bus else { return }
        var info: (name: String, version: String)?
        isSettling = true
        awaitingServer = true
        let generation = askQuiet(bus)
        bus.call(destination: Self.service, path: Self.objectPath, interface: Self.service, member: "GetServerInformation") {
            [weak self] reply in
            if case .success(let message) = reply, let name = message.string() {
                _ = message.string()
                info = (name, message.string() ?? "")
            }
            self?.askServerQuiet(serverName: info?.name, generation: generation)
        }
        // Replies come in order on one connection: by the time this one arrives, the calls
        // above (the server's name, dunst's and KDE's switches) have been answered. xfconf's
        // and GNOME's switches answer on their own time: ``DesktopQuiet/isKnown`` waits for them.
        bus.call(destination: Self.service, path: Self.objectPath, interface: Self.service, member: "GetCapabilities") {
            [weak self] reply in
            guard let self else { return }
            awaitingServer = false
            defer { settleIfKnown() }
            switch reply {
            case .success(let message):
                let capabilities = message.strings() ?? []
                self.server = Server(
                    name: info?.name ?? "unknown", version: info?.version ?? "", capabilities: capabilities)
                self.log.info(
                    "notification server: \(info?.name ?? "unknown") \(info?.version ?? "") (\(capabilities.joined(separator: ", ")))"
                )
                if self.quiet.allowsNotifications { self.onReady?() }
            case .failure(let error):
                self.server = nil
                self.log.notice("no notification server on the session bus (\(error.name)); waiting for one")
            }
        }
    }

    /// Ends ``isSettling`` once the server has answered and every switch has been read.
    func settleIfKnown() {
        guard isSettling, !awaitingServer, quiet.isKnown else { return }
        isSettling = false
        onSettled?()
    }

    private func notificationSignal(_ message: BusMessageReader) {
        switch message.member {
        case "ActionInvoked":
            guard let id = message.uint32(), let key = message.string(), let deliveryID = prompts[id] else { return }
            switch key {
            case "default", "answer": onAction?(deliveryID, .answer)
            case "snooze": onAction?(deliveryID, .snooze)
            case "skip": onAction?(deliveryID, .skip)
            default: break
            }
        case "NotificationReplied":
            guard let id = message.uint32(), let text = message.string(), let deliveryID = prompts[id] else { return }
            onAction?(deliveryID, .reply(text))
        case "NotificationClosed":
            guard let id = message.uint32(), let deliveryID = prompts.removeValue(forKey: id) else { return }
            shown[deliveryID] = nil
        default:
            break
        }
    }

    // MARK: - Showing and withdrawing

    /// Shows `content`. Returns false (and shows nothing) when no server is there, it is in
    /// do-not-disturb, or its switch has not been read yet: ``onReady`` says when to try again.
    @discardableResult
    public func show(_ content: Content) -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let bus, let server, quiet.allowsNotifications else { return false }
        let capabilities = Set(server.capabilities)
        var actions: [String] = []
        if capabilities.contains("actions"), content.isPrompt {
            if content.offersAnswer { actions += ["default", "Answer"] }
            actions += ["snooze", "Snooze", "skip", "Skip"]
            if capabilities.contains("inline-reply") && content.offersAnswer { actions += ["inline-reply", "Reply"] }
        }
        let body = capabilities.contains("body-markup") ? Self.escapeMarkup(content.body) : content.body
        let deliveryID = content.deliveryID
        let replaces = shown[deliveryID] ?? 0
        inFlight.insert(deliveryID)
        withdrawnInFlight.remove(deliveryID)
        bus.call(
            destination: Self.service, path: Self.objectPath, interface: Self.service, member: "Notify",
            arguments: { w in
                w.append("Kindling")
                w.append(replaces)
                w.append(self.iconPath)
                w.append(content.summary)
                w.append(body)
                w.append(actions)
                var hints: [(String, BusMessageWriter.Variant)] = [
                    ("urgency", .byte(content.urgency.rawValue)), ("category", .string("x-kindling.prompt")),
                    ("desktop-entry", .string("kindling")),
                ]
                if content.transient { hints.append(("transient", .bool(true))) }
                w.append(hints)
                w.append(Int32(-1))
            }
        ) { [weak self] reply in
            guard let self else { return }
            self.inFlight.remove(deliveryID)
            switch reply {
            case .success(let message):
                guard let id = message.uint32() else { return }
                if let old = self.shown[deliveryID], old != id { self.prompts[old] = nil }
                self.shown[deliveryID] = id
                self.prompts[id] = deliveryID
                if self.withdrawnInFlight.remove(deliveryID) != nil {
                    self.updatedInFlight[deliveryID] = nil
                    self.withdraw(deliveryID)
                } else if let update = self.updatedInFlight.removeValue(forKey: deliveryID) {
                    self.show(update)
                }
            case .failure(let error):
                self.log.error("the notification for prompt \(deliveryID) was not shown: \(error.description)")
            }
        }
        return true
    }

    /// Replaces the prompt's notification with `content`, if it has one on screen (or on its
    /// way: then once the server has answered). A closed notification stays closed.
    public func update(_ content: Content) {
        dispatchPrecondition(condition: .onQueue(queue))
        if inFlight.contains(content.deliveryID) {
            updatedInFlight[content.deliveryID] = content
        } else if shown[content.deliveryID] != nil {
            show(content)
        }
    }

    /// Closes the prompt's notification, if it has one (it was answered, skipped, snoozed
    /// or has expired).
    public func withdraw(_ deliveryID: Int64) {
        dispatchPrecondition(condition: .onQueue(queue))
        if inFlight.contains(deliveryID) {
            withdrawnInFlight.insert(deliveryID)
            return
        }
        guard let bus, let id = shown.removeValue(forKey: deliveryID) else { return }
        prompts[id] = nil
        bus.call(
            destination: Self.service, path: Self.objectPath, interface: Self.service, member: "CloseNotification",
            arguments: { w in w.append(id) }
        ) { _ in }
    }

    /// Notification bodies may carry a small markup: the prompt's own `<`, `>` and `&` stay text.
    static func escapeMarkup(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(c)
            }
        }
        return result
    }
}
