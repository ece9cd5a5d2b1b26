import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A config file that goes bad under a running daemon, and hostile values in it: the daemon
/// keeps the configuration in force, says what is wrong in one line, and keeps running.
@Suite(.serialized) struct ConfigFaultTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// The `timezone` the running daemon uses (a change the config below makes visible).
    private func timezone(_ sandbox: Sandbox) throws -> String? {
        let status = try sandbox.kindling("status", "--json")
        let object = try JSONDecoder().decode([String: JSONValue].self, from: Data(status.stdout.utf8))
        if case .string(let zone)? = object["timezone"] { return zone }
        return nil
    }

    /// Ways a config file stops being usable. Root ignores permission bits, so "unreadable" is a
    /// directory or a FIFO in its place.
    static let breakages: [(name: String, apply: @Sendable (String) throws -> Void, says: String)] = [
        ("garbage", { try Data([0x00, 0xFF, 0x13, 0x37, 0x0A]).write(to: URL(fileURLWithPath: $0)) }, "not UTF-8"),
        ("a NUL", { try Data(Array("a = 1".utf8) + [0x00, 0x0A]).write(to: URL(fileURLWithPath: $0)) }, "NUL"),
        (
            "not UTF-8",
            { try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xC3, 0x28, 0x22, 0x0A]).write(to: URL(fileURLWithPath: $0)) }, "UTF-8"
        ),
        ("a directory", { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) }, "directory"),
        ("a FIFO", { _ = mkfifo($0, 0o600) }, "config"),
        ("too large", { try Data(repeating: 0x23, count: 2 << 20).write(to: URL(fileURLWithPath: $0)) }, "MiB"),
        ("TOML that aborted toml++", { try "[\n".write(toFile: $0, atomically: true, encoding: .utf8) }, "table header"),
        (
            "a list closed with a brace",
            { try "[break]\ndays = [\"mon\",}\n".write(toFile: $0, atomically: true, encoding: .utf8) }, "\"]\""
        ),
        (
            "a bad value", { try "[intention]\nat = \"25:00\"\n".write(toFile: $0, atomically: true, encoding: .utf8) },
            "intention.at"
        ),
    ]

    @Test func aConfigThatGoesBadIsRefusedOnReloadAndTheOldOneKept() throws {
        let sandbox = try Sandbox()
        let config = sandbox.configFile
        try "timezone = \"Asia/Tokyo\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        for breakage in Self.breakages {
            try? FileManager.default.removeItem(atPath: config)
            try breakage.apply(config)
            let reload = try sandbox.kindling("reload")
            #expect(reload.status == 1, "\(breakage.name): \(reload)")
            let lines = reload.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(breakage.name): one line expected: \(reload.stderr)")
            #expect(reload.stderr.contains(config) && reload.stderr.contains(breakage.says), "\(breakage.name): \(reload.stderr)")
            #expect(reload.stderr.contains("previous configuration"), "\(breakage.name): \(reload.stderr)")
            #expect(daemon.isRunning, "\(breakage.name) stopped the daemon")
            #expect(try timezone(sandbox) == "Asia/Tokyo", "\(breakage.name): the old configuration must stay in force")
        }
        print("measured: \(Self.breakages.count) broken config files reloaded; each refused in one line, the old config kept")

        // Fixed: the reload succeeds and the problem is gone.
        try? FileManager.default.removeItem(atPath: config)
        try "timezone = \"America/Chicago\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let fixed = try sandbox.kindling("reload")
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try timezone(sandbox) == "America/Chicago")
        #expect(!(try sandbox.kindling("status", "--json").stdout.contains("reload failed")))

        // Deleted: at the default path no file means the built-in defaults (DESIGN.md), so a
        // reload applies them; a file named with --config must exist, so there it is refused.
        try FileManager.default.removeItem(atPath: config)
        #expect(try sandbox.kindling("reload").status == 0)
        #expect(try timezone(sandbox) != "America/Chicago")
    }

    @Test func aDeletedExplicitConfigIsRefusedOnReload() throws {
        let sandbox = try Sandbox()
        let config = sandbox.root + "/mine.toml"
        try "timezone = \"Asia/Tokyo\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon(["--config", config])
        defer { daemon.stopAndWait() }
        try FileManager.default.removeItem(atPath: config)
        let reload = try sandbox.kindling("reload")
        #expect(reload.status == 1, "\(reload)")
        #expect(reload.stderr.split(separator: "\n").count == 1 && reload.stderr.contains(config), "\(reload.stderr)")
        #expect(try timezone(sandbox) == "Asia/Tokyo")
    }

    // MARK: - Hostile values, through `kindlingd --check-config`

    /// Each is refused with one line naming the file, the line and the key.
    static let hostileValues: [(toml: String, line: Int, says: String)] = [
        ("[intention]\nat = \"25:00\"\n", 2, "intention.at"),
        ("[intention]\nat = \"23:60\"\n", 2, "intention.at"),
        ("[intention]\nat = \"-1:00\"\n", 2, "intention.at"),
        ("[reflection]\nanswer_until = \"24:00:01\"\n", 2, "reflection.answer_until"),
        (
            "[intention]\nat = ["
                + (0..<5000).map { "\"\(String(format: "%02d:%02d", $0 / 60 % 24, $0 % 60))\"" }.joined(separator: ",") + "]\n",
            2, "intention.at"
        ),
        ("[program]\nskip = [" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]\n", 2, "program.skip"),
        ("timezone = \"Mars/Olympus_Mons\"\n", 1, "timezone"),
        ("timezone = \"Europe/../../etc/shadow\"\n", 1, "timezone"),
        ("timezone = \"\u{1B}[31mred\"\n", 1, "control character U+001B"),
        ("[nudge]\nvalid_for = \"-10m\"\n", 2, "nudge.valid_for"),
        ("[delivery]\nsnooze = \"-5m\"\n", 2, "delivery.snooze"),
        ("[break]\nenabled = true\nevery = \"99999999999999999999h\"\n", 3, "break.every"),
        ("[break]\nevery = \"0s\"\n", 2, "break.every"),
        ("[program]\nskip = [9223372036854775807]\n", 2, "program.skip"),
        ("[program]\nstart = \"0000-00-00\"\n", 2, "program.start"),
        ("[intention]\nat = \"０８:００\"\n", 2, "intention.at"),
        ("[intention]\ndays = [\"mön\"]\n", 2, "intention.days"),
        ("[[custom]]\nname = \"wåter\u{202E}\"\nat = \"10:00\"\ntext = \"x\"\n", 2, "custom[1].name"),
        ("[[prompt]]\nslot = \"nudge\"\ntext = \"" + String(repeating: "🌱", count: 5000) + "\"\n", 3, "prompt[1].text"),
        ("ünïcödé = \"everywhere\"\n", 1, "not valid TOML"),
        ("\"ünïcödé\" = \"everywhere\"\n", 1, "ünïcödé"),
        ("[delivery]\ncommand = \"notify\\u0007\"\n", 2, "delivery.command"),
    ]

    @Test func hostileValuesAreRefusedInOneClearLineEach() throws {
        let sandbox = try Sandbox()
        for (number, value) in Self.hostileValues.enumerated() {
            try value.toml.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
            let check = try sandbox.kindlingd("--check-config")
            #expect(check.status == 1, "case \(number): \(check)")
            let lines = check.stderr.split(separator: "\n")
            #expect(lines.count == 1, "case \(number): one line expected, got \(lines.count): \(check.stderr.prefix(500))")
            let line = String(lines.first ?? "")
            #expect(line.contains("\(sandbox.configFile):\(value.line)") && line.contains(value.says), "case \(number): \(line)")
            #expect(line.count < 400, "case \(number): \(line.count) characters is not a clear line")
            #expect(
                !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "case \(number): \(line)")
        }
        print("measured: \(Self.hostileValues.count) hostile config values, each refused by kindlingd --check-config in one line")
    }
}
