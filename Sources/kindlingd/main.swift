import ArgumentParser
import Glibc
import KindlingControl
import KindlingDaemon

/// `kindlingd`: parses its few options and hands over to ``Daemon``.
struct KindlingDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kindlingd",
        abstract: "The Kindling daemon: delivers the practice's prompts and keeps the journal.",
        discussion: """
            Runs in the foreground; under systemd it is started by `kindling install` as the \
            user service kindling.service. Paths follow the XDG base directories; see kindling(1).

            """ + "\n" + CrisisNote.text,
        version: KindlingVersion.string
    )

    @Option(name: .long, help: ArgumentHelp("Read the configuration from FILE.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Listen for `kindling` on the Unix socket PATH.", valueName: "PATH"))
    var socket: String?

    @Flag(name: .long, help: "Check the configuration, print the verdict and exit.")
    var checkConfig = false

    @Option(
        name: .long,
        help: ArgumentHelp("Check the program file FILE, print the verdict and exit.", valueName: "FILE"))
    var checkProgram: String?

    @Flag(
        name: .long,
        help: "With --check-config or --check-program: the verdict as JSON, every problem with its line and key.")
    var json = false

    @Flag(name: .long, help: "Print the configuration file with every key at its default, and exit.")
    var printDefaultConfig = false

    mutating func run() throws {
        var options = Daemon.Options(configPath: config, socketPath: socket)
        options.handlesSignals = true
        if printDefaultConfig {
            print(LocalChecks.defaultConfigText, terminator: "")
        } else if let file = checkProgram {
            let verdict = LocalChecks.program(file)
            if json {
                try printJSON(verdict)
            } else {
                for problem in verdict.problems { printError(problem.description) }
                if verdict.ok { print("\(file): the program \(verdict.name ?? "") is valid") }
            }
            if !verdict.ok { throw ExitCode(1) }
        } else if checkConfig && json {
            let verdict = LocalChecks.config(options)
            try printJSON(verdict)
            if !verdict.problems.isEmpty { throw ExitCode(1) }
        } else if checkConfig {
            throw ExitCode(Daemon.checkConfig(options))
        } else if json {
            throw ValidationError("--json goes with --check-config or --check-program")
        } else {
            Daemon.run(options)
        }
    }

    private func printJSON(_ value: some Encodable) throws {
        print(String(decoding: try ControlProtocol.makeEncoder().encode(value), as: UTF8.self))
    }

    private func printError(_ line: String) {
        var line = line + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

KindlingDaemonCommand.main()
