import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling program list | show | check | add | start | stop | skip` through the built
/// binaries, against a real kindlingd in a private sandbox.
@Suite(.serialized) struct ProgramCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// The example program that ships in Config/programs/.
    static var example: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/programs/gentle-week.toml").path
    }

    /// A file with four problems, each on its own line.
    static let broken = """
        name = "widening-circle"
        title = "Mine"
        steps_by = "month"

        [[step]]
        title = "one"
        nudges = ["Drink a glass of water."]

        [[step]]
        title = "two"
        intention = []

        """

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func checkNamesFileLineAndKeyOfEveryProblemAndNeedsNoDaemon() throws {
        let sandbox = try Sandbox()
        let bad = sandbox.root + "/broken.toml"
        try write(Self.broken, to: bad)
        let outcome = try sandbox.kindling("program", "check", bad)
        #expect(outcome.status == 1, "\(outcome)")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(outcome.stderr)")
        for (line, key) in [(1, "name"), (3, "steps_by"), (7, "step[1].nudges"), (11, "step[2].intention")] {
            #expect(lines.contains { $0.hasPrefix("\(bad):\(line): \(key): ") }, "no \(line): \(key) in\n\(outcome.stderr)")
        }
        #expect(outcome.stderr.contains("did you mean \"nudge\""), "\(outcome.stderr)")

        let json = try sandbox.kindling("program", "check", "--json", bad)
        #expect(json.status == 1, "\(json)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false)
        let problems = object?["problems"] as? [[String: Any]] ?? []
        #expect(problems.compactMap { $0["line"] as? Int } == [1, 3, 7, 11], "\(json.stdout)")
        #expect(problems.allSatisfy { ($0["message"] as? String)?.isEmpty == false && $0["key"] is String })

        let good = try sandbox.kindling("program", "check", Self.example)
        #expect(good.status == 0 && good.stdout.contains("(gentle-week), 7 days"), "\(good)")
        let goodJSON = try sandbox.kindling("program", "check", "--json", Self.example)
        #expect(goodJSON.status == 0 && goodJSON.stdout.contains("\"step_count\" : 7"), "\(goodJSON)")

        let huge = sandbox.root + "/huge.toml"
        try write(String(repeating: "# a long note\n", count: 20_000), to: huge)
        let tooLarge = try sandbox.kindling("program", "check", huge)
        #expect(tooLarge.status == 1 && tooLarge.stderr.contains("256 KiB"), "\(tooLarge)")
        let missing = try sandbox.kindling("program", "check", sandbox.root + "/nope.toml")
        #expect(missing.status == 1 && missing.stderr.split(separator: "\n").count == 1, "\(missing)")
    }

    @Test func addRefusesBadFilesAndOverwritingAndKeepsAPrivateCopy() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let folder = sandbox.root + "/data/kindling/programs"
        let bad = sandbox.root + "/broken.toml"
        try write(Self.broken, to: bad)
        let refused = try sandbox.kindling("program", "add", bad)
        #expect(refused.status == 1 && refused.stderr.contains("nothing was added"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/widening-circle.toml"))

        let added = try sandbox.kindling("program", "add", Self.example)
        #expect(added.status == 0 && added.stdout.contains("kindling program start gentle-week"), "\(added)")
        let copy = folder + "/gentle-week.toml"
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == String(contentsOfFile: Self.example, encoding: .utf8))
        var info = stat()
        #expect(stat(copy, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(folder, &info) == 0 && info.st_mode & 0o777 == 0o700)

        let again = try sandbox.kindling("program", "add", Self.example)
        #expect(again.status == 1 && again.stderr.contains("--force"), "\(again)")
        #expect(again.stderr.split(separator: "\n").count == 1, "\(again)")
        let forced = try sandbox.kindling("program", "add", "--force", Self.example)
        #expect(forced.status == 0 && forced.stdout.hasPrefix("Replaced"), "\(forced)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["gentle-week.toml"], "no leftovers")

        let unknown = try sandbox.kindling("program", "show", "no-such-program")
        #expect(unknown.status == 1 && unknown.stderr.contains("kindling program list"), "\(unknown)")
    }

    @Test func startSkipAndStopThroughARealDaemon() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("program", "add", Self.example).status == 0)

        let list = try sandbox.kindling("program", "list")
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("* widening-circle"), "the default program is in use\n\(list.stdout)")
        #expect(
            list.stdout.split(separator: "\n").contains {
                $0.hasPrefix("  gentle-week ") && $0.hasSuffix("A gentle week, 7 days, added")
            },
            "\(list.stdout)")
        #expect(list.stdout.contains("five-day-reset"))

        let started = try sandbox.kindling("program", "start", "gentle-week")
        #expect(started.status == 0 && started.stdout.contains("A gentle week begins today."), "\(started)")
        #expect(started.stdout.contains("day 1 of 7"), "\(started)")
        let listed = try sandbox.kindling("program", "list", "--json")
        #expect(listed.stdout.contains("\"active\" : \"gentle-week\""), "\(listed)")

        // The planner takes today's prompt from the step in hand.
        let show = try sandbox.kindling("program", "show", "--json", "gentle-week")
        let object = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let steps = object?["steps"] as? [[String: Any]] ?? []
        #expect(object?["current_step"] as? Int == 1 && steps.count == 7, "\(show)")
        let firstIntentions = steps.first?["intention"] as? [String] ?? []
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        let pending = try sandbox.kindling("pending", "--json").stdout
        // On most days the practice's own question comes first and the step names the focus
        // (PromptComposer); on a variety day the step's own prompt is the whole text. Either
        // way the first step shapes it.
        let firstTitle = steps.first?["title"] as? String ?? "(no title)"
        #expect(
            firstIntentions.contains { pending.contains($0) } || pending.contains("focus: \(firstTitle)."),
            "\(pending)\nis neither one of \(firstIntentions) nor the focus \(firstTitle)")

        let skipped = try sandbox.kindling("program", "skip")
        #expect(skipped.status == 0 && skipped.stdout.contains("day 2 of 7"), "\(skipped)")
        let shown = try sandbox.kindling("program", "show", "gentle-week")
        #expect(shown.stdout.contains("Day 2: "), "\(shown)")
        #expect(shown.stdout.contains("In use: day 2."), "\(shown)")
        let ahead = try sandbox.kindling("program", "skip", "5")
        #expect(ahead.status == 0 && ahead.stdout.contains("Day 5 will be left out"), "\(ahead)")
        #expect(try sandbox.kindling("program", "show", "gentle-week").stdout.contains("(left out)"))
        let status = try sandbox.kindling("status", "--json").stdout
        #expect(status.contains("A gentle week, day 2 of 6"), "\(status)")

        let stopped = try sandbox.kindling("program", "stop")
        #expect(stopped.status == 0 && stopped.stdout.contains("carries on where you left it"), "\(stopped)")
        #expect(try sandbox.kindling("program", "list").stdout.contains("No program is in use"))
        let resumed = try sandbox.kindling("program", "start", "gentle-week")
        #expect(resumed.status == 0 && resumed.stdout.contains("carries on where you left it"), "\(resumed)")
        #expect(resumed.stdout.contains("day 2 of 6"), "\(resumed)")
        let over = try sandbox.kindling("program", "start", "--over", "gentle-week")
        #expect(over.status == 0 && over.stdout.contains("day 1 of 7"), "\(over)")

        let notOne = try sandbox.kindling("program", "skip", "9")
        #expect(notOne.status == 1 && notOne.stderr.split(separator: "\n").count == 1, "\(notOne)")
        #expect(try sandbox.kindling("program", "skip", "0").status == 2, "a step is 1 or more")
    }

    @Test func theProgramCommandsHaveHelp() throws {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent/run"]
        let root = try run(binDirectory + "/kindling", ["--help"], environment: environment).stdout
        #expect(root.contains("  program "), "--help does not list program")
        for (arguments, words) in [
            (["program", "--help"], ["list", "show", "check", "add", "start", "stop", "skip", "never puts you behind"]),
            (["program", "list", "--help"], ["--json"]),
            (["program", "show", "--help"], ["<NAME>", "--json"]),
            (["program", "check", "--help"], ["<FILE>", "--json", "Needs no daemon"]),
            (["program", "add", "--help"], ["<FILE>", "--force", "0600"]),
            (["program", "start", "--help"], ["<NAME>", "--over", "--json"]),
            (["program", "stop", "--help"], ["progress is kept"]),
            (["program", "skip", "--help"], ["<STEP>", "No reason is asked"]),
        ] {
            let help = try run(binDirectory + "/kindling", arguments, environment: environment)
            #expect(help.status == 0, "\(arguments): \(help)")
            let flat = help.stdout.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            for word in words { #expect(flat.contains(word), "\(arguments) help lacks \(word):\n\(help.stdout)") }
        }
    }
}
