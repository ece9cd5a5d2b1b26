import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Do-not-disturb from a second real notification server: xfce4-notifyd, whose switch lives in
/// xfconf (see ``XfceNotificationServer``), on the same private desktop as the dunst tests.
/// While it is on, a prompt waits (in `kindling pending`, not on screen); when it ends, the
/// prompt is shown.
@Suite(.serialized) struct DoNotDisturbServerTests {
    @Test func xfceDoNotDisturbHoldsAPromptBackUntilItEnds() throws {
        let desktop = try DesktopSession(startNotificationServer: false)
        defer { desktop.stop() }
        let xfce = try XfceNotificationServer(on: desktop)
        defer { xfce.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(
            daemon.waitForStatus {
                $0.notifications == "connected" && $0.desktop?.server?.hasPrefix("Xfce Notify Daemon") == true
                    && Self.reading($0, "xfce4-notifyd") == "off"
            }, "\(daemon.log)")
        // dunst's and KDE's switches are not on this server, and this is no GNOME desktop.
        let before = try daemon.status()
        #expect(
            ["dunst", "kde", "gnome"].allSatisfy { Self.reading(before, $0) == "absent" }, "\(String(describing: before.desktop))"
        )
        #expect(before.desktop?.quietSources == [] && before.desktop?.doNotDisturb == false)

        try xfce.setDoNotDisturb(true)
        #expect(
            daemon.waitForStatus { $0.desktop?.quietSources == ["xfce4-notifyd"] && $0.desktop?.doNotDisturb == true },
            "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        // A Notify sent now would be on the bus within milliseconds; give it ample time.
        usleep(2_000_000)
        #expect(monitor.kindlingCalls().isEmpty, "a Notify was sent during do-not-disturb:\n\(monitor.text)")
        #expect(try xfce.visibleCount() == 0)
        #expect(try daemon.pendingIDs() == [prompt.id], "the prompt should wait in `kindling pending`")

        // `status` and `doctor` say which switch is on, calmly.
        let status = try daemon.kindling("status")
        #expect(status.status == 0 && status.stdout.contains("quiet:") && status.stdout.contains("xfce4-notifyd"), "\(status)")
        let doctor = try daemon.kindling("doctor").stdout.split(separator: "\n").map(String.init)
        let quietLines = doctor.filter { $0.dropFirst(2).hasPrefix("do-not-disturb") }
        #expect(
            quietLines.count == 4, "one line per switch (dunst, KDE, xfce4-notifyd, GNOME):\n\(doctor.joined(separator: "\n"))")
        #expect(
            quietLines.contains { $0.hasPrefix("· do-not-disturb") && $0.contains("xfce4-notifyd: on") },
            "\(quietLines)")
        #expect(quietLines.contains { $0.contains("xfconf-query -c xfce4-notifyd -p /do-not-disturb -s false") })
        #expect(!quietLines.contains { $0.hasPrefix("!") }, "quiet is never a problem:\n\(quietLines)")

        try xfce.setDoNotDisturb(false)
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [DesktopNotificationTests.markupEscaped(prompt.text)] },
            "the held prompt was not sent when do-not-disturb ended:\n\(monitor.text)\n\(daemon.log)")
        #expect(try xfce.waitForVisible(1), "the held prompt is not on screen; xfce4-notifyd:\n\(xfce.notifydLog)")
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == [] && $0.desktop?.doNotDisturb == false })

        // Switched on again and then reset to xfce4-notifyd's default (the setting removed):
        // the next prompt is held and then shown the same way.
        try xfce.setDoNotDisturb(true)
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == ["xfce4-notifyd"] }, "\(daemon.log)")
        let second = try daemon.fire("reflection")
        usleep(1_000_000)
        #expect(monitor.kindlingCalls().count == 1, "\(monitor.text)")
        try xfce.resetDoNotDisturb()
        #expect(
            monitor.waitFor { _ in
                monitor.kindlingCalls().last?.body == DesktopNotificationTests.markupEscaped(second.text)
            }, "\(monitor.text)\n\(daemon.log)")
        #expect(try xfce.waitForVisible(2), "xfce4-notifyd:\n\(xfce.notifydLog)")
        #expect(Self.reading(try daemon.status(), "xfce4-notifyd") == "off")
    }

    /// A do-not-disturb left on in xfconf says nothing about another server: with dunst showing
    /// the prompts, xfce4-notifyd's switch is absent and the prompt is shown at once.
    @Test func anotherServersSwitchDoesNotHoldPromptsBack() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let xfconf = try XfceNotificationServer(on: desktop, startNotificationServer: false)
        defer { xfconf.stop() }
        try xfconf.setDoNotDisturb(true)
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(
            daemon.waitForStatus { $0.notifications == "connected" && Self.reading($0, "dunst") == "off" }, "\(daemon.log)")
        let status = try daemon.status()
        #expect(Self.reading(status, "xfce4-notifyd") == "absent" && status.desktop?.doNotDisturb == false, "\(status)")
        _ = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
    }

    /// GNOME's do-not-disturb is `show-banners` off, in dconf. There is no GNOME Shell here:
    /// dunst shows the prompts, and XDG_CURRENT_DESKTOP says the desktop is GNOME, as it does
    /// in a GNOME session; the setting is written through a real dconf-service on the bus.
    @Test func gnomesBannersOffHoldsAPromptBackUntilTheyAreOn() throws {
        let key = "/org/gnome/desktop/notifications/show-banners"
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(
            config: DesktopNotificationTests.config(), desktop: desktop, environment: ["XDG_CURRENT_DESKTOP": "ubuntu:GNOME"])
        defer { daemon.stop() }
        let dconf = try DconfService(environment: daemon.sandbox.environment, session: desktop)
        defer { dconf.stop() }
        #expect(
            daemon.waitForStatus { $0.notifications == "connected" && Self.reading($0, "gnome") == "off" }, "\(daemon.log)")

        try dconf.write(key, "false")
        #expect(
            daemon.waitForStatus { $0.desktop?.quietSources == ["gnome"] && $0.desktop?.doNotDisturb == true },
            "\(daemon.log)\n\(dconf.log)")
        let prompt = try daemon.fire("intention")
        usleep(2_000_000)
        #expect(monitor.kindlingCalls().isEmpty, "a Notify was sent while GNOME's banners were off:\n\(monitor.text)")
        #expect(try desktop.displayedCount() == 0)
        #expect(try daemon.pendingIDs() == [prompt.id])
        let doctor = try daemon.kindling("doctor").stdout
        #expect(doctor.contains("· do-not-disturb GNOME: on"), "\(doctor)")

        try dconf.write(key, "true")
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [DesktopNotificationTests.markupEscaped(prompt.text)] },
            "\(monitor.text)\n\(daemon.log)")
        #expect(try desktop.waitForDisplayed(1))
        #expect(daemon.waitForStatus { Self.reading($0, "gnome") == "off" && $0.desktop?.doNotDisturb == false })

        // Reset to GNOME's default (banners on), the switch is off again.
        try dconf.write(key, "false")
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == ["gnome"] }, "\(daemon.log)")
        try dconf.reset(key)
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == [] }, "\(daemon.log)")
    }

    /// KDE's do-not-disturb is the server's own `Inhibited` property, followed through
    /// `PropertiesChanged`. Plasma's server does not run headless: a stand-in with the same
    /// interface is used (see ``FakePlasmaNotifications``).
    @Test func kdesInhibitedHoldsAPromptBackUntilItEnds() throws {
        let desktop = try DesktopSession(startNotificationServer: false)
        defer { desktop.stop() }
        let plasma = try FakePlasmaNotifications(desktop: desktop)
        defer { plasma.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(
            daemon.waitForStatus { $0.notifications == "connected" && Self.reading($0, "kde") == "off" },
            "\(daemon.log)\n\(plasma.log)")

        let cookie = try plasma.inhibit()
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == ["kde"] }, "\(daemon.log)\n\(plasma.log)")
        let prompt = try daemon.fire("intention")
        usleep(2_000_000)
        #expect(monitor.kindlingCalls().isEmpty, "a Notify was sent while inhibited:\n\(monitor.text)")
        #expect(try daemon.pendingIDs() == [prompt.id])

        try plasma.uninhibit(cookie)
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.summary) == ["Morning intention"] },
            "\(monitor.text)\n\(daemon.log)")
        #expect(daemon.waitForStatus { $0.desktop?.quietSources == [] && $0.desktop?.doNotDisturb == false })
    }

    /// What `source`'s switch says in `status --json` (`quiet_readings`).
    static func reading(_ status: StatusResult, _ source: String) -> String? {
        status.desktop?.quietReadings?.first { $0.source == source }?.reading
    }
}
