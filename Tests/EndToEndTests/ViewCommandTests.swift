import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling breathe`, `week` and `prompt` through the built binaries, and do-not-disturb
/// holding every channel, against a real desktop (private session bus, Xvfb, dunst).
/// (The grounding words are repeated here: this target sees only the binaries and the protocol.)
@Suite(.serialized) struct ViewCommandTests {
    typealias Config = DesktopNotificationTests

    // MARK: - breathe

    @Test func breatheShowsOneQuietNotificationAndRecordsNothing() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let daemon = try DesktopDaemon(config: Config.config(), desktop: desktop)
        defer { daemon.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        _ = try daemon.kindling("note", "--given", "a kind word for Sam")
        let journalBefore = try daemon.kindling("journal", "--json").stdout
        let pendingBefore = try daemon.pendingIDs()

        let outcome = try daemon.kindling("breathe")
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("Nothing needs answering"), "\(outcome.stdout)")
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().count == 1 }, "\(monitor.text)")
        let call = try #require(monitor.kindlingCalls().first)
        #expect(call.summary == "A moment to breathe")
        #expect(call.actions.isEmpty, "nothing to answer, snooze or skip: \(call.actions)")

        // It asks nothing back: nothing waits and the journal is as it was.
        #expect(try daemon.pendingIDs() == pendingBefore)
        #expect(try daemon.kindling("journal", "--json").stdout == journalBefore)

        let json = try daemon.kindling("breathe", "--json")
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"desktop\" : \"shown\""), "\(json.stdout)")
    }

    @Test func breatheWorksWithoutTheDaemon() throws {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent/run"]
        let outcome = try run(binDirectory + "/kindling", ["breathe"], environment: environment)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stderr.isEmpty, "\(outcome.stderr)")
        #expect(outcome.stdout.split(separator: "\n").count >= 4, "\(outcome.stdout)")
        let json = try run(binDirectory + "/kindling", ["breathe", "--json"], environment: environment)
        #expect(json.status == 0 && json.stdout.contains("\"desktop\" : \"unavailable\""), "\(json)")
    }

    /// On a terminal (a pseudo-terminal from util-linux's `script`) the breaths are paced, and
    /// Ctrl-C ends the moment early with its closing words and exit 0.
    @Test func onATerminalBreatheIsPacedAndCtrlCEndsItKindly() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent/run"]
        let started = Date()
        let session = try run(
            "/bin/sh",
            [
                "-c",
                "(sleep 4; printf '\\003'; sleep 1) | timeout 30 script -q -e -c 'exec \(binDirectory)/kindling breathe' /dev/null",
            ],
            environment: environment)
        let elapsed = Date().timeIntervalSince(started)
        #expect(session.status == 0, "\(session)")
        let lines = session.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        // Paced: after four seconds only the first lines were there, not the breaths.
        #expect(lines.contains(Grounding.opening[0]), "\(session.stdout)")
        #expect(!session.stdout.contains("and out, a little longer"), "\(session.stdout)")
        #expect(lines.contains(Grounding.closing[1]), "the closing words after Ctrl-C: \(session.stdout)")
        #expect(elapsed < 15, "Ctrl-C did not end the moment (\(elapsed) s)")
    }

    // MARK: - week and prompt

    @Test func weekShowsTheKindnessesWrittenThisWeek() throws {
        let daemon = try DesktopDaemon(config: Config.config(), desktop: nil)
        defer { daemon.stop() }
        let quiet = try daemon.kindling("week")
        #expect(quiet.status == 0 && quiet.stdout.contains("still open"), "\(quiet)")
        #expect(try daemon.kindling("note", "--given", "carried groceries for my neighbour").status == 0)
        #expect(try daemon.kindling("note", "--received", "my sister sent a voice note").status == 0)
        let text = try daemon.kindling("week")
        #expect(
            text.stdout.contains("Kindness you gave\n") && text.stdout.contains("carried groceries for my neighbour"), "\(text)")
        #expect(text.stdout.contains("Kindness you received\n") && text.stdout.contains("my sister sent a voice note"))
        let json = try daemon.kindling("week", "--json")
        let week = try ControlProtocol.makeDecoder().decode(WeekResult.self, from: Data(json.stdout.utf8))
        #expect(week.given.map(\.words) == ["carried groceries for my neighbour"])
        #expect(week.received.map(\.words) == ["my sister sent a voice note"])
        let bad = try daemon.kindling("week", "--date", "someday")
        #expect(bad.status == 2 && bad.stderr.contains("YYYY-MM-DD"), "\(bad)")
    }

    @Test func promptHideAndShowByKey() throws {
        let daemon = try DesktopDaemon(config: Config.config(), desktop: nil)
        defer { daemon.stop() }
        let list = try daemon.kindling("prompt", "list", "--json")
        #expect(list.status == 0, "\(list)")
        let prompts = try ControlProtocol.makeDecoder().decode(PromptListResult.self, from: Data(list.stdout.utf8)).prompts
        let key = try #require(prompts.first { $0.slot == "nudge" && $0.source == "builtin" }?.key)

        let hide = try daemon.kindling("prompt", "hide", key)
        #expect(hide.status == 0 && hide.stdout.contains("Hidden: \(key)"), "\(hide)")
        let text = try daemon.kindling("prompt", "list", "--slot", "nudge")
        #expect(text.stdout.contains("\(key)  (hidden)"), "\(text.stdout)")
        let show = try daemon.kindling("prompt", "show", key)
        #expect(show.status == 0 && show.stdout.contains("back in the rotation"), "\(show)")

        let unknown = try daemon.kindling("prompt", "hide", "nudge.no-such-prompt")
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.split(separator: "\n").count == 1 && unknown.stderr.contains("kindling prompt list"), "\(unknown)")
        #expect(try daemon.kindling("prompt", "hide").status == 2, "a missing key is a usage mistake")
    }

    @Test func theNewCommandsHaveHelp() throws {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent/run"]
        let root = try run(binDirectory + "/kindling", ["--help"], environment: environment).stdout
        for command in ["week", "breathe", "prompt"] {
            #expect(root.contains("  \(command) "), "--help does not list \(command)")
        }
        for (arguments, words) in [
            (["week", "--help"], ["--date <D>", "--json", "never what you did not"]),
            (["breathe", "--help"], ["--json", "Ctrl-C", "Nothing is written to your journal"]),
            (["prompt", "--help"], ["list", "hide", "show"]),
            (["prompt", "hide", "--help"], ["<KEY>", "kindling prompt list"]),
            (["prompt", "list", "--help"], ["--json", "--slot <SLOT>"]),
        ] {
            let help = try run(binDirectory + "/kindling", arguments, environment: environment)
            #expect(help.status == 0, "\(arguments): \(help)")
            let flat = help.stdout.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            for word in words { #expect(flat.contains(word), "\(arguments) help lacks \(word):\n\(help.stdout)") }
        }
    }

    // MARK: - Do-not-disturb holds every channel

    @Test func doNotDisturbHoldsTheHookWatchAndDesktopAlikeUntilItEnds() throws {
        let desktop = try DesktopSession()
        defer { desktop.stop() }
        let monitor = try desktop.startMonitor()
        let scratch = try ScratchDirectory()
        let hook = try Recorder(directory: scratch.path, name: "hook")
        let base = Config.config(hook: hook.path) + "\ntimezone = \"UTC\"\n"
        let daemon = try DesktopDaemon(config: Self.topLevelFirst(base), desktop: desktop)
        defer { daemon.stop() }
        let events = try EventStream(daemon)
        defer { events.stop() }
        #expect(daemon.waitForStatus { $0.notifications == "connected" }, "\(daemon.log)")
        try desktop.setPaused(true)
        #expect(daemon.waitForStatus { $0.desktop?.doNotDisturb == true }, "\(daemon.log)")

        // Once do-not-disturb is on, a custom slot a few seconds from now (UTC), valid for an hour.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let due = Date().addingTimeInterval(4)
        let time = calendar.dateComponents([.hour, .minute, .second], from: due)
        let at = String(format: "%02d:%02d:%02d", time.hour!, time.minute!, time.second!)
        let water = "\n[[custom]]\nname = \"water\"\nat = \"\(at)\"\nvalid_for = \"1h\"\ntext = \"Some water, gently.\"\n"
        try Self.topLevelFirst(base + water).write(toFile: daemon.sandbox.configFile, atomically: true, encoding: .utf8)
        let reload = try daemon.kindling("reload")
        #expect(reload.status == 0, "\(reload)")

        // The slot's time passes during do-not-disturb: no channel hears of it.
        usleep(useconds_t(max(0, due.timeIntervalSinceNow + 3) * 1_000_000))
        #expect(!events.events().contains { $0.event == .fired || $0.event == .pending }, "\(events.text)")
        #expect(try daemon.pendingIDs().isEmpty)
        #expect(monitor.kindlingCalls().isEmpty, "\(monitor.text)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/hook-1.env"), "the hook ran during do-not-disturb")

        // It ends: the prompt, still valid, reaches every channel.
        try desktop.setPaused(false)
        #expect(events.waitFor { $0.contains { $0.event == .fired && $0.slot == "water" } }, "\(events.text)\n\(daemon.log)")
        let id = try #require(try daemon.pendingIDs().first)
        #expect(try desktop.waitForDisplayed(1), "\(daemon.log)")
        #expect(monitor.waitFor { _ in monitor.kindlingCalls().contains { $0.body == "Some water, gently." } }, "\(monitor.text)")
        #expect(hook.waitForRun(id: id), "the hook did not run after do-not-disturb; log:\n\(daemon.log)")
    }

    /// TOML keys at the top level must come before the first table: moves `timezone` up.
    static func topLevelFirst(_ config: String) -> String {
        let lines = config.split(separator: "\n", omittingEmptySubsequences: false)
        let top = lines.filter { $0.hasPrefix("timezone") }
        return (top + lines.filter { !$0.hasPrefix("timezone") }).joined(separator: "\n")
    }
}

/// The grounding moment's words the tests look for (KindlingCore's `Grounding`).
private enum Grounding {
    static let opening = ["Let's pause here together for a moment."]
    static let closing = [
        "Whatever you are carrying, you are allowed to set it down for a while.",
        "Nothing needs answering. Come back to this whenever you like.",
    ]
}
