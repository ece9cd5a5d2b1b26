import Foundation
import Testing

/// The built `kindling` and `kindlingd` binaries: help texts, usage errors, exit codes.
@Suite struct CLITests {
    let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent/run"]

    func kindling(_ arguments: String...) throws -> Outcome {
        try run(binDirectory + "/kindling", arguments, environment: environment)
    }

    @Test func helpListsEveryCommand() throws {
        let help = try kindling("--help")
        #expect(help.status == 0, "\(help)")
        for command in ["status", "reload", "install", "uninstall", "delete", "erase"] {
            #expect(help.stdout.contains("  \(command) "), "--help does not list \(command)")
        }
        #expect(help.stdout.contains("3 the daemon is not reachable"))
        #expect(help.stdout.contains("not a crisis service"), "the crisis note is in --help")
    }

    /// Where a person might look for help, the crisis note is there: both commands' help (and so
    /// both man pages, made from it) and the config file's header.
    @Test func theCrisisNoteIsWherePeopleLook() throws {
        let daemonHelp = try run(binDirectory + "/kindlingd", ["--help"], environment: environment)
        #expect(daemonHelp.stdout.contains("not a crisis service"), "\(daemonHelp)")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for file in ["Config/kindling.toml", "man/kindling.1", "man/kindlingd.1"] {
            let text = try String(contentsOf: source.appendingPathComponent(file), encoding: .utf8)
            // A man page breaks lines where it likes: compare words.
            let words = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            #expect(words.contains("not a crisis service"), "\(file) lacks the crisis note")
        }
    }

    @Test func commandHelpShowsTheSharedOptions() throws {
        let help = try kindling("status", "--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("--json"))
        #expect(help.stdout.contains("--socket <PATH>"))
    }

    @Test func noteHelpOffersMoodAndEnergyAndRefusesOthers() throws {
        let help = try kindling("note", "--help")
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("--mood"), "\(help.stdout)")
        #expect(help.stdout.contains("--energy"), "\(help.stdout)")
        #expect(help.stdout.contains("rest and kindness to yourself"), "\(help.stdout)")
        let outside = try kindling("note", "--energy", "9", "tired")
        #expect(outside.status == 2, "\(outside)")
        #expect(outside.stderr.contains("--energy must be from 1 to 5"), "\(outside)")
    }

    @Test func aUsageMistakeExits2() throws {
        let unknown = try kindling("frobnicate")
        #expect(unknown.status == 2, "\(unknown)")
        #expect(unknown.stderr.contains("frobnicate"))
        let badOption = try kindling("status", "--colour")
        #expect(badOption.status == 2, "\(badOption)")
    }

    @Test func anUnreachableDaemonExits3WithOneLineNamingTheSocket() throws {
        let outcome = try kindling("status", "--socket", "/nonexistent/kindling.sock")
        #expect(outcome.status == 3)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("/nonexistent/kindling.sock"))
        #expect(outcome.stderr.contains("systemctl --user start kindling"))
        // The default socket follows XDG_RUNTIME_DIR.
        let byDefault = try kindling("status")
        #expect(byDefault.status == 3)
        #expect(byDefault.stderr.contains("/nonexistent/run/kindling/control.sock"))
    }

    @Test func theCLILinksNeitherSQLiteNorLibsystemdNorICU() throws {
        let linked = try run("/usr/bin/ldd", [binDirectory + "/kindling"], environment: environment)
        #expect(linked.status == 0, "\(linked)")
        #expect(!linked.stdout.contains("libsqlite3"), "\(linked.stdout)")
        #expect(!linked.stdout.contains("libsystemd"), "\(linked.stdout)")
        #expect(!linked.stdout.contains("libical"), "\(linked.stdout)")
        #expect(!linked.stdout.contains("libargon2"), "\(linked.stdout)")
        // The thin client: FoundationEssentials, never all of Foundation with ICU's data.
        for library in ["libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU", "libicu"] {
            #expect(!linked.stdout.contains(library), "kindling links \(library): \(linked.stdout)")
        }
        let symbols = try run("/usr/bin/nm", [binDirectory + "/kindling"], environment: environment)
        #expect(symbols.status == 0 && symbols.stdout.contains("KindlingControl"), "\(symbols.stderr)")
        for mark in [" sqlite3_prepare", "ucol_open", "ubrk_open", "toml++", "TOMLParser"] {
            #expect(!symbols.stdout.contains(mark), "kindling carries \(mark)")
        }
        // The same look finds them in the daemon (ICU's only where Foundation is linked in whole).
        let daemonSymbols = try run("/usr/bin/nm", [binDirectory + "/kindlingd"], environment: environment).stdout
        #expect(daemonSymbols.contains(" sqlite3_prepare") && daemonSymbols.contains("TOMLParser"))
        // The daemon does link them: the check above can tell.
        let daemon = try run("/usr/bin/ldd", [binDirectory + "/kindlingd"], environment: environment)
        #expect(daemon.stdout.contains("libsystemd") && daemon.stdout.contains("libsqlite3"))
        #expect(daemon.stdout.contains("libical") && daemon.stdout.contains("libargon2"))
    }

    @Test func versionsAgree() throws {
        let cli = try kindling("--version")
        let daemon = try run(binDirectory + "/kindlingd", ["--version"], environment: environment)
        #expect(cli.status == 0 && daemon.status == 0)
        #expect(!cli.stdout.isEmpty)
        #expect(cli.stdout == daemon.stdout)
    }

    @Test func daemonHelpDescribesItsOptions() throws {
        let help = try run(binDirectory + "/kindlingd", ["--help"], environment: environment)
        #expect(help.status == 0)
        for option in ["--config <FILE>", "--socket <PATH>", "--check-config", "--version"] {
            #expect(help.stdout.contains(option), "kindlingd --help lacks \(option)")
        }
        let usage = try run(binDirectory + "/kindlingd", ["--bogus"], environment: environment)
        #expect(usage.status != 0)
        #expect(usage.stderr.contains("--bogus"))
    }
}
