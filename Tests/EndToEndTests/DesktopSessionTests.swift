import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The desktop fixture itself, driven with `gdbus call` as the notification client, so the
/// delivery tests can trust what it reports.
@Suite(.serialized) struct DesktopSessionTests {
    @Test func aNotificationIsShownRecordedOnTheBusAndClosedIntoHistory() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        print("measured: desktop session (bus, Xvfb, dunst) up in \(String(format: "%.2f", desktop.startupSeconds)) s")
        let monitor = try desktop.startMonitor()

        let id = try notify(
            desktop, summary: "Morning intention", body: "Who could use a \"word\" of encouragement\nfrom me today?",
            actions: ["default", "Answer", "snooze", "Snooze", "skip", "Skip"],
            hints: "{'category': <'x-kindling.prompt'>, 'urgency': <byte 1>}")
        #expect(try desktop.waitForDisplayed(1))
        #expect(try desktop.historyCount() == 0)

        // The exact call, read back from the bus, quotes and newline included.
        #expect(monitor.waitFor { $0.contains { $0.member == "Notify" } })
        let calls = monitor.notifyCalls()
        #expect(calls.count == 1, "\(monitor.text)")
        let call = try #require(calls.first)
        #expect(call.appName == "Kindling")
        #expect(call.summary == "Morning intention")
        #expect(call.body == "Who could use a \"word\" of encouragement\nfrom me today?")
        #expect(call.actions.map(\.key) == ["default", "snooze", "skip"])
        #expect(call.actions.map(\.label) == ["Answer", "Snooze", "Skip"])
        #expect(call.hints["category"] == "x-kindling.prompt")
        #expect(call.hints["urgency"] == "1" && call.hintTypes["urgency"] == "y")
        #expect(call.expireTimeout == -1)

        // A click: dunst sends ActionInvoked (to the caller; the monitor sees it too) and
        // leaves the notification up for the sender to close.
        try desktop.invokeDefaultAction()
        #expect(monitor.waitFor { invoked($0, id: id, key: "default") }, "\(monitor.text)")
        #expect(try desktop.displayedCount() == 1)

        // The context menu, answered by the stand-in for dmenu.
        let offered = try desktop.openContextMenu(choosing: "snooze")
        #expect(offered.contains { $0.hasSuffix("[\(id),snooze]") }, "\(offered)")
        #expect(offered.contains { $0.hasSuffix("[\(id),skip]") }, "\(offered)")
        #expect(monitor.waitFor { invoked($0, id: id, key: "snooze") }, "\(monitor.text)")

        // Dismissed: gone from the screen, kept in history, NotificationClosed with reason 2.
        try desktop.closeLast()
        #expect(try desktop.waitForDisplayed(0))
        #expect(try desktop.historyCount() == 1)
        let entry = try #require(try desktop.history().first)
        #expect(entry["appname"] == "Kindling")
        #expect(entry["summary"] == "Morning intention")
        #expect(entry["id"] == "\(id)")
        #expect(
            monitor.waitFor { messages in
                messages.contains { $0.member == "NotificationClosed" && $0.argument(0) == "\(id)" && $0.argument(1) == "2" }
            }, "\(monitor.text)")
    }

    @Test func pausingHoldsNotificationsBackUntilResumed() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        #expect(try desktop.isPaused() == false)
        try desktop.setPaused(true)
        #expect(try desktop.isPaused())

        _ = try notify(desktop, summary: "Breathing space", body: "Three slow breaths.")
        #expect(try waitUntil(timeout: 5) { try desktop.waitingCount() == 1 })
        #expect(try desktop.displayedCount() == 0)

        try desktop.setPaused(false)
        #expect(try desktop.waitForDisplayed(1))
        #expect(try desktop.waitingCount() == 0)
    }

    @Test func theNotificationServerCanBeKilledAndStartedAgain() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        _ = try notify(desktop, summary: "Before the crash", body: "one")
        #expect(try desktop.waitForDisplayed(1))

        try desktop.killNotificationServer()
        #expect(!desktop.notificationServerIsRunning)
        #expect(try !desktop.nameHasOwner("org.freedesktop.Notifications"))
        // Nothing is activated in its place: a call now fails, as on a desktop without a server.
        let refused = try gdbusNotify(desktop, summary: "Into the void", body: "two", actions: [], hints: "@a{sv} {}")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("ServiceUnknown"), "\(refused)")
        #expect(try !desktop.nameHasOwner("org.freedesktop.Notifications"))

        let restart = Date()
        try desktop.startNotificationServer()
        print("measured: dunst back on the bus in \(String(format: "%.2f", Date().timeIntervalSince(restart))) s")
        #expect(try desktop.displayedCount() == 0, "a new dunst starts empty")
        _ = try notify(desktop, summary: "After the restart", body: "three")
        #expect(try desktop.waitForDisplayed(1))
        #expect(monitor.notifyCalls().map(\.summary) == ["Before the crash", "Into the void", "After the restart"])

        try desktop.restartNotificationServer()
        #expect(try desktop.displayedCount() == 0)
    }

    @Test func aScreenshotShowsTheNotificationLegibly() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let blank = desktop.root + "/blank.png"
        try desktop.screenshot(to: blank)

        _ = try notify(
            desktop, summary: "Morning intention",
            body: "Who could use a word of encouragement from me today? Think of one person and one small thing.",
            actions: ["default", "Answer", "snooze", "Snooze", "skip", "Skip"],
            hints: "{'category': <'x-kindling.prompt'>, 'urgency': <byte 1>}", icon: "dialog-information")
        #expect(try desktop.waitForDisplayed(1))
        // dunst draws on its next main-loop turn after counting the notification as displayed.
        usleep(300_000)
        let path = artifactsDirectory + "/desktop-session-smoke.png"
        try? FileManager.default.removeItem(atPath: path)
        try desktop.screenshot(to: path)

        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG: \(path)")
        // IHDR follows the signature: width and height, big-endian, at bytes 16 and 20.
        let width = png.count > 24 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
        let height = png.count > 24 ? png[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
        #expect(width == 1280 && height == 800, "\(width)x\(height)")
        // Text and an icon add detail that an empty desktop (a smooth gradient) lacks.
        let blankSize = try Data(contentsOf: URL(fileURLWithPath: blank)).count
        print("measured: screenshot \(png.count) bytes (empty desktop \(blankSize) bytes) at \(path)")
        #expect(png.count > 8_000)
        #expect(png.count > blankSize + 4_000)
        #expect(desktop.dunstLog.contains("Found icon at /usr/share/icons/Adwaita/48x48/"), "\(desktop.dunstLog)")
    }

    @Test func stopLeavesNoProcessOrFileBehind() throws {
        let desktop = try DesktopSession()
        _ = try desktop.startMonitor()
        let pids = desktop.processIDs
        #expect(pids.count == 4, "bus, Xvfb, dunst and a monitor: \(pids)")
        let displayNumber = String(desktop.display.dropFirst())
        #expect(FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(displayNumber)"))

        let stopping = Date()
        desktop.stop()
        let stopSeconds = Date().timeIntervalSince(stopping)
        print("measured: desktop session stopped in \(String(format: "%.2f", stopSeconds)) s")
        #expect(stopSeconds < 2, "something ignored SIGTERM and waited for SIGKILL")
        for pid in pids {
            // Reaped children are gone entirely: no zombie, no process group member left.
            #expect(kill(pid, 0) == -1 && errno == ESRCH, "pid \(pid) is still there")
            #expect(kill(-pid, 0) == -1 && errno == ESRCH, "process group \(pid) still has members")
        }
        #expect(!FileManager.default.fileExists(atPath: desktop.root))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/.X\(displayNumber)-lock"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(displayNumber)"))
    }

    // MARK: - A notification client

    /// Sends a notification with `gdbus call` and returns the id the server gave it.
    private func notify(
        _ desktop: DesktopSession, summary: String, body: String, actions: [String] = [], hints: String = "@a{sv} {}",
        icon: String = ""
    ) throws -> UInt32 {
        let outcome = try gdbusNotify(desktop, summary: summary, body: body, actions: actions, hints: hints, icon: icon)
        // gdbus prints the reply as a GVariant tuple: "(uint32 7,)".
        let reply = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let number = reply.hasPrefix("(uint32 ") && reply.hasSuffix(",)") ? reply.dropFirst(8).dropLast(2) : ""
        guard outcome.status == 0, let id = UInt32(number) else { throw TestSetupError("Notify failed: \(outcome)") }
        return id
    }

    private func gdbusNotify(
        _ desktop: DesktopSession, summary: String, body: String, actions: [String], hints: String, icon: String = ""
    ) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gdbus") else {
            throw TestSetupError("/usr/bin/gdbus is missing (Debian package libglib2.0-bin): run `make test`")
        }
        // Every argument in GVariant text form, so a summary such as "42" stays a string.
        let actionList = "[" + actions.map(gvariantString).joined(separator: ", ") + "]"
        let arguments = [
            "call", "--address", desktop.busAddress, "--dest", "org.freedesktop.Notifications",
            "--object-path", "/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications.Notify",
            "--", gvariantString("Kindling"), "uint32 0", gvariantString(icon), gvariantString(summary),
            gvariantString(body), actionList.count > 2 ? actionList : "@as []", hints, "int32 -1",
        ]
        return try run("/usr/bin/gdbus", arguments, environment: desktop.environment, timeout: 10)
    }

    private func gvariantString(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private func invoked(_ messages: [BusMessage], id: UInt32, key: String) -> Bool {
        messages.contains { $0.member == "ActionInvoked" && $0.argument(0) == "\(id)" && $0.argument(1) == key }
    }
}
