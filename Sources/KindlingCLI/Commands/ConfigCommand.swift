import ArgumentParser
import Foundation
import KindlingControl
import KindlingCore

/// `kindling config check|show|path`: the configuration file, without the daemon.
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
            if location.usesDefaults {
                print("No file at \(location.paths.configFile): the built-in defaults apply.")
                return
            }
            // Every problem, not just the first, from the file's raw bytes: what the daemon reads
            // (two byte-order marks stay two, and bytes that are not UTF-8 are seen as such).
            let problems: [ConfigError]
            do {
                problems = try Configuration.diagnose(contentsOf: location.paths.configFile)
            } catch {
                throw CLIError(error.description)
            }
            guard !problems.isEmpty else {
                print("\(location.paths.configFile) is valid.")
                return
            }
            for problem in problems {
                FileHandle.standardError.write(Data("\(problem.description)\n".utf8))
            }
            throw ExitCode(1)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the configuration file (or the built-in defaults).")
        @OptionGroup var location: Location

        func run() throws {
            if location.usesDefaults {
                print(Configuration.defaultTOML, terminator: "")
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
