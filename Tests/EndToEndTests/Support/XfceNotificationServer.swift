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

    // MARK: - Clicking its buttons

    /// Where a notification window is on the screen.
    struct Frame: CustomStringConvertible {
        var x: Int, y: Int, width: Int, height: Int
        var description: String { "\(width)x\(height)+\(x)+\(y)" }
    }

    /// The one notification window on screen (`xdotool getwindowgeometry`); nil when there
    /// is none, or more than one.
    func notificationFrame() throws -> Frame? {
        let search = try run(
            "/usr/bin/xdotool", ["search", "--onlyvisible", "--class", "xfce4-notifyd"], environment: environment, timeout: 10)
        let windows = search.stdout.split(separator: "\n").map(String.init)
        guard windows.count == 1 else { return nil }
        let shell = try run(
            "/usr/bin/xdotool", ["getwindowgeometry", "--shell", windows[0]], environment: environment, timeout: 10)
        var geometry: [String: Int] = [:]
        for line in shell.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { geometry[String(parts[0])] = value }
        }
        guard let x = geometry["X"], let y = geometry["Y"], let width = geometry["WIDTH"], let height = geometry["HEIGHT"]
        else { return nil }
        return Frame(x: x, y: y, width: width, height: height)
    }

    /// The screen points at the middle of each button of the one notification on screen, left
    /// to right (xfce4-notifyd draws one button per action, in the order they were sent).
    ///
    /// Found in the drawn pixels, not from a remembered layout: the window is photographed
    /// (`import`, as a PPM) and a button is a pair of its border's columns, each a vertical
    /// run of at least 16 grey pixels (the theme's button border, #CDC7C2 on this desktop)
    /// spanning the same rows. Text and the icon never make such runs: letters are shorter,
    /// and the icon is coloured. Waits until `count` buttons are found (the window may not be
    /// drawn the moment it is mapped); throws with what was seen when they are not.
    func buttonCenters(count: Int, timeout: Double = 10) throws -> [(x: Int, y: Int)] {
        // The pointer away from the window, so no button is drawn hovered.
        _ = try run("/usr/bin/xdotool", ["mousemove", "0", "0"], environment: environment, timeout: 10)
        var found: [(x: Int, y: Int)] = []
        var seen = "no single notification window"
        let done = try waitUntil(timeout: timeout, interval: 0.1) {
            guard let frame = try notificationFrame() else { return false }
            let path = session.root + "/notification.ppm"
            try? FileManager.default.removeItem(atPath: path)
            let shot = try run(
                "/usr/bin/import", ["-window", "root", "-crop", "\(frame)", "-depth", "8", path], environment: environment,
                timeout: 10)
            guard shot.status == 0, let image = PixelMap(ppm: try Data(contentsOf: URL(fileURLWithPath: path))) else {
                seen = "no picture of the window \(frame): \(shot)"
                return false
            }
            let buttons = image.buttons()
            seen = "window \(frame), buttons (in the window) \(buttons)"
            found = buttons.map { (x: frame.x + $0.x, y: frame.y + $0.y) }
            return found.count == count
        }
        guard done else { throw TestSetupError("did not find \(count) buttons on the xfce4-notifyd window: \(seen)") }
        return found
    }

    /// A real click (`xdotool mousemove … click 1`) at a point on the screen; the pointer is
    /// then moved out of the way again.
    func click(x: Int, y: Int) throws {
        let outcome = try run(
            "/usr/bin/xdotool", ["mousemove", "\(x)", "\(y)", "click", "1"], environment: environment, timeout: 10)
        guard outcome.status == 0 else { throw TestSetupError("xdotool could not click at \(x),\(y): \(outcome)") }
        _ = try run("/usr/bin/xdotool", ["mousemove", "0", "0"], environment: environment, timeout: 10)
    }
}

/// An 8-bit RGB picture read from a binary PPM (P6), as ImageMagick writes it.
private struct PixelMap {
    let width: Int
    let height: Int
    private let pixels: [UInt8]

    init?(ppm data: Data) {
        let bytes = [UInt8](data)
        var index = 0
        var fields: [String] = []
        while fields.count < 4 {
            while index < bytes.count, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            }
            let start = index
            while index < bytes.count, !(bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index])) { index += 1 }
            fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        index += 1  // the one whitespace byte before the pixels
        guard fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
            bytes.count - index >= width * height * 3
        else { return nil }
        self.width = width
        self.height = height
        pixels = Array(bytes[index..<(index + width * height * 3)])
    }

    /// Whether the pixel is the grey of a button's border: neutral (no colour) and between
    /// the text's dark and the window's light greys.
    private func isBorder(_ x: Int, _ y: Int) -> Bool {
        let offset = (y * width + x) * 3
        let channels = pixels[offset..<(offset + 3)]
        let low = channels.min() ?? 0, high = channels.max() ?? 0
        return high - low <= 24 && low >= 0x90 && high <= 0xD8
    }

    /// The middles of the buttons, in the picture's coordinates, left to right: see
    /// ``XfceNotificationServer/buttonCenters(count:timeout:)``.
    func buttons() -> [(x: Int, y: Int)] {
        // Each column's longest vertical run of border grey.
        var edges: [(x: Int, top: Int, length: Int)] = []
        var previous = -2
        for x in 0..<width {
            var run = 0, best = 0, top = 0
            for y in 0..<height {
                run = isBorder(x, y) ? run + 1 : 0
                if run > best { (best, top) = (run, y - run + 1) }
            }
            guard best >= 16 else { continue }
            // A border more than a pixel wide counts once.
            if previous != x - 1 { edges.append((x, top, best)) }
            previous = x
        }
        // Left and right edges in turn, each pair over the same rows.
        var result: [(x: Int, y: Int)] = []
        var index = 0
        while index + 1 < edges.count {
            let left = edges[index], right = edges[index + 1]
            guard abs(left.top - right.top) <= 2, abs(left.length - right.length) <= 2, right.x - left.x > 16 else {
                index += 1
                continue
            }
            result.append((x: (left.x + right.x) / 2, y: left.top + left.length / 2))
            index += 2
        }
        return result
    }
}
