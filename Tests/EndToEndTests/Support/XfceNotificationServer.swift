import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Xfce's notification server on a ``DesktopSession`` started without dunst: xfconfd (the
/// settings store xfce4-notifyd reads its do-not-disturb from) and xfce4-notifyd, both real
/// Debian programs on the session's bus and display. ``stop()`` (also run from `deinit`) ends
/// them; stop this before the session, whose bus they are on.
final class XfceNotificationServer: @unchecked Sendable {
    static let xfconfd = libexec("xfce4/xfconf/xfconfd")
    static let notifyd = libexec("xfce4/notifyd/xfce4-notifyd")

    /// Debian keeps both programs under the architecture's library directory
    /// (`/usr/lib/x86_64-linux-gnu/...` on amd64).
    private static func libexec(_ relative: String) -> String {
        let multiarch = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib")) ?? []
        for directory in multiarch.sorted() where directory.contains("-linux-") {
            let path = "/usr/lib/\(directory)/\(relative)"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return "/usr/lib/x86_64-linux-gnu/\(relative)"
    }

    /// The tools these tests need, each with the Debian package that provides it.
    static let tools: [(path: String, package: String)] = [
        (xfconfd, "xfconf"), ("/usr/bin/xfconf-query", "xfconf"), (notifyd, "xfce4-notifyd"), ("/usr/bin/xdotool", "xdotool"),
    ]

    private let session: DesktopSession
    private let environment: [String: String]
    private var xfconfdPID: pid_t = 0
    private var notifydPID: pid_t = 0
    private var stopped = false

    var xfconfdLog: String { (try? String(contentsOfFile: session.root + "/xfconfd.log", encoding: .utf8)) ?? "" }
    var notifydLog: String { (try? String(contentsOfFile: session.root + "/xfce4-notifyd.log", encoding: .utf8)) ?? "" }

    /// Starts xfconfd and, unless `startNotificationServer` is false, xfce4-notifyd, and waits
    /// until each owns its bus name. A missing program fails with the package to install.
    init(on session: DesktopSession, startNotificationServer: Bool = true) throws {
        let missing = Self.tools.filter { !FileManager.default.fileExists(atPath: $0.path) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.path) (Debian package \($0.package))" }.joined(separator: ", ")
            throw TestSetupError("missing for the Xfce notification tests: \(list); run `make test`, which installs them")
        }
        self.session = session
        // No accessibility bus on the test desktop: GTK would only warn about it.
        environment = session.environment.merging(["NO_AT_BRIDGE": "1"]) { $1 }
        do {
            xfconfdPID = try start(Self.xfconfd, owning: "org.xfce.Xfconf", log: "xfconfd.log")
            if startNotificationServer {
                notifydPID = try start(Self.notifyd, owning: "org.freedesktop.Notifications", log: "xfce4-notifyd.log")
            }
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Ends xfce4-notifyd and xfconfd (their whole process groups). Safe to call twice.
    func stop() {
        guard !stopped else { return }
        stopped = true
        stopSessionLeader(notifydPID)
        stopSessionLeader(xfconfdPID)
        notifydPID = 0
        xfconfdPID = 0
    }

    private func start(_ program: String, owning name: String, log: String) throws -> pid_t {
        let path = session.root + "/" + log
        let pid = try spawnSessionLeader(program, [], environment: environment, logPath: path)
        let owned = try waitUntil(timeout: 10, interval: 0.02) {
            guard isAlive(pid) else { return true }
            return try session.nameHasOwner(name)
        }
        guard owned, isAlive(pid) else {
            stopSessionLeader(pid)
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            throw TestSetupError("\(program) did not take \(name) within 10 s; its log:\n\(text)")
        }
        return pid
    }

    // MARK: - Do-not-disturb

    /// Turns xfce4-notifyd's do-not-disturb on or off as its settings dialog does, through
    /// xfconf (`xfconf-query -c xfce4-notifyd -p /do-not-disturb`).
    func setDoNotDisturb(_ on: Bool) throws {
        try xfconfQuery(["-n", "-t", "bool", "-s", on ? "true" : "false"])
    }

    /// Removes the setting, which leaves xfce4-notifyd at its default (off).
    func resetDoNotDisturb() throws {
        try xfconfQuery(["-r"])
    }

    private func xfconfQuery(_ arguments: [String]) throws {
        let outcome = try run(
            "/usr/bin/xfconf-query", ["-c", "xfce4-notifyd", "-p", "/do-not-disturb"] + arguments, environment: environment,
            timeout: 10)
        guard outcome.status == 0 else { throw TestSetupError("xfconf-query \(arguments) failed: \(outcome)") }
    }

    // MARK: - The screen

    /// How many notification windows xfce4-notifyd has on screen now (its mapped windows;
    /// the one it keeps unmapped for itself is not counted).
    func visibleCount() throws -> Int {
        let outcome = try run(
            "/usr/bin/xdotool", ["search", "--onlyvisible", "--class", "xfce4-notifyd"], environment: environment, timeout: 10)
        // xdotool exits 1 when it finds nothing.
        guard outcome.status == 0 || outcome.status == 1 else { throw TestSetupError("xdotool search failed: \(outcome)") }
        return outcome.stdout.split(separator: "\n").count
    }

    /// Waits until exactly `count` notifications are on screen; false on timeout.
    func waitForVisible(_ count: Int, timeout: Double = 10) throws -> Bool {
        try waitUntil(timeout: timeout, interval: 0.05) { try visibleCount() == count }
    }
}
