import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A Kindling prompt as the second real server, xfce4-notifyd, draws it: the picture in docs/
/// beside dunst's (docs/screenshot.png), and its buttons clicked with a real pointer (xdotool),
/// found in the drawn window (``XfceNotificationServer/buttonCenters(count:timeout:)``).
@Suite(.serialized) struct XfceNotificationTests {
    @Test func snoozeAndSkipClickedOnXfceActAsTheCommandsDo() throws {
        let desktop = try DesktopSession(startNotificationServer: false)
        defer { desktop.stop() }
        let xfce = try XfceNotificationServer(on: desktop)
        defer { xfce.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(snooze: "3s"), desktop: desktop)
        defer { daemon.stop() }
        let events = try EventStream(daemon)
        defer { events.stop() }
        #expect(
            daemon.waitForStatus {
                $0.notifications == "connected" && $0.desktop?.server?.hasPrefix("Xfce Notify Daemon") == true
            }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(events.waitFor { $0.contains { $0.id == prompt.id } }, "\(events.text)")
        #expect(try xfce.waitForVisible(1), "xfce4-notifyd:\n\(xfce.notifydLog)")
        // Answer, Snooze and Skip, in that order.
        var buttons = try xfce.buttonCenters(count: 3)
        try xfce.click(x: buttons[1].x, y: buttons[1].y)
        #expect(monitor.waitFor { DesktopNotificationTests.invoked($0, key: "snooze") }, "\(monitor.text)")
        // As `kindling snooze ID`: a snoozed event, still waiting, and off the screen.
        #expect(
            events.waitFor { $0.contains { $0.event == .snoozed && $0.id == prompt.id && $0.until != nil } }, "\(events.text)")
        #expect(try daemon.pendingIDs().contains(prompt.id))
        #expect(try xfce.waitForVisible(0), "a snoozed prompt's notification must be closed")

        // Three seconds later it is shown again; Skip on it skips the prompt.
        #expect(
            monitor.waitFor(timeout: 15) { _ in monitor.kindlingCalls().count == 2 },
            "no second Notify after the snooze:\n\(monitor.text)\n\(daemon.log)")
        #expect(try xfce.waitForVisible(1), "xfce4-notifyd:\n\(xfce.notifydLog)")
        buttons = try xfce.buttonCenters(count: 3)
        try xfce.click(x: buttons[2].x, y: buttons[2].y)
        #expect(monitor.waitFor { DesktopNotificationTests.invoked($0, key: "skip") }, "\(monitor.text)")
        #expect(events.waitFor { $0.contains { $0.event == .skipped && $0.id == prompt.id } }, "\(events.text)")
        #expect(daemon.waitForStatus { !$0.pending.contains { $0.id == prompt.id } }, "the skipped prompt still waits")
        #expect(try !daemon.pendingIDs().contains(prompt.id))
        #expect(try xfce.waitForVisible(0))
    }

    @Test func answerClickedOnXfceRunsTheRespondCommandWithThePromptID() throws {
        let desktop = try DesktopSession(startNotificationServer: false)
        defer { desktop.stop() }
        let xfce = try XfceNotificationServer(on: desktop)
        defer { xfce.stop() }
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let answer = try Recorder(directory: scratch.path, name: "answer")
        let daemon = try DesktopDaemon(
            config: DesktopNotificationTests.config(respondCommand: "\(answer.path) --prompt {id} --from notification"),
            desktop: desktop)
        defer { daemon.stop() }
        #expect(
            daemon.waitForStatus {
                $0.notifications == "connected" && $0.desktop?.server?.hasPrefix("Xfce Notify Daemon") == true
            }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try xfce.waitForVisible(1), "xfce4-notifyd:\n\(xfce.notifydLog)")
        let buttons = try xfce.buttonCenters(count: 3)
        try xfce.click(x: buttons[0].x, y: buttons[0].y)
        #expect(monitor.waitFor { DesktopNotificationTests.invoked($0, key: "default") }, "\(monitor.text)")
        #expect(answer.waitForRun(id: prompt.id), "the respond command did not run; daemon log:\n\(daemon.log)")
        #expect(answer.arguments(id: prompt.id) == ["--prompt", "\(prompt.id)", "--from", "notification"])
        // Answer opens a way to answer; the prompt itself still waits for the answer.
        #expect(try daemon.pendingIDs().contains(prompt.id))
    }

    @Test func aScreenshotOfAKindlingNotificationOnXfce() throws {
        let desktop = try DesktopSession(startNotificationServer: false)
        defer { desktop.stop() }
        let xfce = try XfceNotificationServer(on: desktop)
        defer { xfce.stop() }
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(
            daemon.waitForStatus {
                $0.notifications == "connected" && $0.desktop?.server?.hasPrefix("Xfce Notify Daemon") == true
            }, "\(daemon.log)")
        _ = try daemon.fire("intention")
        #expect(try xfce.waitForVisible(1), "xfce4-notifyd:\n\(xfce.notifydLog)")
        // xfce4-notifyd fades its windows in.
        usleep(1_000_000)

        let window = try run(
            "/usr/bin/xdotool", ["search", "--onlyvisible", "--class", "xfce4-notifyd"], environment: desktop.environment,
            timeout: 10
        ).stdout.split(separator: "\n").first.map(String.init)
        let id = try #require(window, "no xfce4-notifyd window to photograph")
        var geometry: [String: Int] = [:]
        let shell = try run(
            "/usr/bin/xdotool", ["getwindowgeometry", "--shell", id], environment: desktop.environment, timeout: 10)
        for line in shell.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { geometry[String(parts[0])] = value }
        }
        let x = try #require(geometry["X"]), y = try #require(geometry["Y"])
        let width = try #require(geometry["WIDTH"]), height = try #require(geometry["HEIGHT"])
        #expect(width > 100 && height > 30, "\(geometry)")
        // The window with a margin of the desktop around it, as the dunst picture has.
        let left = max(0, x - 24)
        let right = min(1280, x + width + 24)
        let bottom = min(800, y + height + 24)
        let shot = artifactsDirectory + "/kindling-notification-xfce.png"
        try? FileManager.default.removeItem(atPath: shot)
        try desktop.screenshot(to: shot, region: "\(right - left)x\(bottom)+\(left)+0")
        #expect(try DesktopNotificationTests.pngSize(shot) == (right - left, bottom))
        #expect(try Data(contentsOf: URL(fileURLWithPath: shot)).count > 8_000, "the screenshot looks empty")

        let docs = DesktopNotificationTests.repositoryRoot + "/docs/screenshot-xfce4-notifyd.png"
        try? FileManager.default.removeItem(atPath: docs)
        try FileManager.default.copyItem(atPath: shot, toPath: docs)
        print("measured: xfce4-notifyd screenshot at \(shot) and \(docs)")
    }
}
