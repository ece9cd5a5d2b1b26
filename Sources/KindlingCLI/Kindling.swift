import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling`: the root command is only a namespace for the subcommands.
public struct Kindling: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kindling",
        abstract: "Keep a daily kindness practice: answer prompts, read your journal, steer kindlingd.",
        discussion: """
            kindling talks to the kindlingd daemon over its control socket; it never opens the \
            journal itself. Exit codes: 0 done, 1 the daemon refused or could not do it, 2 usage, \
            3 the daemon is not reachable.

            """ + "\n" + CrisisNote.text,
        version: KindlingVersion.string,
        subcommands: [
            Today.self, Status.self, Next.self, Pending.self, Respond.self, Note.self, Snooze.self, Skip.self, Pause.self,
            Resume.self, Journal.self, Stats.self, Week.self, Report.self, Breathe.self, PromptCommand.self, ProgramCommand.self,
            Edit.self,
            Delete.self,
            Erase.self, Export.self, Import.self, Backup.self,
            Restore.self, Encrypt.self, Decrypt.self, Unlock.self,
            Fire.self, Watch.self, Reload.self, Doctor.self, ConfigCommand.self, Install.self, Uninstall.self,
            Completions.self,
        ],
        defaultSubcommand: Today.self
    )

    public init() {}

    /// Parses the command line, runs the command, and exits with DESIGN.md's codes.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        if let fast = FastPath.match(arguments ?? Array(CommandLine.arguments.dropFirst())) {
            fast.run()
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch let error as CLIError {
            Terminal.printError("kindling: \(error.description)")
            Glibc.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            // Help and --version are successes; usage mistakes exit 2, not the parser's 64.
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Terminal.printError(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
