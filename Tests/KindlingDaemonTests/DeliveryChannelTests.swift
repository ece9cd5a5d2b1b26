import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// The hook and the Answer command, run by an in-process daemon (the desktop itself is
/// tested end to end against dunst).
@Suite(.serialized) struct DeliveryChannelTests {
    typealias Harness = DaemonTests.Harness

    /// A script that writes its arguments and its KINDLING_ environment to `output`.
    func recorder(in directory: String, output: String) throws -> String {
        let path = directory + "/record.sh"
        try """
        #!/bin/sh
        { echo "args:$*"; env | grep '^KINDLING_' | sort; } > "\(output).part" && mv "\(output).part" "\(output)"

        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Waits up to five seconds for `path` to appear and returns its lines.
    func lines(of path: String) -> [String]? {
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return text.split(separator: "\n").map(String.init)
            }
            usleep(50_000)
        }
        return nil
    }

    @Test func theHookGetsThePromptInItsEnvironmentOnly() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-hook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let script = try recorder(in: scratch, output: scratch + "/hook.out")
        let harness = try Harness(config: "timezone = \"UTC\"\n[delivery]\ncommand = \"\(script) 'one word' two\"\n")
        let fired = try harness.call(Request.Fire(slot: "intention")).get()

        let output = try #require(lines(of: scratch + "/hook.out"), "the hook did not run")
        #expect(output.first == "args:one word two")
        #expect(output.contains("KINDLING_ID=\(fired.id)"))
        #expect(output.contains("KINDLING_SLOT=intention"))
        #expect(output.contains("KINDLING_TEXT=\(fired.text)"))
        #expect(output.contains { $0.hasPrefix("KINDLING_EXPIRES_AT=2026-11-2") })
        #expect(output.contains("KINDLING_SOCKET=\(harness.socket)"))
    }

    @Test func aDiscreetHookLearnsOnlyThatAPromptIsWaiting() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-hook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let script = try recorder(in: scratch, output: scratch + "/hook.out")
        let harness = try Harness(config: "timezone = \"UTC\"\n[delivery]\ndiscreet = true\ncommand = \"\(script)\"\n")
        _ = try harness.call(Request.Fire(slot: "reflection")).get()

        let output = try #require(lines(of: scratch + "/hook.out"), "the hook did not run")
        #expect(output.contains("KINDLING_SLOT=reflection"))
        #expect(!output.contains { $0.hasPrefix("KINDLING_TEXT=") }, "a discreet hook was given the prompt: \(output)")
        let content = harness.daemon.queue.sync {
            harness.daemon.notificationContent(for: try! harness.daemon.journal.pendingDeliveries()[0])
        }
        #expect(content.summary == "Kindling" && content.body == "A prompt is waiting for you.")
    }

    /// `discreet = { hook = true }`: the hook learns neither the text nor a custom slot's own
    /// name, while the desktop, left out, still shows the prompt.
    @Test func eachChannelIsDiscreetOnItsOwn() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-hook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let script = try recorder(in: scratch, output: scratch + "/hook.out")
        let harness = try Harness(
            config: """
                timezone = "UTC"
                [delivery]
                discreet = { hook = true }
                command = "\(script)"

                [[custom]]
                name = "sponsor-call"
                at = "10:30"
                text = "A call to someone who walks beside you."

                """)
        let fired = try harness.call(Request.Fire(slot: "sponsor-call")).get()

        let output = try #require(lines(of: scratch + "/hook.out"), "the hook did not run")
        #expect(output.contains("KINDLING_SLOT=custom"), "\(output)")
        #expect(!output.contains { $0.contains("sponsor") }, "the hook learned the slot's name: \(output)")
        #expect(!output.contains { $0.hasPrefix("KINDLING_TEXT=") }, "\(output)")
        let content = harness.daemon.queue.sync {
            harness.daemon.notificationContent(for: try! harness.daemon.journal.pendingDeliveries()[0])
        }
        #expect(content.body == fired.text)
    }

    @Test func answerRunsTheRespondCommandWithThePromptsID() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-answer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let script = try recorder(in: scratch, output: scratch + "/answer.out")
        let harness = try Harness(config: "timezone = \"UTC\"\n[delivery]\nrespond_command = \"\(script) --prompt {id} now\"\n")
        let fired = try harness.call(Request.Fire(slot: "intention")).get()
        harness.daemon.queue.sync { harness.daemon.notificationAction(.answer, deliveryID: fired.id) }

        let output = try #require(lines(of: scratch + "/answer.out"), "the respond command did not run")
        #expect(output.first == "args:--prompt \(fired.id) now")
        #expect(output.contains("KINDLING_ID=\(fired.id)"))
    }

    @Test func snoozeSkipAndReplyFromANotificationActAsTheCommandsDo() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let first = try harness.call(Request.Fire(slot: "intention")).get()
        let second = try harness.call(Request.Fire(slot: "nudge")).get()
        let third = try harness.call(Request.Fire(slot: "reflection")).get()
        harness.daemon.queue.sync {
            harness.daemon.notificationAction(.snooze, deliveryID: first.id)
            harness.daemon.notificationAction(.skip, deliveryID: second.id)
            harness.daemon.notificationAction(.reply("Held the door, smiled back."), deliveryID: third.id)
        }
        let statuses = try harness.daemon.queue.sync {
            try harness.daemon.journal.pendingDeliveries().map { ($0.id, $0.status.rawValue) }
        }
        #expect(statuses.contains { $0.0 == first.id && $0.1 == "snoozed" })
        #expect(!statuses.contains { $0.0 == second.id || $0.0 == third.id })
        // `pending` tells a snoozed prompt from a waiting one, and when it comes back.
        let pending = try harness.call(Request.Pending()).get().pending
        #expect(pending.map(\.status) == ["snoozed"])
        #expect(pending.first?.until?.hasPrefix("2026-11-21T12:10:00") == true, "\(pending)")
        let journal = try harness.call(
            Request.Journal(since: nil, until: nil, slot: nil, search: "Held the door", limit: nil)
        ).get()
        #expect(journal.days.flatMap { [$0.reflection].compactMap { $0 } + $0.answers }.count == 1)
    }

    @Test func theAutoTerminalIsFoundOnPathAndGivenTheCommandItsWay() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-terms-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        func install(_ name: String) {
            _ = FileManager.default.createFile(atPath: bin + "/" + name, contents: Data("#!/bin/sh\n".utf8))
            chmod(bin + "/" + name, 0o755)
        }
        let command = ["/usr/bin/kindling", "respond", "7"]
        #expect(Daemon.terminalCommand(environment: ["PATH": bin], running: command) == nil)
        install("xterm")
        #expect(Daemon.terminalCommand(environment: ["PATH": bin], running: command) == ["xterm", "-e"] + command)
        install("gnome-terminal")
        #expect(Daemon.terminalCommand(environment: ["PATH": bin], running: command) == ["gnome-terminal", "--"] + command)
        install("x-terminal-emulator")
        #expect(Daemon.terminalCommand(environment: ["PATH": bin], running: command) == ["x-terminal-emulator", "-e"] + command)
        install("xdg-terminal-exec")
        #expect(Daemon.terminalCommand(environment: ["PATH": bin], running: command) == ["xdg-terminal-exec"] + command)
        install("foot")
        #expect(
            Daemon.terminalCommand(environment: ["PATH": bin, "TERMINAL": "foot --app-id kindling"], running: command)
                == ["foot", "--app-id", "kindling"] + command)
    }

    @Test func autoAnswerOpensTheDialogOnADisplayWithADialogProgramElseATerminal() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-dialogs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        func install(_ name: String) {
            _ = FileManager.default.createFile(atPath: bin + "/" + name, contents: Data("#!/bin/sh\n".utf8))
            chmod(bin + "/" + name, 0o755)
        }
        let kindling = "/usr/bin/kindling"
        func chosen(_ extra: [String: String]) -> [String]? {
            Daemon.automaticAnswerCommand(environment: ["PATH": bin].merging(extra) { $1 }, kindling: kindling, id: 7)
        }
        #expect(chosen(["DISPLAY": ":1"]) == nil)
        install("xterm")
        #expect(chosen(["DISPLAY": ":1"]) == ["xterm", "-e", kindling, "respond", "7"])
        for program in ["yad", "kdialog", "zenity"] {
            try? FileManager.default.removeItem(atPath: bin + "/zenity")
            try? FileManager.default.removeItem(atPath: bin + "/kdialog")
            try? FileManager.default.removeItem(atPath: bin + "/yad")
            install(program)
            #expect(chosen(["DISPLAY": ":1"]) == [kindling, "respond", "--dialog", "7"], "with \(program)")
            #expect(chosen(["WAYLAND_DISPLAY": "wayland-0"]) == [kindling, "respond", "--dialog", "7"], "with \(program)")
            // No graphical session (a console login): a window could not open, so the terminal.
            #expect(chosen(["DISPLAY": ""]) == ["xterm", "-e", kindling, "respond", "7"], "with \(program)")
        }
    }

    @Test func turningTheDesktopOffInAReloadLeavesTheBus() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        #expect(harness.daemon.queue.sync { harness.daemon.desktop != nil })
        try "timezone = \"UTC\"\n[delivery]\ndesktop = false\n".write(
            toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        #expect(harness.daemon.queue.sync { harness.daemon.desktop == nil })
        let status = try harness.call(Request.Status()).get()
        #expect(status.notifications == "unavailable")
    }
}
