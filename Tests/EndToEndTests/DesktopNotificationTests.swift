import Foundation
import KindlingControl
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kindlingd against a real desktop: a private session bus, Xvfb and dunst (see
/// ``DesktopSession``). Each test reads what the daemon sent from the bus itself
/// (`busctl monitor`), what dunst shows from `dunstctl`, and what the daemon made of it
/// from `kindling status`, `kindling watch` and the scripts it ran.
@Suite(.serialized) struct DesktopNotificationTests {
    // MARK: - Showing a prompt

    @Test func aFiredPromptIsDisplayedWithTheExactNotifyCall() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let intention = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        let call = try #require(monitor.kindlingCalls().first)
        #expect(call.appName == "Kindling")
        #expect(call.summary == "Morning intention")
        #expect(call.body == Self.markupEscaped(intention.text))
        #expect(call.actions.map(\.key) == ["default", "snooze", "skip"])
        #expect(call.actions.map(\.label) == ["Answer", "Snooze", "Skip"])
        #expect(call.hints["urgency"] == "1" && call.hintTypes["urgency"] == "y")
        #expect(call.hints["category"] == "x-kindling.prompt")
        #expect(call.hints["desktop-entry"] == "kindling")
        #expect(call.hints["transient"] == "1" && call.hintTypes["transient"] == "b")
        #expect(call.expireTimeout == -1)
        // The icon is Kindling's own SVG, written next to the control socket.
        #expect(call.icon == (daemon.sandbox.socket as NSString).deletingLastPathComponent + "/kindling.svg")
        #expect(
            FileManager.default.contents(atPath: call.icon).map { String(decoding: $0, as: UTF8.self) }?.contains("<svg") == true)

        // A nudge is the gentlest kind: low urgency.
        let nudge = try daemon.fire("nudge")
        #expect(try desktop.waitForDisplayed(2))
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 2 }, "\(monitor.text)")
        let nudgeCall = try #require(monitor.kindlingCalls().last)
        #expect(nudgeCall.summary == "Mindful-action nudge")
        #expect(nudgeCall.body == Self.markupEscaped(nudge.text))
        #expect(nudgeCall.hints["urgency"] == "0" && nudgeCall.hintTypes["urgency"] == "y")
    }

    /// Prompts ask the server to keep no copy once closed (the `transient` hint), unless the
    /// person sets keep_in_history. dunst keeps even transient notifications in its history
    /// unless a rule says otherwise (the README shows the rule), so the test reads the call.
    @Test func promptsAreTransientUnlessKeptInHistory() throws {
        for keep in [false, true] {
            let desktop = try DesktopSession()
            defer { desktop.stop() }
            let monitor = try desktop.startMonitor()
            let daemon = try DesktopDaemon(config: Self.config(keepInHistory: keep), desktop: desktop)
            defer { daemon.stop() }
            #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
            _ = try daemon.fire("intention")
            #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
            #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
            let call = try #require(monitor.kindlingCalls().first)
            #expect(call.hints["transient"] == (keep ? nil : "1"), "keep_in_history = \(keep): \(call.hints)")
        }
    }

    @Test func withoutARespondCommandNoAnswerButtonIsOffered() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(respondCommand: ""), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        _ = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        #expect(monitor.waitFor { _ in !monitor.kindlingCalls().isEmpty }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().first?.actions.map(\.key) == ["snooze", "skip"])
    }

    // MARK: - The buttons

    @Test func theDefaultActionRunsTheRespondCommandWithThePromptID() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let answer = try Recorder(directory: scratch.path, name: "answer")
        let daemon = try DesktopDaemon(
            config: Self.config(respondCommand: "\(answer.path) --prompt {id} --from notification"), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        try desktop.invokeDefaultAction()
        #expect(monitor.waitFor { Self.invoked($0, key: "default") }, "\(monitor.text)")
        #expect(answer.waitForRun(id: prompt.id), "the respond command did not run; daemon log:\n\(daemon.log)")
        #expect(answer.arguments(id: prompt.id) == ["--prompt", "\(prompt.id)", "--from", "notification"])
        let environment = answer.environment(id: prompt.id)
        #expect(environment["KINDLING_ID"] == "\(prompt.id)")
        #expect(environment["KINDLING_SOCKET"] == daemon.sandbox.socket)
        // Answer opens a way to answer; the prompt itself still waits for the answer.
        #expect(try daemon.pendingIDs().contains(prompt.id))
    }

    @Test func snoozeFromTheContextMenuClosesTheNotificationAndItComesBack() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(snooze: "3s"), desktop: desktop)
        defer { daemon.stop() }
        let events = try EventStream(daemon)
        defer { events.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(events.waitFor { $0.contains { $0.id == prompt.id } }, "\(events.text)")
        #expect(try desktop.waitForDisplayed(1))
        let offered = try desktop.openContextMenu(choosing: "snooze")
        #expect(offered.contains { $0.contains("Snooze") } && offered.contains { $0.contains("Skip") }, "\(offered)")
        #expect(monitor.waitFor { Self.invoked($0, key: "snooze") }, "\(monitor.text)")

        // As `kindling snooze ID`: a snoozed event, still waiting, and off the screen.
        #expect(
            events.waitFor { $0.contains { $0.event == .snoozed && $0.id == prompt.id && $0.until != nil } }, "\(events.text)")
        #expect(try daemon.pendingIDs().contains(prompt.id))
        #expect(try desktop.waitForDisplayed(0), "a snoozed prompt's notification must be closed")
        #expect(monitor.waitFor { $0.contains { $0.member == "CloseNotification" } }, "\(monitor.text)")
        #expect(monitor.waitFor { Self.closedByCall($0) }, "\(monitor.text)")

        // Three seconds later it is delivered again: a second Notify with the same body.
        #expect(
            monitor.waitFor(timeout: 15) { _ in monitor.kindlingCalls().count == 2 },
            "no second Notify after the snooze:\n\(monitor.text)\n\(daemon.log)")
        let calls = monitor.kindlingCalls()
        #expect(calls.count == 2 && calls[0].body == calls[1].body && calls[1].summary == "Morning intention")
        #expect(try desktop.waitForDisplayed(1))
        #expect(
            events.waitFor { events in
                let snoozed = events.firstIndex { $0.event == .snoozed } ?? events.endIndex
                return events[snoozed...].contains { $0.event == .fired && $0.id == prompt.id }
            }, "\(events.text)")
    }

    @Test func skipFromTheContextMenuSkipsThePromptAndClosesTheNotification() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        let events = try EventStream(daemon)
        defer { events.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(events.waitFor { $0.contains { $0.id == prompt.id } }, "\(events.text)")
        #expect(try desktop.waitForDisplayed(1))
        try desktop.openContextMenu(choosing: "skip")
        #expect(monitor.waitFor { Self.invoked($0, key: "skip") }, "\(monitor.text)")

        #expect(events.waitFor { $0.contains { $0.event == .skipped && $0.id == prompt.id } }, "\(events.text)")
        #expect(daemon.waitForStatus { !$0.pending.contains { $0.id == prompt.id } }, "the skipped prompt still waits")
        #expect(try desktop.waitForDisplayed(0))
        #expect(monitor.waitFor { Self.closedByCall($0) }, "\(monitor.text)")
        // The CLI agrees that there is nothing left to skip.
        let again = try daemon.kindling("skip", "\(prompt.id)")
        #expect(again.status == 1 && again.stderr.contains("skipped"), "\(again)")
    }

    @Test func answeringFromTheCLIClosesTheNotification() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        let respond = try daemon.kindling("respond", "\(prompt.id)", "Call my sister and listen.")
        #expect(respond.status == 0, "\(respond)")
        #expect(try desktop.waitForDisplayed(0), "the answered prompt's notification is still on screen")
        #expect(monitor.waitFor { Self.closedByCall($0) }, "\(monitor.text)")
        // The one closed is Kindling's, as dunst's history tells.
        let closed = try #require(try desktop.history().first)
        #expect(closed["appname"] == "Kindling" && closed["summary"] == "Morning intention", "\(closed)")
        let closeCall = try #require(monitor.messages().first { $0.member == "CloseNotification" })
        #expect(closeCall.argument(0) == closed["id"])
    }

    @Test func anExpiredPromptLeavesTheScreen() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(intentionValidFor: "3s"), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        #expect(daemon.waitForStatus { !$0.pending.contains { $0.id == prompt.id } }, "the prompt did not expire")
        #expect(try desktop.waitForDisplayed(0), "the expired prompt's notification is still on screen")
        #expect(monitor.waitFor { Self.closedByCall($0) }, "\(monitor.text)")
    }

    // MARK: - The server and the bus coming and going

    @Test func aKilledNotificationServerIsSurvivedAndTheNewOneGetsThePrompts() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let first = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        try desktop.killNotificationServer()
        #expect(daemon.waitForStatus { $0.notifications == "unavailable" && $0.desktop?.server == nil }, "\(daemon.log)")
        #expect(daemon.isRunning)
        #expect(try daemon.status().desktop?.busConnected == true, "losing the server is not losing the bus")

        try desktop.startNotificationServer()
        #expect(daemon.waitForStatus { $0.notifications == "connected" && $0.desktop?.server != nil }, "\(daemon.log)")
        // The prompt that still waits is shown on the new server...
        #expect(try desktop.waitForDisplayed(1), "the waiting prompt was not shown again; daemon log:\n\(daemon.log)")
        let firstBody = Self.markupEscaped(first.text)
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().filter { $0.body == firstBody }.count == 2 }, "\(monitor.text)")
        // ...and the next prompt reaches it too.
        let second = try daemon.fire("reflection")
        #expect(try desktop.waitForDisplayed(2))
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().last?.summary == "Evening reflection" }, "\(monitor.text)")
        #expect(monitor.kindlingCalls().last?.body == Self.markupEscaped(second.text))
    }

    @Test func doNotDisturbHoldsPromptsBackUntilItEnds() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        try desktop.setPaused(true)
        #expect(daemon.waitForStatus { $0.desktop?.doNotDisturb == true }, "\(daemon.log)")
        let prompt = try daemon.fire("intention")
        // A Notify sent now would sit in dunst's waiting queue; give it ample time to arrive.
        usleep(2_000_000)
        #expect(monitor.kindlingCalls().isEmpty, "a Notify was sent during do-not-disturb:\n\(monitor.text)")
        #expect(try desktop.waitingCount() == 0)
        #expect(try desktop.displayedCount() == 0)

        try desktop.setPaused(false)
        #expect(try desktop.waitForDisplayed(1), "the held prompt did not appear; daemon log:\n\(daemon.log)")
        #expect(
            monitor.waitFor { _ in monitor.kindlingCalls().map(\.body) == [Self.markupEscaped(prompt.text)] }, "\(monitor.text)")
        #expect(daemon.waitForStatus { $0.desktop?.doNotDisturb == false })
    }

    @Test func theDaemonJoinsABusThatAppearsLaterAndRejoinsWhenItReturns() throws {
        // No DBUS_SESSION_BUS_ADDRESS: the daemon looks for $XDG_RUNTIME_DIR/bus, which
        // does not exist yet. (Run directly: under a UserManager, dbus.socket holds that path.)
        let daemon = try DesktopDaemon(config: Self.config(), desktop: nil)
        defer { daemon.stop() }
        let runtime = daemon.sandbox.root + "/run"
        let status = try daemon.status()
        #expect(status.notifications == "unavailable")
        #expect(status.desktop?.bus == "unix:path=\(runtime)/bus" && status.desktop?.busConnected == false, "\(status)")

        for round in 1...2 {
            let desktop = try DesktopSession(runtimeDirectory: runtime)
            defer { desktop.stop() }
            let monitor = try desktop.startMonitor()
            #expect(
                daemon.waitForStatus { $0.notifications == "connected" && $0.desktop?.busConnected == true },
                "round \(round): the daemon did not join the new bus; its log:\n\(daemon.log)")
            let prompt = try daemon.fire("intention")
            // Each round's prompt, plus the first round's, which still waits and is shown again.
            #expect(try desktop.waitForDisplayed(round), "round \(round); daemon log:\n\(daemon.log)")
            #expect(
                monitor.waitFor { _ in monitor.kindlingCalls().contains { $0.body == Self.markupEscaped(prompt.text) } },
                "\(monitor.text)")
            desktop.stop()
            #expect(
                daemon.waitForStatus { $0.notifications == "unavailable" && $0.desktop?.busConnected == false },
                "round \(round): the daemon did not notice the bus leaving; its log:\n\(daemon.log)")
        }
        #expect(daemon.isRunning)
    }

    // MARK: - Discretion

    @Test func discreetNotificationsAndHooksSayOnlyThatAPromptIsWaiting() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let hook = try Recorder(directory: scratch.path, name: "hook")
        let daemon = try DesktopDaemon(config: Self.config(discreet: true, hook: hook.path), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("reflection")
        #expect(try desktop.waitForDisplayed(1))
        #expect(monitor.waitFor { _ in !monitor.kindlingCalls().isEmpty }, "\(monitor.text)")
        let call = try #require(monitor.kindlingCalls().first)
        #expect(call.summary == "Kindling")
        #expect(call.body == "A prompt is waiting for you.")
        #expect(!monitor.text.contains(prompt.text), "the prompt's text went over the bus")
        #expect(call.actions.map(\.key) == ["default", "snooze", "skip"])

        #expect(hook.waitForRun(id: prompt.id), "the hook did not run; daemon log:\n\(daemon.log)")
        let environment = hook.environment(id: prompt.id)
        #expect(environment["KINDLING_ID"] == "\(prompt.id)" && environment["KINDLING_SLOT"] == "reflection")
        #expect(environment["KINDLING_TEXT"] == nil, "a discreet hook must not get the text")
    }

    // MARK: - Under systemd

    @Test func hooksAndAnswerRunAsTransientUnitsOutsideTheService() throws {
        let manager = try UserManager()
        defer { manager.stop() }
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let hook = try Recorder(directory: manager.root, name: "hook")
        let answer = try Recorder(directory: manager.root, name: "answer")
        // Text that a shell, systemd's specifiers or its $VARIABLE expansion would each change.
        let canary = manager.root + "/text-was-run"
        let text = "Tell someone \"thank you\" & mean it: $(touch \(canary)) `id` $HOME %h 100% 'done'\\\nThen rest."
        try manager.writeConfig(Self.config(respondCommand: "\(answer.path) {id}", hook: hook.path, onlyIntention: text))
        // The desktop is handed to the manager, as a login session's environment would be.
        try manager.systemctl(
            "set-environment", "DBUS_SESSION_BUS_ADDRESS=\(desktop.busAddress)", "DISPLAY=\(desktop.display)")
        try ServiceLifecycleTests.installService(manager)
        let up = try waitUntil(timeout: 15) { try manager.kindling("status").status == 0 }
        #expect(up, "kindling.service did not answer; its log:\n\(manager.daemonLogText)")
        let service = "kindling.service"
        let servicePID = try manager.property("MainPID")

        let fired = try manager.kindling("fire", "intention", "--json")
        #expect(fired.status == 0, "\(fired)")
        let prompt = try ControlProtocol.makeDecoder().decode(PromptResult.self, from: Data(fired.stdout.utf8))
        #expect(prompt.text == text)

        #expect(hook.waitForRun(id: prompt.id, timeout: 20), "the hook did not run; log:\n\(manager.daemonLogText)")
        let cgroup = hook.cgroup(id: prompt.id)
        #expect(cgroup.contains("/run-") && cgroup.contains(".service"), "hook cgroup: \(cgroup)")
        #expect(!cgroup.contains(service), "the hook ran inside the service: \(cgroup)")
        let environment = hook.environment(id: prompt.id)
        #expect(environment["KINDLING_ID"] == "\(prompt.id)")
        #expect(environment["KINDLING_SLOT"] == "intention")
        #expect(environment["KINDLING_TEXT"] == text, "KINDLING_TEXT arrived as \(environment["KINDLING_TEXT"] ?? "nothing")")
        #expect(environment["KINDLING_SOCKET"] == manager.runtimeDirectory + "/kindling/control.sock")
        let expires = environment["KINDLING_EXPIRES_AT"] ?? ""
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: expires) != nil, "KINDLING_EXPIRES_AT: \(expires)")
        #expect(!FileManager.default.fileExists(atPath: canary), "the prompt text was run as a command")

        // The same prompt on the desktop, text intact apart from the markup escape.
        #expect(try desktop.waitForDisplayed(1), "\(manager.daemonLogText)")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().first?.body == Self.markupEscaped(text) }, "\(monitor.text)")

        // Answer, too, runs in a transient unit of its own.
        try desktop.invokeDefaultAction()
        #expect(answer.waitForRun(id: prompt.id, timeout: 20), "Answer did not run; log:\n\(manager.daemonLogText)")
        #expect(answer.arguments(id: prompt.id) == ["\(prompt.id)"])
        let answerCgroup = answer.cgroup(id: prompt.id)
        #expect(answerCgroup.contains("/run-") && !answerCgroup.contains(service), "Answer cgroup: \(answerCgroup)")
        #expect(try manager.property("MainPID") == servicePID, "the service restarted")
    }

    // MARK: - What a person sees

    @Test func aScreenshotOfAKindlingNotification() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        _ = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1))
        // dunst paints on the main-loop turn after it counts the notification.
        usleep(500_000)

        let full = artifactsDirectory + "/kindling-notification.png"
        try? FileManager.default.removeItem(atPath: full)
        try desktop.screenshot(to: full)
        #expect(try Self.pngSize(full) == (1280, 800))
        // The notification sits 24 px from the top-right corner, 440 px wide.
        let cropped = artifactsDirectory + "/kindling-notification-crop.png"
        try? FileManager.default.removeItem(atPath: cropped)
        try desktop.screenshot(to: cropped, region: "520x200+760+0")
        #expect(try Self.pngSize(cropped) == (520, 200))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cropped)).count > 8_000, "the cropped screenshot looks empty")
        // Kindling's SVG icon was found and drawn, not a missing-icon placeholder.
        let icon = (daemon.sandbox.socket as NSString).deletingLastPathComponent + "/kindling.svg"
        #expect(desktop.dunstLog.contains("Found icon at \(icon)"), "\(desktop.dunstLog)")

        let docs = Self.repositoryRoot + "/docs/screenshot.png"
        try FileManager.default.createDirectory(atPath: Self.repositoryRoot + "/docs", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: docs)
        try FileManager.default.copyItem(atPath: cropped, toPath: docs)
        print("measured: screenshots at \(full) and \(docs)")
    }

    @Test func doctorReportsTheDesktopAsTheDaemonSeesIt() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let daemon = try DesktopDaemon(config: Self.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let doctor = try daemon.kindling("doctor")
        let lines = doctor.stdout.split(separator: "\n").map(String.init)
        for name in ["session bus", "notifications", "buttons", "do-not-disturb"] {
            #expect(lines.contains { $0.hasPrefix("✓ \(name) ") }, "no ✓ \(name) line:\n\(doctor)")
        }
        #expect(lines.contains { $0.hasPrefix("✓ notifications") && $0.contains("dunst") }, "\(doctor)")

        try desktop.setPaused(true)
        #expect(daemon.waitForStatus { $0.desktop?.doNotDisturb == true })
        let paused = try daemon.kindling("doctor").stdout
        #expect(paused.contains("· do-not-disturb") && paused.contains("dunstctl set-paused false"), "\(paused)")
    }

    // MARK: - Config and helpers

    /// A config for these tests: slots open for two hours whatever the time of day, and
    /// the delivery settings under test.
    static func config(
        respondCommand: String = "/bin/true", snooze: String = "10m", discreet: Bool = false, hook: String? = nil,
        onlyIntention: String? = nil, intentionValidFor: String = "2h", keepInHistory: Bool = false
    ) -> String {
        """
        [intention]
        valid_for = "\(intentionValidFor)"
        builtin_prompts = \(onlyIntention == nil)

        [nudge]
        valid_for = "2h"

        [reflection]
        valid_for = "2h"

        [delivery]
        respond_command = \(tomlString(respondCommand))
        snooze = "\(snooze)"
        discreet = \(discreet)
        command = \(tomlString(hook ?? ""))
        keep_in_history = \(keepInHistory)

        """
            + (onlyIntention.map { "\n[[prompt]]\nslot = \"intention\"\ntext = \(tomlString($0))\n" } ?? "")
    }

    /// `text` as a TOML basic string.
    static func tomlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A body as the daemon sends it to a server with `body-markup` (dunst has it).
    static func markupEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Whether dunst sent ActionInvoked with `key` (to the daemon; the monitor sees it too).
    static func invoked(_ messages: [BusMessage], key: String) -> Bool {
        messages.contains { $0.member == "ActionInvoked" && $0.argument(1) == key }
    }

    /// NotificationClosed with reason 3: closed by a CloseNotification call (the daemon's).
    static func closedByCall(_ messages: [BusMessage]) -> Bool {
        messages.contains { $0.member == "NotificationClosed" && $0.argument(1) == "3" }
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ path: String) throws -> (Int, Int) {
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        guard png.count > 24 else { return (0, 0) }
        return (png[16..<20].reduce(0) { $0 << 8 | Int($1) }, png[20..<24].reduce(0) { $0 << 8 | Int($1) })
    }

    /// The package's root: docs/ is written there.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

// MARK: - The daemon on a desktop

/// kindlingd run directly in a ``DaemonProcessTests/Sandbox``, on `desktop`'s bus and
/// display (or, with no desktop, with only XDG_RUNTIME_DIR to find a bus by). Stopped by
/// ``stop()`` and on deinit.
final class DesktopDaemon {
    let sandbox: DaemonProcessTests.Sandbox
    private let process: TestProcess

    /// `environment` adds to (or overrides) the desktop's variables, e.g. a system bus address.
    init(config: String, desktop: DesktopSession?, environment: [String: String] = [:]) throws {
        sandbox = try DaemonProcessTests.Sandbox(
            extraEnvironment: (desktop?.variables ?? [:]).merging(environment) { $1 })
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        process = try sandbox.startDaemon()
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    var isRunning: Bool { process.isRunning }

    var log: String { (try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? "" }

    func kindling(_ arguments: String...) throws -> Outcome {
        try run(binDirectory + "/kindling", arguments, environment: sandbox.environment)
    }

    func status() throws -> StatusResult {
        let outcome = try kindling("status", "--json")
        guard outcome.status == 0 else { throw TestSetupError("kindling status failed: \(outcome)") }
        return try ControlProtocol.makeDecoder().decode(StatusResult.self, from: Data(outcome.stdout.utf8))
    }

    /// Waits (up to 15 s) until `status --json` satisfies `condition`.
    func waitForStatus(_ condition: (StatusResult) -> Bool) -> Bool {
        waitUntil(timeout: 15, interval: 0.1) { (try? status()).map(condition) ?? false }
    }

    /// `kindling fire SLOT --json`.
    func fire(_ slot: String) throws -> PromptResult {
        let outcome = try kindling("fire", slot, "--json")
        guard outcome.status == 0 else { throw TestSetupError("kindling fire \(slot) failed: \(outcome)") }
        return try ControlProtocol.makeDecoder().decode(PromptResult.self, from: Data(outcome.stdout.utf8))
    }

    /// The ids `kindling pending --json` lists (waiting or snoozed).
    func pendingIDs() throws -> [Int64] {
        let outcome = try kindling("pending", "--json")
        guard outcome.status == 0 else { throw TestSetupError("kindling pending failed: \(outcome)") }
        return try ControlProtocol.makeDecoder().decode(PendingResult.self, from: Data(outcome.stdout.utf8)).pending.map(\.id)
    }
}

/// `kindling watch --json` in the background, its events read back as they arrive. Start
/// it before firing: whether it was registered before the prompt (a `fired` event) or
/// after (a `pending` one), it then has an event for the prompt, and every later one.
final class EventStream {
    private let pid: pid_t
    private let logPath: String

    init(_ daemon: DesktopDaemon) throws {
        logPath = daemon.sandbox.root + "/watch.jsonl"
        pid = try spawnSessionLeader(
            binDirectory + "/kindling", ["watch", "--json"], environment: daemon.sandbox.environment, logPath: logPath)
    }

    deinit { stop() }

    func stop() { stopSessionLeader(pid) }

    var text: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func events() -> [Event] {
        text.split(separator: "\n").compactMap { try? ControlProtocol.makeDecoder().decode(Event.self, from: Data($0.utf8)) }
    }

    func waitFor(_ condition: ([Event]) -> Bool) -> Bool {
        waitUntil(timeout: 15, interval: 0.05) { condition(events()) }
    }
}

// MARK: - Scripts that record how they were run

/// A shell script standing in for the person's hook or respond command. Each run records,
/// in files named after its KINDLING_ID, its arguments (one per line), its environment
/// (NUL-separated, so values with newlines survive) and its cgroup.
struct Recorder {
    let directory: String
    let name: String
    var path: String { directory + "/" + name + ".sh" }

    init(directory: String, name: String) throws {
        self.directory = directory
        self.name = name
        let script = """
            #!/bin/sh
            out='\(directory)/\(name)'-"$KINDLING_ID"
            for argument in "$@"; do printf '%s\\n' "$argument"; done > "$out.args"
            /bin/cat /proc/self/cgroup > "$out.cgroup"
            /usr/bin/env -0 > "$out.env.partial" && /bin/mv "$out.env.partial" "$out.env"

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    /// Waits until the run for prompt `id` has written everything.
    func waitForRun(id: Int64, timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout, interval: 0.05) { FileManager.default.fileExists(atPath: file(id, "env")) }
    }

    func arguments(id: Int64) -> [String] {
        read(file(id, "args")).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func environment(id: Int64) -> [String: String] {
        var result: [String: String] = [:]
        for entry in read(file(id, "env")).split(separator: "\0") {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return result
    }

    func cgroup(id: Int64) -> String { read(file(id, "cgroup")) }

    private func file(_ id: Int64, _ suffix: String) -> String { "\(directory)/\(name)-\(id).\(suffix)" }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}

/// A private directory removed on deinit.
final class ScratchDirectory {
    let path: String
    init() throws { path = try makePrivateDirectory("kindling-scratch") }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension BusMonitor {
    /// The Notify calls Kindling made (app name "Kindling").
    func kindlingCalls() -> [NotifyCall] { notifyCalls().filter { $0.appName == "Kindling" } }
}

extension ISO8601DateFormatter {
    /// DESIGN.md's timestamps: ISO 8601 with offset and milliseconds.
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
