import Foundation
import Testing

/// `kindling config check|show` and doctor's configuration checks: the CLI reads no TOML, so
/// it runs the kindlingd binary beside it (`--check-config --json`, `--print-default-config`)
/// and says what it answers. No daemon runs in these tests.
@Suite struct ConfigCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func withoutAFileTheDefaultsApplyAndShowPrintsThem() throws {
        let sandbox = try Sandbox()
        let check = try sandbox.kindling("config", "check")
        #expect(
            check.status == 0 && check.stdout == "No file at \(sandbox.configFile): the built-in defaults apply.\n", "\(check)")
        let show = try sandbox.kindling("config", "show")
        let defaults = try sandbox.kindlingd("--print-default-config")
        #expect(show.status == 0 && defaults.status == 0, "\(show)\n\(defaults)")
        #expect(show.stdout == defaults.stdout && show.stdout.contains("quiet_hours"), "\(show)")
    }

    @Test func aValidFileIsSaidToBeValid() throws {
        let sandbox = try Sandbox()
        try "[reflection]\nat = \"21:30\"\n".write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let check = try sandbox.kindling("config", "check")
        #expect(check.status == 0 && check.stdout == "\(sandbox.configFile) is valid.\n" && check.stderr.isEmpty, "\(check)")
    }

    @Test func everyProblemIsOneLineWithFileLineAndKey() throws {
        let sandbox = try Sandbox()
        try "[intention]\nat = \"25:00\"\n\n[reflection]\nanswer_until = \"nine\"\n".write(
            toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let check = try sandbox.kindling("config", "check")
        let lines = check.stderr.split(separator: "\n").map(String.init)
        #expect(check.status == 1 && check.stdout.isEmpty && lines.count == 2, "\(check)")
        #expect(lines.first?.hasPrefix("\(sandbox.configFile):2: intention.at: ") == true, "\(check)")
        #expect(lines.last?.hasPrefix("\(sandbox.configFile):5: reflection.answer_until: ") == true, "\(check)")

        // What the CLI read: kindlingd's answer, every problem with its parts.
        let answer = try sandbox.kindlingd("--check-config", "--json")
        #expect(answer.status == 1, "\(answer)")
        let object = try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [String: Any]
        let problems = object?["problems"] as? [[String: Any]] ?? []
        #expect(object?["file"] as? String == sandbox.configFile && object?["built_in_defaults"] as? Bool == false)
        #expect(
            problems.map { $0["line"] as? Int } == [2, 5]
                && problems.map { $0["key"] as? String } == ["intention.at", "reflection.answer_until"])
        #expect(problems.map { $0["description"] as? String } == lines, "\(answer)")
    }

    @Test func doctorSaysUntilWhenQuietHoursHoldPrompts() throws {
        let sandbox = try Sandbox()
        // Quiet hours from an hour ago to two hours from now, in UTC: they hold prompts now.
        let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour!
        let from = String(format: "%02d:00", (hour + 23) % 24)
        let until = String(format: "%02d:00", (hour + 2) % 24)
        try "timezone = \"UTC\"\nquiet_hours = \"\(from)-\(until)\"\n".write(
            toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let doctor = try sandbox.kindling("doctor")
        #expect(doctor.stdout.contains("\(sandbox.configFile) is valid"), "\(doctor)")
        #expect(doctor.stdout.contains("quiet hours (\(from)-\(until)) hold prompts until "), "\(doctor)")
        #expect(doctor.stdout.contains("T\(until):00.000+00:00"), "\(doctor)")
    }

    @Test func withoutKindlingdTheCLISaysSoInOneLine() throws {
        let sandbox = try Sandbox()
        let alone = sandbox.root + "/alone"
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binDirectory + "/kindling", toPath: alone + "/kindling")
        let check = try run(alone + "/kindling", ["config", "check"], environment: sandbox.environment)
        #expect(check.status == 1 && check.stderr.split(separator: "\n").count == 1, "\(check)")
        #expect(check.stderr.hasPrefix("kindling: cannot run kindlingd") && check.stderr.contains("PATH"), "\(check)")
    }
}
