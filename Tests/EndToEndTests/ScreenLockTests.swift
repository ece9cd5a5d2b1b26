import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `[delivery] discreet = "when-locked"` against a real screen locker (mate-screensaver) on
/// the test desktop: while it is locked, notifications and the hook say only that a prompt is
/// waiting; once it is unlocked, the text comes back, on screen and in the hook.
@Suite(.serialized) struct ScreenLockTests {
    static let discreetBody = "A prompt is waiting for you."
    /// No system bus, so the computer's own logind (on a developer's machine) has no say.
    static let noSystemBus = ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/kindling-test/system_bus_socket"]

    static func config(discreet: String) -> String {
        DesktopNotificationTests.config(keepInHistory: true)
            .replacingOccurrences(of: "discreet = false", with: "discreet = \(discreet)")
                + """

                [[custom]]
                name = "water"
                at = "10:30"
                valid_for = "2h"
                text = "A glass of water is a small kindness to your body."

                """
    }

    /// dunst's history entry for the notification it numbered `id`.
    static func historyBody(_ desktop: DesktopSession, id: UInt32) throws -> String? {
        try desktop.history().first { $0["id"] == "\(id)" }?["body"]
    }

    @Test func textOnlyWhileTheScreenIsUnlocked() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        try desktop.startScreensaver()
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let hook = try Recorder(directory: scratch.path, name: "hook")
        let config = Self.config(discreet: "\"when-locked\"")
            .replacingOccurrences(of: "command = \"\"", with: "command = \(DesktopNotificationTests.tomlString(hook.path))")
        let daemon = try DesktopDaemon(config: config, desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        // Locked: the notification and the hook learn only that a prompt is waiting.
        try desktop.setScreenLocked(true)
        #expect(waitUntil(timeout: 10) { daemon.log.contains("the screen is locked (org.mate.ScreenSaver)") }, "\(daemon.log)")
        let first = try daemon.fire("intention")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().first?.body == Self.discreetBody)
        #expect(!monitor.text.contains(first.text), "the prompt's text went over the bus while locked")
        #expect(hook.waitForRun(id: first.id), "\(daemon.log)")
        #expect(hook.environment(id: first.id)["KINDLING_TEXT"] == nil)
        #expect(hook.environment(id: first.id)["KINDLING_SLOT"] == "intention")

        // A custom slot's own name stays home too.
        let water = try daemon.fire("water")
        #expect(hook.waitForRun(id: water.id), "\(daemon.log)")
        #expect(hook.environment(id: water.id)["KINDLING_SLOT"] == "custom")
        #expect(hook.environment(id: water.id)["KINDLING_TEXT"] == nil)
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 2 }, "\(monitor.text)")

        // What dunst keeps of the locked notification (the custom slot's, closed now) has no text.
        #expect(try desktop.waitForDisplayed(2), "\(daemon.log)")
        try desktop.closeLast()
        #expect(try waitUntil(timeout: 10) { try desktop.historyCount() == 1 })
        let lockedBody = try #require(try desktop.history().first?["body"])
        #expect(lockedBody == Self.discreetBody, "dunst history while locked: \((try? desktop.historyJSON()) ?? "")")

        // Unlocked: the prompt still on screen gets its text back, in place.
        try desktop.setScreenLocked(false)
        #expect(waitUntil(timeout: 10) { daemon.log.contains("the screen is unlocked") }, "\(daemon.log)")
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().count == 3 }, "no new notification after unlock: \(monitor.text)")
        let update = try #require(monitor.kindlingCalls().last)
        #expect(update.replacesID != 0, "the text should replace the discreet notification, not add one")
        // (Which of the two dunst closed first depends on its sorting; either way, the one
        // left on screen is the one that gets its text, and the closed one stays closed.)
        let texts = [first.text, water.text].map(DesktopNotificationTests.markupEscaped)
        #expect(texts.contains(update.body), "\(update.body)")
        #expect(try desktop.displayedCount() == 1)
        try desktop.closeAll()
        #expect(try waitUntil(timeout: 10) { try desktop.historyCount() == 2 })
        let unlockedBody = try #require(try desktop.history().first?["body"])
        #expect(unlockedBody == update.body, "dunst history after unlock: \((try? desktop.historyJSON()) ?? "")")
        #expect(monitor.kindlingCalls().count == 3, "the closed notification came back: \(monitor.text)")

        // A prompt fired while unlocked carries its text everywhere.
        let later = try daemon.fire("nudge")
        #expect(hook.waitForRun(id: later.id), "\(daemon.log)")
        #expect(hook.environment(id: later.id)["KINDLING_TEXT"] == later.text)
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 4 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().last?.body == DesktopNotificationTests.markupEscaped(later.text))
    }

    @Test func withoutAScreensaverTheScreenCountsAsUnlocked() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(
            config: Self.config(discreet: "{ desktop = \"when-locked\" }"), desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().first?.body == DesktopNotificationTests.markupEscaped(prompt.text))
    }

    /// logind's `LockedHint` (on a stand-in for logind: see ``FakeLogind``) decides alone when
    /// no screensaver is there, for both channels, and its changes are followed.
    @Test func followsLogindsLockedHint() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let logind = try FakeLogind()
        defer { logind.stop() }
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let hook = try Recorder(directory: scratch.path, name: "hook")
        let config = Self.config(discreet: "\"when-locked\"")
            .replacingOccurrences(of: "command = \"\"", with: "command = \(DesktopNotificationTests.tomlString(hook.path))")
        let daemon = try DesktopDaemon(
            config: config, desktop: desktop, environment: ["DBUS_SYSTEM_BUS_ADDRESS": logind.busAddress])
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        #expect(
            waitUntil(timeout: 10) {
                daemon.log.contains("following the screen lock of logind session \(FakeLogind.sessionPath)")
            },
            "\(daemon.log)")

        try logind.setLockedHint(true)
        #expect(waitUntil(timeout: 10) { daemon.log.contains("the screen is locked (logind)") }, "\(daemon.log)")
        let locked = try daemon.fire("intention")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().first?.body == Self.discreetBody)
        #expect(hook.waitForRun(id: locked.id), "\(daemon.log)")
        #expect(hook.environment(id: locked.id)["KINDLING_TEXT"] == nil)

        try logind.setLockedHint(false)
        #expect(waitUntil(timeout: 10) { daemon.log.contains("the screen is unlocked") }, "\(daemon.log)")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 2 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().last?.body == DesktopNotificationTests.markupEscaped(locked.text))
        let unlocked = try daemon.fire("nudge")
        #expect(hook.waitForRun(id: unlocked.id), "\(daemon.log)")
        #expect(hook.environment(id: unlocked.id)["KINDLING_TEXT"] == unlocked.text)
    }

    /// Asking whether a screensaver is active must not start one: MATE's and
    /// gnome-screensaver's are D-Bus activatable, and on another desktop they would take over
    /// the screen. Here an activatable org.mate.ScreenSaver only leaves a mark when started.
    @Test func askingNeverStartsAScreensaver() throws {
        let scratch = try ScratchDirectory()
        let services = scratch.path + "/services"
        try FileManager.default.createDirectory(atPath: services, withIntermediateDirectories: true)
        let mark = scratch.path + "/started"
        for name in ["org.mate.ScreenSaver", "org.freedesktop.ScreenSaver"] {
            try "[D-BUS Service]\nName=\(name)\nExec=/usr/bin/touch \(mark)-\(name)\n".write(
                toFile: "\(services)/\(name).service", atomically: true, encoding: .utf8)
        }
        let desktop = try DesktopSession(serviceDirectory: services)
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(
            config: Self.config(discreet: "\"when-locked\""), desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().first?.body == DesktopNotificationTests.markupEscaped(prompt.text))
        // The GetActive calls went out before the prompt; an activation would have run by now.
        Thread.sleep(forTimeInterval: 0.5)
        let started = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("started") }
        #expect(started.isEmpty, "the bus was made to start \(started)")
    }

    /// A reload that turns "when-locked" on starts following the lock at once (the prompt on
    /// screen loses its text), and one that turns it off stops (the text comes back).
    @Test func aReloadStartsAndStopsFollowingTheLock() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        try desktop.startScreensaver()
        try desktop.setScreenLocked(true)
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(discreet: "false"), desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        let text = DesktopNotificationTests.markupEscaped(prompt.text)
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [text] }, "\(monitor.text)")

        try Self.config(discreet: "{ desktop = \"when-locked\" }").write(
            toFile: daemon.sandbox.configFile, atomically: true, encoding: .utf8)
        #expect(try daemon.kindling("reload").status == 0)
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [text, Self.discreetBody] }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().last?.replacesID != 0)

        try Self.config(discreet: "false").write(toFile: daemon.sandbox.configFile, atomically: true, encoding: .utf8)
        #expect(try daemon.kindling("reload").status == 0)
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [text, Self.discreetBody, text] }, "\(monitor.text)")
        #expect(try desktop.displayedCount() == 1)
    }

    /// The freedesktop name itself (KDE, xfce4-screensaver, light-locker), on a stand-in: see
    /// ``FakeScreenSaver``. Its ActiveChanged is followed both ways.
    @Test func followsOrgFreedesktopScreenSaver() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let screensaver = try FakeScreenSaver(desktop: desktop)
        defer { screensaver.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(
            config: Self.config(discreet: "{ desktop = \"when-locked\" }"), desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        #expect(
            waitUntil(timeout: 10) {
                daemon.log.contains("following the screen lock of the screensaver org.freedesktop.ScreenSaver")
            },
            "\(daemon.log)")

        try screensaver.setActive(true)
        #expect(
            waitUntil(timeout: 10) { daemon.log.contains("the screen is locked (org.freedesktop.ScreenSaver)") }, "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        let text = DesktopNotificationTests.markupEscaped(prompt.text)
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [Self.discreetBody] }, "\(monitor.text)")

        try screensaver.setActive(false)
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [Self.discreetBody, text] }, "\(monitor.text)")
    }

    /// The lock is not known at once (the screensaver takes its time to answer): a hook that
    /// follows it gets no text meanwhile, since a hook that has run cannot be taken back.
    @Test func aHookWaitsForTheLockToBeKnownBeforeItGetsText() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let screensaver = try FakeScreenSaver(desktop: desktop, answerDelay: 4, active: true)
        defer { screensaver.stop() }
        let scratch = try ScratchDirectory()
        let hook = try Recorder(directory: scratch.path, name: "hook")
        let config = Self.config(discreet: "{ hook = \"when-locked\" }")
            .replacingOccurrences(of: "command = \"\"", with: "command = \(DesktopNotificationTests.tomlString(hook.path))")
        let daemon = try DesktopDaemon(config: config, desktop: desktop, environment: Self.noSystemBus)
        defer { daemon.stop() }
        let early = try daemon.fire("intention")
        #expect(hook.waitForRun(id: early.id), "\(daemon.log)")
        #expect(hook.environment(id: early.id)["KINDLING_TEXT"] == nil, "the hook got text before the lock was known")
        #expect(
            waitUntil(timeout: 10) { daemon.log.contains("the screen is locked (org.freedesktop.ScreenSaver)") }, "\(daemon.log)")
        try screensaver.setActive(false)
        #expect(waitUntil(timeout: 10) { daemon.log.contains("the screen is unlocked") }, "\(daemon.log)")
        let later = try daemon.fire("nudge")
        #expect(hook.waitForRun(id: later.id), "\(daemon.log)")
        #expect(hook.environment(id: later.id)["KINDLING_TEXT"] == later.text)
    }
}
