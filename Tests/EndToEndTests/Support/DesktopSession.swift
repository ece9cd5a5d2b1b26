import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private desktop for one test: its own D-Bus session bus, an Xvfb screen and a dunst
/// notification server with a test-friendly dunstrc, all owned by this object and stopped by
/// ``stop()`` (also run from `deinit`, so a failing test leaves nothing behind).
///
/// Typical use:
/// ```swift
/// let desktop = try DesktopSession()
/// defer { desktop.stop() }
/// let monitor = try desktop.startMonitor()
/// // start kindlingd with `sandbox.environment.merging(desktop.variables) { $1 }` ...
/// #expect(try desktop.waitForDisplayed(1))
/// #expect(monitor.notifyCalls().first?.appName == "Kindling")
/// ```
/// The bus has no service directories, so nothing is ever activated on it: a test that kills
/// dunst really has no notification server until it calls ``restartNotificationServer()``.
final class DesktopSession: @unchecked Sendable {
    /// The private directory holding the bus config, dunstrc, menu script and every log.
    let root: String
    /// Where the bus socket lives (`<runtimeDirectory>/bus`), as `dbus-user-session` arranges
    /// it on a real desktop, so a daemon that only has XDG_RUNTIME_DIR still finds the bus.
    let runtimeDirectory: String
    /// The bus address dbus-daemon printed (with its guid).
    private(set) var busAddress = ""
    /// The X display, e.g. `:1`.
    private(set) var display = ""
    /// Seconds from the start of `init` until the notification server owned its name.
    private(set) var startupSeconds = 0.0

    var dunstrcPath: String { root + "/dunstrc" }
    /// dunst's stdout and stderr, across restarts.
    var dunstLogPath: String { root + "/dunst.log" }
    var dunstLog: String { contentsOfFile(dunstLogPath) }

    private let ownsRuntimeDirectory: Bool
    private let serviceDirectory: String?
    private let timeout: Double
    private var busPID: pid_t = 0
    private var xvfbPID: pid_t = 0
    private var dunstPID: pid_t = 0
    private var screensaverPID: pid_t = 0
    private var monitors: [BusMonitor] = []
    private var stopped = false
    private var paintedBackground = false

    // MARK: - Start and stop

    /// Starts the bus, the X server and (unless `startNotificationServer` is false, for tests
    /// of a server that appears later) dunst, and waits until `org.freedesktop.Notifications`
    /// is owned. Throws with the relevant log when any part does not come up within `timeout`.
    ///
    /// - Parameter runtimeDirectory: put the bus socket in this existing directory instead of
    ///   one of the session's own. Under a ``UserManager`` this fails while its socket-activated
    ///   `dbus.socket` (package dbus-user-session) holds `$XDG_RUNTIME_DIR/bus`; that bus also
    ///   activates the packaged dunst, so hand the manager ``variables`` instead.
    /// - Parameter serviceDirectory: a directory of D-Bus `.service` files the bus may activate
    ///   (none by default; see the type's note).
    init(
        runtimeDirectory: String? = nil, startNotificationServer: Bool = true, serviceDirectory: String? = nil,
        timeout: Double = 10
    ) throws {
        try DesktopPrerequisites.require()
        let start = Date()
        self.timeout = timeout
        self.serviceDirectory = serviceDirectory
        root = try makePrivateDirectory("kindling-desktop")
        ownsRuntimeDirectory = runtimeDirectory == nil
        self.runtimeDirectory = runtimeDirectory ?? root + "/run"
        do {
            for dir in ["run", "home", "config", "data"] {
                try FileManager.default.createDirectory(
                    atPath: root + "/" + dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            try writeSupportFiles()
            try startBus()
            try startXvfb()
            if startNotificationServer {
                try self.startNotificationServer()
            }
        } catch {
            stop()
            throw error
        }
        startupSeconds = Date().timeIntervalSince(start)
    }

    deinit { stop() }

    /// Stops every process this session started (monitors, dunst, Xvfb, the bus; each with
    /// its whole process group) and removes the session's directory. Safe to call twice.
    func stop() {
        guard !stopped else { return }
        stopped = true
        for monitor in monitors { monitor.stop() }
        monitors = []
        stopSessionLeader(dunstPID)
        dunstPID = 0
        stopSessionLeader(screensaverPID)
        screensaverPID = 0
        // SIGTERM lets Xvfb remove its /tmp/.X<N>-lock and socket, so display numbers do not leak.
        stopSessionLeader(xvfbPID)
        stopSessionLeader(busPID)
        if !ownsRuntimeDirectory { try? FileManager.default.removeItem(atPath: runtimeDirectory + "/bus") }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The process ids still running under this session (for checks that teardown worked).
    var processIDs: [pid_t] { ([busPID, xvfbPID, dunstPID, screensaverPID] + monitors.map(\.pid)).filter { $0 > 0 } }

    // MARK: - Environment for the code under test

    /// Only the desktop's variables, to merge into another fixture's environment
    /// (`sandbox.environment.merging(desktop.variables) { $1 }`).
    var variables: [String: String] {
        ["DBUS_SESSION_BUS_ADDRESS": busAddress, "DISPLAY": display]
    }

    /// A complete environment for a process on this desktop: the bus and display, plus
    /// private HOME and XDG directories inside the session.
    var environment: [String: String] {
        [
            "DBUS_SESSION_BUS_ADDRESS": busAddress,
            "DISPLAY": display,
            "XDG_RUNTIME_DIR": runtimeDirectory,
            "HOME": root + "/home",
            "XDG_CONFIG_HOME": root + "/config",
            "XDG_DATA_HOME": root + "/data",
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "SWIFT_BACKTRACE": "enable=no",
        ]
    }

    // MARK: - The notification server

    /// True while dunst (started by this session) is running.
    var notificationServerIsRunning: Bool { dunstPID > 0 && isAlive(dunstPID) }

    /// Starts dunst on this bus and display and waits until it owns its bus name.
    func startNotificationServer() throws {
        guard !notificationServerIsRunning else { throw TestSetupError("dunst is already running (pid \(dunstPID))") }
        try appendToFile(dunstLogPath, "--- dunst started at \(Date())\n")
        // At info level dunst logs where it found each icon ("Found icon at ..."), which is
        // what a test needs to see when an icon does not show.
        dunstPID = try spawnSessionLeader(
            "/usr/bin/dunst", ["-config", dunstrcPath, "-verbosity", "info"], environment: environment,
            logPath: dunstLogPath)
        let owned = try waitUntil(timeout: timeout, interval: 0.02) {
            guard isAlive(dunstPID) else { return true }  // stop waiting; reported below
            return try nameHasOwner("org.freedesktop.Notifications")
        }
        guard owned, isAlive(dunstPID) else {
            throw TestSetupError(
                "dunst did not take org.freedesktop.Notifications on \(busAddress) within \(timeout) s; its log:\n\(dunstLog)")
        }
    }

    /// Kills dunst with `signal` (SIGKILL by default: a crash, no goodbye on the bus) and
    /// waits until its bus name is released.
    func killNotificationServer(signal: Int32 = SIGKILL) throws {
        guard dunstPID > 0 else { return }
        kill(-dunstPID, signal)
        let gone = try waitUntil(timeout: timeout) {
            try !isAlive(dunstPID) && !nameHasOwner("org.freedesktop.Notifications")
        }
        guard gone else { throw TestSetupError("dunst (pid \(dunstPID)) did not go away after signal \(signal)") }
        dunstPID = 0
    }

    /// Kills dunst and starts a new one with the same dunstrc. Its queue, history and pause
    /// state start empty, as after a real crash and restart.
    func restartNotificationServer() throws {
        try killNotificationServer()
        try startNotificationServer()
    }

    // MARK: - The screensaver

    /// The screensaver's log, across its life.
    var screensaverLog: String { contentsOfFile(root + "/screensaver.log") }

    /// Starts mate-screensaver, a real screen locker, on this bus and display and waits until
    /// it owns `org.mate.ScreenSaver`. (Debian 12 has no headless locker that owns
    /// `org.freedesktop.ScreenSaver` itself: light-locker needs LightDM and a logind session,
    /// and gnome-screensaver 3.6 crashes in its fade on Xvfb, which has no gamma ramps.)
    func startScreensaver() throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/mate-screensaver") else {
            throw TestSetupError(
                "missing for the screen-lock tests: /usr/bin/mate-screensaver (Debian package mate-screensaver); run `make test`")
        }
        screensaverPID = try spawnSessionLeader(
            "/usr/bin/mate-screensaver", ["--no-daemon", "--debug"], environment: environment,
            logPath: root + "/screensaver.log")
        let owned = try waitUntil(timeout: timeout, interval: 0.05) {
            guard isAlive(screensaverPID) else { return true }
            return try nameHasOwner("org.mate.ScreenSaver")
        }
        guard owned, isAlive(screensaverPID) else {
            throw TestSetupError("mate-screensaver did not take org.mate.ScreenSaver within \(timeout) s:\n\(screensaverLog)")
        }
    }

    /// Locks the screen (`mate-screensaver-command --lock`) or unlocks it (`--deactivate`),
    /// and waits until the screensaver says so itself (`GetActive`).
    func setScreenLocked(_ locked: Bool) throws {
        let outcome = try run(
            "/usr/bin/mate-screensaver-command", [locked ? "--lock" : "--deactivate"], environment: environment,
            timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("mate-screensaver-command failed: \(outcome)") }
        let reached = try waitUntil(timeout: timeout, interval: 0.05) { try screensaverIsActive() == locked }
        guard reached else {
            throw TestSetupError("the screensaver did not become \(locked ? "active" : "inactive"):\n\(screensaverLog)")
        }
    }

    /// What the screensaver answers to `GetActive`.
    func screensaverIsActive() throws -> Bool {
        let outcome = try run(
            "/usr/bin/dbus-send",
            [
                "--session", "--print-reply=literal", "--dest=org.mate.ScreenSaver", "/org/mate/ScreenSaver",
                "org.mate.ScreenSaver.GetActive",
            ], environment: environment, timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("GetActive failed: \(outcome)") }
        return outcome.stdout.contains("true")
    }

    // MARK: - dunstctl

    /// Runs `dunstctl` against this session's dunst; throws when it fails (dunst not running).
    @discardableResult
    func dunstctl(_ arguments: String...) throws -> String {
        let outcome = try run("/usr/bin/dunstctl", arguments, environment: environment, timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("dunstctl \(arguments.joined(separator: " ")) failed: \(outcome)") }
        return outcome.stdout
    }

    /// Notifications on screen now (`dunstctl count displayed`).
    func displayedCount() throws -> Int { try count("displayed") }
    /// Notifications held back, e.g. while paused (`dunstctl count waiting`).
    func waitingCount() throws -> Int { try count("waiting") }
    /// Closed notifications kept in dunst's history (`dunstctl count history`).
    func historyCount() throws -> Int { try count("history") }

    /// Waits until exactly `count` notifications are displayed; false on timeout.
    func waitForDisplayed(_ count: Int, timeout: Double? = nil) throws -> Bool {
        try waitUntil(timeout: timeout ?? self.timeout, interval: 0.05) { try displayedCount() == count }
    }

    /// dunst's history as it prints it (`dunstctl history`: `{"type":"aa{sv}","data":[[...]]}`).
    func historyJSON() throws -> String { try dunstctl("history") }

    /// The history, newest first, one dictionary per notification with dunst's field names
    /// (`appname`, `summary`, `body`, `id`, `category`, `urgency`, `default_action_name`, ...)
    /// and every value as text.
    func history() throws -> [[String: String]] {
        let json = try historyJSON()
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let data = object["data"] as? [[[String: Any]]], let entries = data.first
        else { throw TestSetupError("unexpected dunstctl history output: \(json)") }
        return entries.map { entry in
            entry.compactMapValues { field -> String? in
                guard let value = (field as? [String: Any])?["data"] else { return nil }
                return "\(value)"
            }
        }
    }

    /// Invokes the default action of the topmost notification (`dunstctl action 0`), as a
    /// click would. dunst 1.9 leaves the notification open: closing it is the sender's job.
    func invokeDefaultAction() throws { try dunstctl("action", "0") }

    /// Opens dunst's context menu (`dunstctl context`) and answers it with the entry for
    /// `action`: the line ending in `,<action>]` (dunst writes `#Label (summary) [id,key]`),
    /// else the first line containing `action` (a label, or `[7,snooze]` to pick one of
    /// several notifications). Returns the lines dunst offered once the menu script has
    /// answered; dunst then emits ActionInvoked shortly after (wait for it on a monitor).
    /// Throws when nothing matched, with the offered lines.
    @discardableResult
    func openContextMenu(choosing action: String) throws -> [String] {
        let offered = root + "/menu.offered"
        try? FileManager.default.removeItem(atPath: offered)
        try action.write(toFile: root + "/menu.choice", atomically: true, encoding: .utf8)
        try dunstctl("context")
        guard waitUntil(timeout: timeout, { FileManager.default.fileExists(atPath: offered) }) else {
            throw TestSetupError("dunst did not run its menu command within \(timeout) s; dunst log:\n\(dunstLog)")
        }
        let lines = contentsOfFile(offered).split(separator: "\n").map(String.init)
        guard lines.contains(where: { $0.hasSuffix(",\(action)]") || $0.contains(action) }) else {
            throw TestSetupError(
                "the context menu offered no entry for \"\(action)\"; it offered:\n\(lines.joined(separator: "\n"))")
        }
        return lines
    }

    /// Closes the most recent notification (`dunstctl close`), as dismissing it would.
    func closeLast() throws { try dunstctl("close") }
    /// Closes every displayed notification (`dunstctl close-all`).
    func closeAll() throws { try dunstctl("close-all") }

    /// dunst's do-not-disturb state (`dunstctl is-paused`).
    func isPaused() throws -> Bool {
        try dunstctl("is-paused").trimmingCharacters(in: .whitespacesAndNewlines) == "true"
    }

    /// Pauses or resumes dunst (`dunstctl set-paused`). Paused, it shows nothing and holds
    /// new notifications as waiting.
    func setPaused(_ paused: Bool) throws { try dunstctl("set-paused", paused ? "true" : "false") }

    // MARK: - Bus and screen

    /// Starts a `busctl monitor` that records every message of the
    /// org.freedesktop.Notifications interface on this bus (including ActionInvoked sent to
    /// other connections), as JSON, and waits until it is listening. Stopped by ``stop()``.
    func startMonitor() throws -> BusMonitor {
        let monitor = try BusMonitor(
            address: busAddress, environment: environment, directory: root, index: monitors.count, timeout: timeout)
        monitors.append(monitor)
        return monitor
    }

    /// True when `name` has an owner on this bus.
    func nameHasOwner(_ name: String) throws -> Bool {
        let outcome = try run(
            "/usr/bin/dbus-send",
            [
                // --session (the address from the environment) registers with Hello;
                // --address would not, and the bus refuses unregistered callers.
                "--session", "--print-reply=literal", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", "string:" + name,
            ], environment: environment, timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("NameHasOwner failed: \(outcome)") }
        return outcome.stdout.contains("true")
    }

    /// Saves the X screen as a PNG (`import -window root`), optionally only `region`
    /// (an ImageMagick geometry such as `480x180+800+0`). Creates the file's directory.
    /// The first screenshot paints the root window a quiet gradient first, so notifications
    /// are seen against something like a desktop rather than Xvfb's black.
    func screenshot(to path: String, region: String? = nil) throws {
        if !paintedBackground {
            paintedBackground = true
            // `display -window root` sets the root window's background and returns; it exits
            // 1 even when it worked, so its status says nothing.
            _ = try run(
                "/usr/bin/display", ["-display", display, "-window", "root", "-size", "1280x800", "gradient:#6d7f8c-#3d4a55"],
                environment: environment, timeout: timeout)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var arguments = ["-display", display, "-window", "root"]
        if let region { arguments += ["-crop", region] }
        let outcome = try run("/usr/bin/import", arguments + [path], environment: environment, timeout: timeout)
        guard outcome.status == 0, FileManager.default.fileExists(atPath: path) else {
            throw TestSetupError("import could not save a screenshot of \(display) to \(path): \(outcome)")
        }
    }

    // MARK: - Private

    private func count(_ which: String) throws -> Int {
        let text = try dunstctl("count", which).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(text) else { throw TestSetupError("dunstctl count \(which) printed \"\(text)\"") }
        return value
    }

    private func startBus() throws {
        let socket = runtimeDirectory + "/bus"
        guard socket.utf8.count < 108 else { throw TestSetupError("bus socket path too long for AF_UNIX: \(socket)") }
        let addressFile = root + "/bus.address"
        busPID = try spawnSessionLeader(
            "/usr/bin/dbus-daemon", ["--config-file=" + root + "/bus.conf", "--nofork", "--print-address"],
            environment: environment, logPath: addressFile, errorLogPath: root + "/bus.log")
        // dbus-daemon prints its address once it listens.
        let up = waitUntil(timeout: timeout) { contentsOfFile(addressFile).hasSuffix("\n") || !isAlive(busPID) }
        busAddress = contentsOfFile(addressFile).trimmingCharacters(in: .whitespacesAndNewlines)
        guard up, !busAddress.isEmpty, isAlive(busPID) else {
            throw TestSetupError("dbus-daemon did not start within \(timeout) s: \(contentsOfFile(root + "/bus.log"))")
        }
    }

    private func startXvfb() throws {
        // -displayfd: Xvfb takes the first free display itself (lock files make that safe
        // when sessions start in parallel) and writes its number once it accepts clients.
        // -noreset: the server would otherwise reset whenever its last client (dunst) goes.
        let displayFile = root + "/xvfb.display"
        xvfbPID = try spawnSessionLeader(
            "/usr/bin/Xvfb", ["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            environment: environment, logPath: displayFile, errorLogPath: root + "/xvfb.log")
        let up = waitUntil(timeout: timeout) { contentsOfFile(displayFile).hasSuffix("\n") || !isAlive(xvfbPID) }
        let number = contentsOfFile(displayFile).trimmingCharacters(in: .whitespacesAndNewlines)
        guard up, Int(number) != nil, isAlive(xvfbPID) else {
            throw TestSetupError("Xvfb did not start within \(timeout) s: \(contentsOfFile(root + "/xvfb.log"))")
        }
        display = ":" + number
    }

    private func writeSupportFiles() throws {
        // No <servicedir>: the packaged org.knopwob.dunst.service would otherwise let the bus
        // start a stray dunst (default config, no test display) whenever a killed server is
        // called, hiding exactly the outage a test means to create.
        let busConfig = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path=\(runtimeDirectory)/bus</listen>
              <auth>EXTERNAL</auth>\(serviceDirectory.map { "\n  <servicedir>\($0)</servicedir>" } ?? "")
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>

            """
        try busConfig.write(toFile: root + "/bus.conf", atomically: true, encoding: .utf8)

        // Stands in for dmenu: dunst writes one line per action (`#Label (summary) [id,key]`)
        // on stdin and invokes the line printed back. The test names its choice in
        // menu.choice; the offered lines are kept for it in menu.offered (moved into place
        // whole, so the test never reads half a file).
        let menu = """
            #!/bin/sh
            choice=$(cat '\(root)/menu.choice')
            cat > '\(root)/menu.offered.partial'
            { grep -F -e ",$choice]" '\(root)/menu.offered.partial' || grep -F -e "$choice" '\(root)/menu.offered.partial'; } | head -n 1
            mv '\(root)/menu.offered.partial' '\(root)/menu.offered'

            """
        try menu.write(toFile: root + "/menu.sh", atomically: true, encoding: .utf8)
        chmod(root + "/menu.sh", 0o755)

        try DesktopSession.dunstrc(menuCommand: root + "/menu.sh").write(
            toFile: dunstrcPath, atomically: true, encoding: .utf8)
    }

    /// The dunstrc: nothing times out (a test decides when a notification goes), a readable
    /// font at a width that fits a prompt in two or three lines, and the app name above the
    /// summary so a screenshot shows who is speaking.
    static func dunstrc(menuCommand: String) -> String {
        """
        [global]
            monitor = 0
            follow = none
            width = 440
            height = 300
            origin = top-right
            offset = 24x24
            notification_limit = 0
            indicate_hidden = yes
            padding = 14
            horizontal_padding = 16
            text_icon_padding = 14
            frame_width = 2
            frame_color = "#c8782e"
            separator_height = 2
            separator_color = frame
            gap_size = 8
            corner_radius = 8
            sort = yes
            font = DejaVu Sans 11
            line_height = 3
            markup = full
            format = "<span size='small' foreground='#8a6a4f'>%a</span>\\n<b>%s</b>\\n%b"
            alignment = left
            vertical_alignment = center
            # No "(1m old)" suffix: screenshots and history stay the same however slow the run.
            show_age_threshold = -1
            ellipsize = end
            word_wrap = yes
            ignore_newline = no
            # Each Notify is its own notification: a test counts what it sent.
            stack_duplicates = false
            # The "(A)" marker would sit in front of every Kindling summary.
            show_indicators = no
            enable_recursive_icon_lookup = true
            icon_theme = Adwaita
            icon_position = left
            # dunst 1.9 finds a themed icon only at exactly min_icon_size (measured: 32 to 64
            # finds nothing in Adwaita); 48 is a size every common theme ships.
            min_icon_size = 48
            max_icon_size = 48
            sticky_history = yes
            history_length = 100
            dmenu = \(menuCommand)
            browser = /bin/true
            always_run_script = true
            title = Dunst
            class = Dunst
            ignore_dbusclose = false
            mouse_left_click = do_action
            mouse_middle_click = close_current
            mouse_right_click = context

        [urgency_low]
            background = "#fbf5ec"
            foreground = "#3b3129"
            frame_color = "#d9b98f"
            timeout = 0

        [urgency_normal]
            background = "#fbf5ec"
            foreground = "#3b3129"
            frame_color = "#c8782e"
            timeout = 0

        [urgency_critical]
            background = "#fbf5ec"
            foreground = "#3b3129"
            frame_color = "#b3261e"
            timeout = 0

        """
    }
}

// MARK: - Bus monitor

/// A `busctl monitor --json=short` process watching the Notifications interface. Unlike
/// dbus-monitor's text, each message is one JSON line, so summaries and bodies with quotes or
/// newlines are read back exactly.
final class BusMonitor: @unchecked Sendable {
    let pid: pid_t
    /// One JSON object a line, as busctl printed them.
    let logPath: String

    init(address: String, environment: [String: String], directory: String, index: Int, timeout: Double) throws {
        logPath = directory + "/monitor-\(index).jsonl"
        let errors = directory + "/monitor-\(index).log"
        pid = try spawnSessionLeader(
            "/usr/bin/busctl",
            [
                "monitor", "--address=" + address, "--json=short",
                "--match=interface='org.freedesktop.Notifications'",
            ],
            environment: environment, logPath: logPath, errorLogPath: errors)
        // busctl says so on stderr once the bus has made it a monitor; earlier messages are lost.
        let listening = waitUntil(timeout: timeout) {
            contentsOfFile(errors).contains("Monitoring") || !isAlive(pid)
        }
        guard listening, isAlive(pid) else {
            stopSessionLeader(pid)
            throw TestSetupError("busctl monitor did not start on \(address): \(contentsOfFile(errors))")
        }
    }

    func stop() { stopSessionLeader(pid) }

    /// Everything recorded so far, raw.
    var text: String { contentsOfFile(logPath) }

    /// The messages recorded so far, in order (a line still being written is left out).
    func messages() -> [BusMessage] {
        text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let payload = object["payload"] as? [String: Any]
            return BusMessage(
                type: object["type"] as? String ?? "",
                member: object["member"] as? String ?? "",
                sender: object["sender"] as? String ?? "",
                destination: object["destination"] as? String ?? "",
                signature: payload?["type"] as? String ?? "",
                arguments: payload?["data"] as? [Any] ?? [])
        }
    }

    /// Every Notify call seen so far, decoded.
    func notifyCalls() -> [NotifyCall] {
        messages().filter { $0.type == "method_call" && $0.member == "Notify" }.compactMap(NotifyCall.init)
    }

    /// Every signal named `member` (ActionInvoked, NotificationClosed, ...) seen so far.
    func signals(_ member: String) -> [BusMessage] {
        messages().filter { $0.type == "signal" && $0.member == member }
    }

    /// Waits until the recorded messages satisfy `condition`; false on timeout.
    func waitFor(timeout: Double = 10, _ condition: ([BusMessage]) -> Bool) -> Bool {
        waitUntil(timeout: timeout, interval: 0.05) { condition(messages()) }
    }
}

/// One message as `busctl monitor --json=short` reports it.
struct BusMessage: @unchecked Sendable {
    var type: String
    var member: String
    var sender: String
    var destination: String
    /// The D-Bus signature of the arguments, e.g. `susssasa{sv}i` for Notify.
    var signature: String
    /// The arguments as JSON values (numbers as NSNumber, arrays, dictionaries).
    var arguments: [Any]

    /// Argument `index` as text (for ids, action keys, reasons).
    func argument(_ index: Int) -> String? {
        index < arguments.count ? "\(arguments[index])" : nil
    }
}

/// A decoded `org.freedesktop.Notifications.Notify` call.
struct NotifyCall: Sendable {
    var sender: String
    var appName: String
    var replacesID: UInt32
    var icon: String
    var summary: String
    var body: String
    /// Key and label pairs, in order: `[("default", "Answer"), ("snooze", "Snooze")]`.
    var actions: [(key: String, label: String)]
    /// Each hint's value as text (`urgency` → "1", `category` → "x-kindling.prompt").
    var hints: [String: String]
    /// The signature of each hint's variant (`urgency` → "y").
    var hintTypes: [String: String]
    var expireTimeout: Int32

    init?(_ message: BusMessage) {
        let a = message.arguments
        guard message.signature == "susssasa{sv}i", a.count == 8,
            let appName = a[0] as? String, let replaces = (a[1] as? NSNumber)?.uint32Value,
            let icon = a[2] as? String, let summary = a[3] as? String, let body = a[4] as? String,
            let flatActions = a[5] as? [String], let hints = a[6] as? [String: Any],
            let timeout = (a[7] as? NSNumber)?.int32Value
        else { return nil }
        sender = message.sender
        self.appName = appName
        replacesID = replaces
        self.icon = icon
        self.summary = summary
        self.body = body
        actions = stride(from: 0, to: flatActions.count - 1, by: 2).map { (flatActions[$0], flatActions[$0 + 1]) }
        var values: [String: String] = [:]
        var types: [String: String] = [:]
        for (key, variant) in hints {
            guard let variant = variant as? [String: Any] else { continue }
            values[key] = variant["data"].map { "\($0)" }
            types[key] = variant["type"] as? String
        }
        self.hints = values
        hintTypes = types
        expireTimeout = timeout
    }
}

// MARK: - Artifacts

/// Where tests leave files for people to look at (screenshots): $KINDLING_ARTIFACTS_DIR, else
/// `artifacts/` at the repository root (git-ignored).
let artifactsDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["KINDLING_ARTIFACTS_DIR"], !dir.isEmpty { return dir }
    // This file is Tests/EndToEndTests/Support/DesktopSession.swift.
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("artifacts").path
}()

// MARK: - Prerequisites

/// The desktop tools, each with the Debian package that provides it. A missing one fails the
/// test with the fix; it never skips.
enum DesktopPrerequisites {
    static let tools: [(path: String, package: String)] = [
        ("/usr/bin/dbus-daemon", "dbus-daemon"),
        ("/usr/bin/dbus-send", "dbus-bin"),
        ("/usr/bin/busctl", "systemd"),
        ("/usr/bin/Xvfb", "xvfb"),
        ("/usr/bin/dunst", "dunst"),
        ("/usr/bin/dunstctl", "dunst"),
        ("/usr/bin/import", "imagemagick"),
        ("/usr/bin/display", "imagemagick"),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
        ("/usr/share/icons/Adwaita/index.theme", "adwaita-icon-theme"),
    ]

    static func require() throws {
        let missing = tools.filter { !FileManager.default.fileExists(atPath: $0.path) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.path) (Debian package \($0.package))" }.joined(separator: ", ")
            throw TestSetupError("missing for the desktop tests: \(list); run `make test`, which installs the test prerequisites")
        }
    }
}

// MARK: - Files

private func contentsOfFile(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

private func appendToFile(_ path: String, _ text: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
}
