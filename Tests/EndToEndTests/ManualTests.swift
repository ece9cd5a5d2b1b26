import Foundation
import Testing

/// The manual pages in man/: current with the commands' help and the config file, complete
/// (every command, every option, every environment variable the sources read, the real exit
/// codes), clean for mandoc's linter, and readable with man(1).
@Suite struct ManualTests {
    static let pages = ["kindling.1", "kindlingd.1", "kindling.toml.5"]
    static let tools = [
        ("/usr/bin/python3", "python3"), ("/usr/bin/mandoc", "mandoc"), ("/usr/bin/man", "man-db"),
    ]

    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C.UTF-8"]

    static func requireTools() throws {
        let missing = tools.filter { !FileManager.default.fileExists(atPath: $0.0) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ")
            throw TestSetupError("missing for the manual tests: \(list); run `make test`, which installs them")
        }
    }

    func page(_ name: String) throws -> String {
        try String(contentsOfFile: source + "/man/" + name, encoding: .utf8)
    }

    /// The lines of one section (`.Sh NAME` up to the next `.Sh`).
    func section(_ title: String, of text: String) -> String {
        var lines: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".Sh ") {
                inside = line == ".Sh \(title)" || line == ".Sh \"\(title)\""
                continue
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// The page as man(1) shows it, formatting removed (man-db strips it off a terminal).
    func rendered(_ name: String) throws -> Outcome {
        var env = environment
        env["MANWIDTH"] = "200"
        return try run("/usr/bin/man", ["-l", source + "/man/" + name], environment: env)
    }

    @Test func thePagesAreWhatTheGeneratorWritesNow() throws {
        try Self.requireTools()
        let scratch = try makePrivateDirectory("kindling-man")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let generated = try run(
            "/usr/bin/python3", [source + "/scripts/gen-man", binDirectory, scratch], environment: environment)
        try #require(generated.status == 0, "scripts/gen-man failed: \(generated)")
        for name in Self.pages {
            let fresh = try String(contentsOfFile: scratch + "/" + name, encoding: .utf8)
            let current = try page(name) == fresh
            #expect(
                current,
                "man/\(name) is stale against the commands' help, Config/kindling.toml or man/sections/: run `make man` and commit it"
            )
        }
    }

    @Test func everyCommandAndOptionIsInKindling1() throws {
        try Self.requireTools()
        let help = try run(binDirectory + "/kindling", ["--experimental-dump-help"], environment: environment)
        try #require(help.status == 0, "\(help)")
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(help.stdout.utf8)) as? [String: Any])?["command"] as? [String: Any])
        let shown = try rendered("kindling.1")
        try #require(shown.status == 0, "\(shown)")
        // One line per command in COMMANDS: "kindling config check [options]".
        let text = shown.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var commands = 0
        func visit(_ command: [String: Any], path: [String]) {
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String else { continue }
                let words = path + [name]
                if sub["subcommands"] != nil {
                    visit(sub, path: words)
                    continue
                }
                commands += 1
                let heading = (["kindling"] + words).joined(separator: " ")
                #expect(
                    text.contains { $0 == heading || $0.hasPrefix(heading + " ") },
                    "kindling.1 has no entry for `\(heading)`: run `make man`")
                for argument in sub["arguments"] as? [[String: Any]] ?? [] {
                    guard let names = argument["names"] as? [[String: Any]], let first = names.last,
                        let option = first["name"] as? String, first["kind"] as? String == "long"
                    else { continue }
                    let mentioned = shown.stdout.contains("--" + option)
                    #expect(mentioned, "kindling.1 does not mention --\(option) of \(heading)")
                }
            }
        }
        visit(root, path: [])
        #expect(commands >= 30, "only \(commands) commands found in kindling's help")
        for expected in ["kindling respond", "kindling config check", "kindling completions"] {
            #expect(text.contains { $0.hasPrefix(expected) }, "kindling.1 lacks \(expected)")
        }
    }

    /// Every variable a program reads (getenv, an environment dictionary, the XDG paths, the ones
    /// passed on to or kept from the commands it starts) is in an ENVIRONMENT section.
    @Test func everyEnvironmentVariableTheSourcesReadIsDocumented() throws {
        let read = try Self.environmentVariablesInSources(source + "/Sources")
        for known in ["KINDLING_SOCKET", "KINDLING_TIMEOUT", "NO_COLOR", "XDG_RUNTIME_DIR", "EDITOR", "KINDLING_TEXT"] {
            #expect(read.contains(known), "the scan of Sources/ missed \(known): the test's patterns need updating")
        }
        let documented = try ["kindling.1", "kindlingd.1"].map { section("ENVIRONMENT", of: try page($0)) }
            .joined(separator: "\n")
        let words = Set(documented.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
        for name in read.sorted() {
            let named = words.contains(name)
            #expect(named, "\(name) is read in Sources/ but no ENVIRONMENT section names it (man/sections/)")
        }
    }

    static func environmentVariablesInSources(_ root: String) throws -> Set<String> {
        let patterns = [
            #"getenv\("([A-Z][A-Z0-9_]*)"\)"#,
            #"[eE]nvironment\[\s*"([A-Z][A-Z0-9_]*)"\s*\]"#,
            #"nonEmpty\("([A-Z][A-Z0-9_]*)"\)"#,
            #"\$0 == "([A-Z][A-Z0-9_]*)""#,
            // What the daemon sets for the commands it starts.
            #""(KINDLING_[A-Z0-9_]+)":"#,
            #"variables\["([A-Z][A-Z0-9_]*)"\]"#,
        ].map { try! NSRegularExpression(pattern: $0) }
        // Lists of names: `static let passedEnvironment = [...]` and the like.
        let lists = try NSRegularExpression(pattern: #"let \w*Environment\b[^=]*=\s*\[([^\]]*)\]"#)
        let literal = try NSRegularExpression(pattern: #""([A-Z][A-Z0-9_]*)""#)
        var found: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            let whole = NSRange(text.startIndex..., in: text)
            func captures(_ regex: NSRegularExpression, in range: NSRange) -> [String] {
                regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
            }
            for regex in patterns { found.formUnion(captures(regex, in: whole)) }
            for match in lists.matches(in: text, range: whole) {
                found.formUnion(captures(literal, in: match.range(at: 1)))
            }
        }
        return found
    }

    @Test func theExitStatusSectionsHaveTheRealCodes() throws {
        let kindling = section("EXIT STATUS", of: try page("kindling.1"))
        for code in ["0", "1", "2", "3"] {
            #expect(kindling.contains(".It \(code)\n"), "kindling.1's EXIT STATUS lacks \(code)")
        }
        let usage = try run(binDirectory + "/kindling", ["frobnicate"], environment: environment)
        #expect(kindling.contains(".It \(usage.status)\n"), "kindling exits \(usage.status) on a usage error")
        let unreachable = try run(
            binDirectory + "/kindling", ["status", "--socket", "/nonexistent/kindling.sock"], environment: environment)
        #expect(unreachable.status == 3 && kindling.contains(".It 3\n"), "\(unreachable)")

        let daemon = section("EXIT STATUS", of: try page("kindlingd.1"))
        let daemonUsage = try run(binDirectory + "/kindlingd", ["--no-such-option"], environment: environment)
        #expect(daemonUsage.status != 0)
        #expect(daemon.contains(".It \(daemonUsage.status)\n"), "kindlingd exits \(daemonUsage.status) on a usage error")
        let badConfig = try run(
            binDirectory + "/kindlingd", ["--check-config", "--config", "/nonexistent/config.toml"], environment: environment)
        #expect(badConfig.status == 1 && daemon.contains(".It 1\n"), "\(badConfig)")
    }

    /// The synopsis names what kindlingd takes: options only, no subcommand.
    @Test func kindlingdsSynopsisIsItsOptions() throws {
        let synopsis = section("SYNOPSIS", of: try page("kindlingd.1"))
        #expect(!synopsis.contains("subcommand"), "\(synopsis)")
        for option in ["config Ar FILE", "socket Ar PATH", "check-config"] {
            #expect(synopsis.contains(".Op Fl -" + option), "kindlingd.1's synopsis lacks --\(option)")
        }
    }

    @Test func theSectionsPeopleLookForAreThere() throws {
        for name in ["kindling.1", "kindlingd.1"] {
            let text = try page(name)
            for title in ["ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "PRIVACY", "SEE ALSO"] {
                #expect(text.contains(".Sh \(title)\n"), "\(name) has no \(title) section")
            }
            #expect(text.contains("not a crisis service"), "\(name) lacks the crisis note")
        }
        // kindling.toml(5) names every table and setting of the commented defaults.
        let config = try String(contentsOfFile: source + "/Config/kindling.toml", encoding: .utf8)
        let reference = try page("kindling.toml.5")
        for line in config.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix(" ") {
            if line.hasPrefix("[") {
                #expect(reference.contains(".Ss \"\(line)\"") || reference.contains(".Ss \(line)\n"), "no \(line)")
            } else if let key = line.split(separator: " ").first, line.contains("=") {
                #expect(reference.contains(".It Ic \(key)\n"), "kindling.toml.5 does not describe \(key)")
            }
        }
    }

    @Test func mandocFindsNothingToFix() throws {
        try Self.requireTools()
        for name in Self.pages {
            let lint = try run("/usr/bin/mandoc", ["-Tlint", "-W", "warning", source + "/man/" + name], environment: environment)
            // A stale mandoc.db on the machine is no fault of the page.
            let complaints = (lint.stdout + lint.stderr).split(separator: "\n").filter { !$0.contains("mandoc.db") }
            #expect(complaints.isEmpty, "mandoc -Tlint on man/\(name):\n\(complaints.joined(separator: "\n"))")
        }
    }

    @Test func manShowsEachPage() throws {
        try Self.requireTools()
        for (name, heading) in [
            ("kindling.1", "KINDLING(1)"), ("kindlingd.1", "KINDLINGD(1)"), ("kindling.toml.5", "KINDLING.TOML(5)"),
        ] {
            let shown = try rendered(name)
            #expect(shown.status == 0, "man -l man/\(name): \(shown)")
            #expect(shown.stdout.hasPrefix(heading), "man -l man/\(name) starts: \(shown.stdout.prefix(80))")
            #expect(shown.stdout.contains("DESCRIPTION"), "\(name)")
            #expect(shown.stdout.contains("SEE ALSO"), "\(name)")
            #expect(!shown.stdout.contains(".Sh") && !shown.stdout.contains(".It"), "raw macros in man -l man/\(name)")
        }
    }
}
