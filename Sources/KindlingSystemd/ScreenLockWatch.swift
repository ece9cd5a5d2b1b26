import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Follows whether the person's screen is locked, as the session itself says so:
///
/// - a screensaver on the session bus: `org.freedesktop.ScreenSaver` (KDE, xfce4-screensaver,
///   light-locker) and the same interface under the names GNOME Shell, gnome-screensaver,
///   MATE and Cinnamon own (`GetActive`, and the `ActiveChanged` signal);
/// - logind on the system bus: `LockedHint` of the user's display session
///   (`/org/freedesktop/login1/user/self`'s `Display`), and its `PropertiesChanged`.
///
/// The screen counts as locked while any of them says so; a running screensaver counts too,
/// since nobody at the keyboard is reading then. When nothing answers (no screensaver, no
/// logind session, no bus) it counts as unlocked: nothing here can tell, and the person
/// chose text over discretion for an unlocked screen. Like ``DesktopNotifier`` it never
/// blocks its queue; all methods must be called on the queue it was created with.
public final class ScreenLockWatch: @unchecked Sendable {
    /// Runs on the queue when ``isLocked`` changes.
    public var onChange: ((Bool) -> Void)?

    /// Whether any source says the screen is locked now.
    public var isLocked: Bool { screensavers.values.contains(true) || sessionLocked }

    /// Whether every question asked so far has its answer (or five seconds have passed since
    /// ``start()``): until then the lock is not known, and a channel that must not show text on a
    /// locked screen had better not (see the daemon's hook).
    public var isSettled: Bool {
        unanswered == 0 || DispatchTime.now() >= settleBy
    }

    /// Who says so, for the log and `status`: e.g. `["org.gnome.ScreenSaver"]` or `["logind"]`.
    public var lockedBy: [String] {
        screensavers.filter(\.value).keys.sorted() + (sessionLocked ? ["logind"] : [])
    }

    /// The screensaver names and objects asked, in order. They share one interface shape.
    static let screensaverServices: [(name: String, path: String)] = [
        ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
        ("org.mate.ScreenSaver", "/org/mate/ScreenSaver"),
        ("org.cinnamon.ScreenSaver", "/org/cinnamon/ScreenSaver"),
    ]
    static let login1 = "org.freedesktop.login1"
    static let login1Session = "org.freedesktop.login1.Session"
    static let properties = "org.freedesktop.DBus.Properties"

    private let queue: DispatchQueue
    private let log: Logger
    private let sessionAddress: String?
    private let systemAddress: String
    private var sessionBus: BusConnection?
    private var systemBus: BusConnection?
    private var socketWatch: DirectoryWatch?
    /// What each screensaver that answered said; a name without an owner is not here.
    private var screensavers: [String: Bool] = [:]
    private var sessionLocked = false
    /// The logind session being followed, and the match that follows it.
    private var sessionPath: String?
    private var stopped = true
    /// Questions on either bus still waiting for their answer, and when not to wait any longer.
    private var unanswered = 0
    private var settleBy = DispatchTime.now()

    /// A watch for the session bus `environment` points at (see
    /// ``DesktopNotifier/sessionBusAddress(environment:)``) and the system bus
    /// (`DBUS_SYSTEM_BUS_ADDRESS`, else `/run/dbus/system_bus_socket`).
    public init(environment: [String: String], queue: DispatchQueue, log: Logger) {
        self.sessionAddress = DesktopNotifier.sessionBusAddress(environment: environment)
        let system = environment["DBUS_SYSTEM_BUS_ADDRESS"] ?? ""
        self.systemAddress = system.isEmpty ? "unix:path=/run/dbus/system_bus_socket" : system
        self.queue = queue
        self.log = log
    }

    deinit {
        sessionBus?.close()
        systemBus?.close()
    }

    /// Starts asking both buses, and follows the session bus when it appears later.
    public func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard stopped else { return }
        stopped = false
        settleBy = DispatchTime.now() + .seconds(5)
        // Said once: the lock is only known where the session tells it.
        log.info("the screen counts as unlocked until a screensaver or logind says it is locked")
        joinSession()
        joinSystem()
    }

    /// Stops watching; the screen then counts as unlocked.
    public func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        stopped = true
        socketWatch = nil
        sessionBus?.close()
        sessionBus = nil
        systemBus?.close()
        systemBus = nil
        screensavers.removeAll()
        sessionLocked = false
        sessionPath = nil
        unanswered = 0
    }

    // MARK: - The session bus: screensavers

    private func joinSession() {
        guard !stopped, sessionBus == nil, let address = sessionAddress else { return }
        watchSessionSocket(address)
        if let path = DesktopNotifier.socketPath(of: address), access(path, F_OK) != 0 { return }
        guard let bus = try? BusConnection(address: address, description: "kindlingd-lock", queue: queue) else { return }
        bus.onDisconnect = { [weak self] in
            guard let self else { return }
            self.sessionBus = nil
            self.update { $0.screensavers.removeAll() }
        }
        sessionBus = bus
        for service in Self.screensaverServices {
            bus.addMatch(
                "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                    + "member='NameOwnerChanged',arg0='\(service.name)'"
            ) { [weak self] message in
                _ = message.string()
                _ = message.string()
                guard let self else { return }
                if (message.string() ?? "").isEmpty {
                    self.update { $0.screensavers[service.name] = nil }
                } else {
                    self.askScreensaver(service)
                }
            }
            bus.addMatch(
                "type='signal',sender='\(service.name)',path='\(service.path)',interface='\(service.name)',member='ActiveChanged'"
            ) { [weak self] message in
                guard let active = message.bool() else { return }
                self?.update { $0.screensavers[service.name] = active }
            }
            askScreensaver(service)
        }
    }

    /// `GetActive`; a name nobody owns answers with an error, and stays out of the count.
    /// Never auto-started: asking must not launch a screensaver of another desktop (MATE's
    /// and gnome-screensaver's are D-Bus activatable).
    private func askScreensaver(_ service: (name: String, path: String)) {
        guard let sessionBus else { return }
        unanswered += 1
        sessionBus.call(
            destination: service.name, path: service.path, interface: service.name, member: "GetActive", autoStart: false
        ) { [weak self] reply in
            self?.answered()
            guard let self, case .success(let message) = reply, let active = message.bool() else { return }
            if self.screensavers[service.name] == nil {
                self.log.info("following the screen lock of the screensaver \(service.name)")
            }
            self.update { $0.screensavers[service.name] = active }
        }
    }

    private func watchSessionSocket(_ address: String) {
        guard socketWatch == nil, let path = DesktopNotifier.socketPath(of: address) else { return }
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        let name = String(path[path.index(after: slash)...])
        socketWatch = DirectoryWatch(directory: directory, names: [name], queue: queue) { [weak self] in
            self?.joinSession()
        }
    }

    // MARK: - The system bus: logind

    private func joinSystem() {
        guard !stopped, systemBus == nil else { return }
        if let path = DesktopNotifier.socketPath(of: systemAddress), access(path, F_OK) != 0 { return }
        guard let bus = try? BusConnection(address: systemAddress, description: "kindlingd-lock", queue: queue) else {
            return
        }
        bus.onDisconnect = { [weak self] in
            guard let self else { return }
            self.systemBus = nil
            self.sessionPath = nil
            self.update { $0.sessionLocked = false }
        }
        systemBus = bus
        // A graphical login after kindlingd started becomes the user's display session.
        for member in ["SessionNew", "SessionRemoved"] {
            bus.addMatch(
                "type='signal',sender='\(Self.login1)',path='/org/freedesktop/login1',"
                    + "interface='org.freedesktop.login1.Manager',member='\(member)'"
            ) { [weak self] _ in self?.findDisplaySession() }
        }
        bus.addMatch(
            "type='signal',sender='\(Self.login1)',interface='\(Self.properties)',member='PropertiesChanged',"
                + "arg0='\(Self.login1Session)'"
        ) { [weak self] message in
            guard let self, let path = message.path, path == self.sessionPath else { return }
            _ = message.string()
            if let locked = message.booleanProperties()?["LockedHint"] {
                self.update { $0.sessionLocked = locked }
            } else {
                // Invalidated rather than sent: ask.
                self.askLockedHint(path)
            }
        }
        findDisplaySession()
    }

    /// The user's display session (`Display` of `user/self`), then its `LockedHint`. No
    /// logind, or no graphical session, leaves the session unlocked.
    private func findDisplaySession() {
        guard let systemBus else { return }
        unanswered += 1
        systemBus.call(
            destination: Self.login1, path: "/org/freedesktop/login1/user/self", interface: Self.properties, member: "Get",
            arguments: { w in
                w.append("org.freedesktop.login1.User")
                w.append("Display")
            }
        ) { [weak self] reply in
            guard let self else { return }
            self.answered()
            guard case .success(let message) = reply, let path = message.variantSessionReference(), path != "/" else {
                self.sessionPath = nil
                self.update { $0.sessionLocked = false }
                return
            }
            if path != self.sessionPath { self.log.info("following the screen lock of logind session \(path)") }
            self.sessionPath = path
            self.askLockedHint(path)
        }
    }

    private func askLockedHint(_ path: String) {
        guard let systemBus else { return }
        unanswered += 1
        systemBus.call(
            destination: Self.login1, path: path, interface: Self.properties, member: "Get",
            arguments: { w in
                w.append(Self.login1Session)
                w.append("LockedHint")
            }
        ) { [weak self] reply in
            self?.answered()
            guard let self, path == self.sessionPath else { return }
            let locked: Bool = if case .success(let message) = reply { message.variantBool() ?? false } else { false }
            self.update { $0.sessionLocked = locked }
        }
    }

    // MARK: - Changes

    private func answered() {
        unanswered = max(0, unanswered - 1)
    }

    /// Applies `change` and tells ``onChange`` when the answer moved.
    private func update(_ change: (ScreenLockWatch) -> Void) {
        let before = isLocked
        change(self)
        let after = isLocked
        guard after != before, !stopped else { return }
        log.info(after ? "the screen is locked (\(lockedBy.joined(separator: ", ")))" : "the screen is unlocked")
        onChange?(after)
    }
}
