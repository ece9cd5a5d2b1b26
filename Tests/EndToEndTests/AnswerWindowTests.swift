import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The notification's Answer, with no terminal: on the private desktop of
/// ``DesktopSession`` (Xvfb, a session bus, dunst) kindlingd opens `kindling respond --dialog`,
/// the real yad draws the window (zenity where it is the only one), and xdotool types into it
/// as a person's keyboard would.
@Suite(.serialized) struct AnswerWindowTests {
    @Test func answerOpensAWindowWhoseTypedAnswerReachesTheJournal() throws {
        try Self.requireTools()
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Self.configWithoutMood, desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        try desktop.invokeDefaultAction()
        #expect(monitor.waitFor { DesktopNotificationTests.invoked($0, key: "default") }, "\(monitor.text)")
        let window = try Self.waitForWindow(desktop, daemon: daemon)

        // Characters a shell or markup would take for something else, typed as keys, on two
        // lines: yad's window takes an answer of several lines.
        let lines = ["I asked Ana how she <really> was & listened: 100% there", "Then I called my brother."]
        let answer = lines.joined(separator: "\n")
        try Self.xdotool(desktop, "windowfocus", "--sync", window)
        try Self.xdotool(desktop, "type", "--delay", "15", lines[0])
        try Self.xdotool(desktop, "key", "Return")
        try Self.xdotool(desktop, "type", "--delay", "15", lines[1])
        // Under the notification (440 px wide, 24 px from the top-right corner), for the
        // screenshot a person sees in docs/. Long prompts are wrapped, so the window is narrow.
        let (width, height) = try Self.windowSize(desktop, window)
        #expect(width <= 640, "the window is \(width) px wide: was the prompt wrapped?")
        let left = 1280 - 24 - width
        try Self.xdotool(desktop, "windowmove", "--sync", window, "\(left)", "170")
        usleep(400_000)
        let shot = artifactsDirectory + "/kindling-dialog.png"
        try? FileManager.default.removeItem(atPath: shot)
        let cropLeft = min(left, 1280 - 24 - 440) - 24
        let region = (1280 - cropLeft, 170 + height + 24)
        try desktop.screenshot(to: shot, region: "\(region.0)x\(region.1)+\(cropLeft)+0")
        #expect(try DesktopNotificationTests.pngSize(shot) == region)
        #expect(try Data(contentsOf: URL(fileURLWithPath: shot)).count > 10_000, "the dialog screenshot looks empty")
        let docs = DesktopNotificationTests.repositoryRoot + "/docs/dialog.png"
        try? FileManager.default.removeItem(atPath: docs)
        try FileManager.default.copyItem(atPath: shot, toPath: docs)

        try Self.xdotool(desktop, "key", Self.save)
        let saved = waitUntil(timeout: 15, interval: 0.1) {
            (try? daemon.kindling("journal", "--json").stdout.contains(Self.jsonString(answer))) ?? false
        }
        let journal = try daemon.kindling("journal", "--json")
        #expect(saved, "the typed answer is not in the journal:\n\(journal)\n\(daemon.log)")
        #expect(try !daemon.pendingIDs().contains(prompt.id), "the answered prompt still waits")
        // Answered: the daemon closes its notification, and the window is gone.
        #expect(try desktop.waitForDisplayed(0), "\(daemon.log)")
        #expect(waitUntil(timeout: 10) { (try? Self.windows(desktop)) == [] }, "the window stayed open")
        #expect(
            waitUntil(timeout: 10) { daemon.log.contains("the Answer for prompt \(prompt.id) finished") },
            "kindling respond --dialog did not end cleanly:\n\(daemon.log)")
        print("measured: answer window screenshot at \(shot) and \(docs)")
    }

    @Test func cancelSavesNothingAndEndsQuietly() throws {
        try Self.requireTools()
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let daemon = try DesktopDaemon(config: DesktopNotificationTests.config(respondCommand: "auto"), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        try desktop.invokeDefaultAction()
        let window = try Self.waitForWindow(desktop, daemon: daemon)
        try Self.xdotool(desktop, "windowfocus", "--sync", window)
        try Self.xdotool(desktop, "type", "--delay", "15", "never mind")
        try Self.xdotool(desktop, "key", "Escape")

        #expect(waitUntil(timeout: 10) { (try? Self.windows(desktop)) == [] }, "the window stayed open")
        // `kindling respond --dialog` exited 0: the daemon logs a clean finish, not a failure.
        #expect(
            waitUntil(timeout: 10) { daemon.log.contains("the Answer for prompt \(prompt.id) finished") },
            "Cancel was reported as a failure:\n\(daemon.log)")
        #expect(try daemon.pendingIDs().contains(prompt.id), "Cancel must leave the prompt waiting")
        #expect(try !daemon.kindling("journal", "--json").stdout.contains("never mind"))
        #expect(try desktop.displayedCount() == 1, "Cancel must leave the notification up")
    }

    /// The intention asks mood (its `ask_mood` is on by default): after Save a second window
    /// offers mood and energy, chosen here with the keyboard, and both are saved with the answer.
    /// zenity is the only dialog program here: its one-line entry saves on Enter.
    @Test func aSlotThatAsksMoodOffersItInASecondWindow() throws {
        try Self.requireTools()
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let zenityOnly = try Self.pathWithOnly("zenity")
        let daemon = try DesktopDaemon(
            config: DesktopNotificationTests.config(respondCommand: "auto"), desktop: desktop,
            environment: ["PATH": zenityOnly.path])
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        try desktop.invokeDefaultAction()
        let window = try Self.waitForWindow(desktop, daemon: daemon)
        try Self.xdotool(desktop, "windowfocus", "--sync", window)
        try Self.xdotool(desktop, "type", "--delay", "15", "Thanked the bus driver")
        let answerProcess = try Self.xdotool(desktop, "getwindowpid", window)
        try Self.xdotool(desktop, "key", "Return")

        // The answer waits for the second window, so nothing is saved yet. The X server may
        // give the new window the old one's id, so the two are told apart by their process.
        var found: [String] = []
        let shown = try waitUntil(timeout: 20, interval: 0.05) {
            found = try Self.windows(desktop)
            guard found.count == 1, let first = found.first else { return false }
            return (try? Self.xdotool(desktop, "getwindowpid", first)).map { $0 != answerProcess } ?? false
        }
        let moodWindow = try #require(shown ? found.first : nil, "no mood window (found \(found)):\n\(daemon.log)")
        #expect(try daemon.pendingIDs().contains(prompt.id))
        // Focus starts on Mood: open it, move to "3", take it; then Energy's "2"; then Save.
        try Self.xdotool(desktop, "windowfocus", "--sync", moodWindow)
        for keys in [["Return"], ["Down", "Down", "Return"], ["Tab", "Return"], ["Down", "Return"], ["Tab", "Tab", "Return"]] {
            _ = try run("/usr/bin/xdotool", ["key"] + keys, environment: desktop.environment, timeout: 15)
            usleep(300_000)
        }
        var journal = ""
        let saved = waitUntil(timeout: 15, interval: 0.1) {
            journal = (try? daemon.kindling("journal", "--json").stdout) ?? ""
            return journal.contains("Thanked the bus driver")
        }
        #expect(saved, "the answer is not in the journal:\n\(journal)\n\(daemon.log)")
        let compact = journal.filter { !$0.isWhitespace }
        #expect(compact.contains("\"mood\":3") && compact.contains("\"energy\":2"), "\(journal)")
        #expect(waitUntil(timeout: 10) { (try? Self.windows(desktop)) == [] }, "a window stayed open")
    }

    /// The daemon goes away while the window is open: Save then says the answer was not saved
    /// and shows it again, in a window of its own, to copy.
    @Test func aFailedSaveSaysSoAndShowsTheAnswerAgain() throws {
        try Self.requireTools()
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let daemon = try DesktopDaemon(config: Self.configWithoutMood, desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        _ = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        try desktop.invokeDefaultAction()
        let window = try Self.waitForWindow(desktop, daemon: daemon)
        daemon.stop()

        try Self.xdotool(desktop, "windowfocus", "--sync", window)
        try Self.xdotool(desktop, "type", "--delay", "15", "Words worth keeping")
        try Self.xdotool(desktop, "key", Self.save)
        var failure: [String] = []
        let shown = waitUntil(timeout: 15, interval: 0.05) {
            let outcome = try? run(
                "/usr/bin/xdotool", ["search", "--onlyvisible", "--name", "NOT saved"], environment: desktop.environment)
            failure = outcome?.stdout.split(separator: "\n").map(String.init) ?? []
            return !failure.isEmpty
        }
        #expect(shown, "no window said the answer was not saved; daemon log:\n\(daemon.log)")
        if let window = failure.first {
            let title = try Self.xdotool(desktop, "getwindowname", window)
            #expect(title.contains("your answer was NOT saved") && !title.contains("Words worth keeping"), "\(title)")
        }
    }

    /// No dialog program and no terminal emulator on PATH: Answer cannot open anything, so the
    /// prompt's notification comes back saying how to answer, without the Answer button.
    @Test func withNeitherAWindowNorATerminalTheNotificationSaysHowToAnswer() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let emptyPath = try ScratchDirectory()
        let daemon = try DesktopDaemon(
            config: DesktopNotificationTests.config(respondCommand: "auto"), desktop: desktop,
            environment: ["PATH": emptyPath.path])
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        let prompt = try daemon.fire("intention")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        try desktop.invokeDefaultAction()
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 2 }, "\(monitor.text)\n\(daemon.log)")
        let calls = monitor.kindlingCalls()
        let again = try #require(calls.count == 2 ? calls[1] : nil)
        #expect(again.replacesID != 0, "the notification was not replaced: \(monitor.text)")
        #expect(again.body.hasPrefix(DesktopNotificationTests.markupEscaped(prompt.text)), "\(again.body)")
        #expect(again.body.contains("kindling respond \(prompt.id)") && again.body.contains("zenity"), "\(again.body)")
        #expect(again.actions.map(\.key) == ["snooze", "skip"])
        #expect(try desktop.displayedCount() == 1)
        #expect(try daemon.status().lastError?.contains("neither a dialog program nor a terminal emulator") == true)
        #expect(try daemon.pendingIDs().contains(prompt.id))
    }

    /// As installed: kindlingd as a service of a real systemd user manager, the window opened
    /// from a transient unit outside the service's sandbox, the answer saved through the socket.
    @Test func underSystemdTheWindowOpensOutsideTheServiceAndSaves() throws {
        try Self.requireTools()
        let manager = try UserManager()
        defer { manager.stop() }
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        try manager.writeConfig(Self.configWithoutMood)
        try manager.systemctl(
            "set-environment", "DBUS_SESSION_BUS_ADDRESS=\(desktop.busAddress)", "DISPLAY=\(desktop.display)")
        try ServiceLifecycleTests.installService(manager)
        let up = try waitUntil(timeout: 15) { try manager.kindling("status").status == 0 }
        #expect(up, "kindling.service did not answer; its log:\n\(manager.daemonLogText)")

        let fired = try manager.kindling("fire", "intention", "--json")
        #expect(fired.status == 0, "\(fired)")
        let prompt = try ControlProtocol.makeDecoder().decode(PromptResult.self, from: Data(fired.stdout.utf8))
        #expect(try desktop.waitForDisplayed(1), "\(manager.daemonLogText)")
        try desktop.invokeDefaultAction()
        var found: [String] = []
        let shown = try waitUntil(timeout: 20, interval: 0.05) {
            found = try Self.windows(desktop)
            return !found.isEmpty
        }
        let window = try #require(shown ? found.first : nil, "no answer window; log:\n\(manager.daemonLogText)")
        let pid = try Self.xdotool(desktop, "getwindowpid", window).trimmingCharacters(in: .whitespacesAndNewlines)
        let cgroup = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
        #expect(cgroup.contains("/run-") && !cgroup.contains("kindling.service"), "the window's cgroup: \(cgroup)")

        try Self.xdotool(desktop, "windowfocus", "--sync", window)
        try Self.xdotool(desktop, "type", "--delay", "15", "Sent my sister a photo")
        try Self.xdotool(desktop, "key", Self.save)
        let saved = waitUntil(timeout: 15, interval: 0.1) {
            (try? manager.kindling("journal", "--json").stdout.contains("Sent my sister a photo")) ?? false
        }
        #expect(saved, "not in the journal; log:\n\(manager.daemonLogText)")
        let pending = try manager.kindling("pending", "--json")
        let waiting = try ControlProtocol.makeDecoder().decode(PendingResult.self, from: Data(pending.stdout.utf8)).pending
        #expect(!waiting.contains { $0.id == prompt.id }, "the answered prompt still waits: \(pending)")
    }

    /// The time from Answer (`dunstctl action 0`) until the window is mapped, n = 12, each
    /// window answered so the next prompt's notification is the only one.
    @Test func timeFromAnswerToTheWindowOnScreen() throws {
        try Self.requireTools()
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let daemon = try DesktopDaemon(config: Self.configWithoutMood, desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")

        var samples: [Double] = []
        for round in 0..<12 {
            let prompt = try daemon.fire("intention")
            #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
            let started = Date()
            try desktop.invokeDefaultAction()
            let window = try Self.waitForWindow(desktop, daemon: daemon, interval: 0.005)
            samples.append(Date().timeIntervalSince(started) * 1000)
            try Self.xdotool(desktop, "windowfocus", "--sync", window)
            try Self.xdotool(desktop, "type", "round \(round)")
            try Self.xdotool(desktop, "key", Self.save)
            #expect(
                waitUntil(timeout: 15, interval: 0.05) { (try? daemon.pendingIDs().contains(prompt.id)) == false },
                "round \(round) was not saved:\n\(daemon.log)")
            #expect(try desktop.waitForDisplayed(0), "\(daemon.log)")
            #expect(waitUntil(timeout: 10) { (try? Self.windows(desktop)) == [] })
        }
        let sorted = samples.sorted()
        let median = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        print(
            "measured: Answer to answer window mapped, median \(Int(median)) ms, min \(Int(sorted[0])) ms, "
                + "max \(Int(sorted[sorted.count - 1])) ms (n = \(sorted.count))")
        #expect(median < 5_000, "\(sorted)")
    }

    // MARK: - Helpers

    /// yad's key that saves (Enter starts a new line in its text box).
    static let save = "ctrl+Return"

    /// A PATH folder holding only `program` (a link to /usr/bin's), so that it is the dialog
    /// program found.
    static func pathWithOnly(_ program: String) throws -> ScratchDirectory {
        let folder = try ScratchDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/" + program, withDestinationPath: "/usr/bin/" + program)
        return folder
    }

    /// yad, zenity and xdotool, with their packages; missing ones fail the test with the fix.
    static func requireTools() throws {
        let missing = [("/usr/bin/yad", "yad"), ("/usr/bin/zenity", "zenity"), ("/usr/bin/xdotool", "xdotool")].filter {
            !FileManager.default.isExecutableFile(atPath: $0.0)
        }
        guard missing.isEmpty else {
            throw TestSetupError(
                "missing for the answer window tests: "
                    + missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ") + "; run `make test`")
        }
    }

    @discardableResult
    static func xdotool(_ desktop: DesktopSession, _ arguments: String...) throws -> String {
        let outcome = try run("/usr/bin/xdotool", arguments, environment: desktop.environment, timeout: 15)
        guard outcome.status == 0 else { throw TestSetupError("xdotool \(arguments.joined(separator: " ")) failed: \(outcome)") }
        return outcome.stdout
    }

    /// A window's width and height (`xdotool getwindowgeometry --shell`).
    static func windowSize(_ desktop: DesktopSession, _ window: String) throws -> (Int, Int) {
        var values: [String: Int] = [:]
        for line in try xdotool(desktop, "getwindowgeometry", "--shell", window).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = Int(parts[1]) }
        }
        guard let width = values["WIDTH"], let height = values["HEIGHT"] else {
            throw TestSetupError("xdotool gave no geometry for window \(window): \(values)")
        }
        return (width, height)
    }

    /// The tests about the answer alone: its slot asks no mood, so no second window follows.
    static let configWithoutMood = DesktopNotificationTests.config(respondCommand: "auto").replacingOccurrences(
        of: "[intention]\n", with: "[intention]\nask_mood = false\n")

    /// The ids of the visible windows titled exactly "Kindling" (dunst's is "Dunst").
    static func windows(_ desktop: DesktopSession) throws -> [String] {
        // xdotool search exits 1 when nothing matches.
        let outcome = try run(
            "/usr/bin/xdotool", ["search", "--onlyvisible", "--name", "^Kindling$"], environment: desktop.environment,
            timeout: 15)
        return outcome.stdout.split(separator: "\n").map(String.init)
    }

    /// Waits (up to 20 s) for the answer window to be mapped and returns its id.
    static func waitForWindow(_ desktop: DesktopSession, daemon: DesktopDaemon, interval: Double = 0.02) throws -> String {
        var found: [String] = []
        let shown = try waitUntil(timeout: 20, interval: interval) {
            found = try windows(desktop)
            return !found.isEmpty
        }
        guard shown, found.count == 1, let window = found.first else {
            throw TestSetupError("no single answer window appeared (found \(found)); daemon log:\n\(daemon.log)")
        }
        return window
    }

    /// `text` as the JSON encoder writes it (for the characters used here).
    static func jsonString(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
