import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling config check|show|path`: the configuration file, without a running daemon (the
/// checks and the defaults come from the kindlingd binary: see ``DaemonChecks``).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check, show or locate the configuration file.",
        subcommands: [Check.self, Show.self, PathCommand.self]
    )

    /// Where the configuration is read from: --config, KINDLING_CONFIG, or the XDG default.
    struct Location: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp("The configuration file (default: $XDG_CONFIG_HOME/kindling/config.toml).", valueName: "FILE"))
        var config: String?

        var paths: Paths { Paths.resolve(environment: ProcessInfo.processInfo.environment, config: config) }

        /// True when there is no file and the built-in defaults apply.
        var usesDefaults: Bool { paths.usesBuiltInDefaults }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Check the configuration: one line per problem, file, line and key.")
        @OptionGroup var location: Location

        func run() throws {
            let verdict = try DaemonChecks.config(location.config)
            if verdict.builtInDefaults {
                print("No file at \(verdict.file): the built-in defaults apply.")
                return
            }
            guard !verdict.problems.isEmpty else {
                print("\(verdict.file) is valid.")
                return
            }
            for problem in verdict.problems { Terminal.printError(problem.description) }
            throw ExitCode(1)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the configuration file (or the built-in defaults).")
        @OptionGroup var location: Location

        func run() throws {
            if location.usesDefaults {
                print(try DaemonChecks.defaultConfig(), terminator: "")
                return
            }
            guard let text = try? String(contentsOfFile: location.paths.configFile, encoding: .utf8) else {
                throw CLIError("cannot read \(location.paths.configFile)")
            }
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct PathCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path", abstract: "Print where the configuration file is (or would be).")
        @OptionGroup var location: Location

        func run() throws {
            print(location.paths.configFile)
        }
    }
}
