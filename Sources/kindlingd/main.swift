import ArgumentParser
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

    mutating func run() throws {
        var options = Daemon.Options(configPath: config, socketPath: socket)
        options.handlesSignals = true
        if checkConfig {
            throw ExitCode(Daemon.checkConfig(options))
        }
        Daemon.run(options)
    }
}

KindlingDaemonCommand.main()
