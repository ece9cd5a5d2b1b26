import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling uninstall [--purge [--yes]]`: stop and remove the user service. The journal is kept,
/// unless --purge asks to erase it too.
struct Uninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall", abstract: "Stop and remove the systemd user service; your journal and configuration are kept.",
        discussion: """
            --purge also erases the journal and its snapshots, after asking on the terminal (--yes does not ask). \
            Without a terminal to ask on, --purge erases only with --yes, and otherwise changes nothing (exit 2).
            """)

    @Flag(name: .long, help: "Also erase your journal and its snapshots (asks first).")
    var purge = false

    @Flag(name: .long, help: "With --purge: erase without asking.")
    var yes = false

    func validate() throws {
        if yes && !purge { throw ValidationError("--yes goes with --purge") }
    }

    func run() throws {
        let paths = Paths.resolve(environment: ProcessInfo.processInfo.environment)
        if purge && !yes && isatty(0) != 1 {
            throw CLIError(
                "nothing was erased or uninstalled: there is no terminal to confirm on. "
                    + "To erase your journal too, run `kindling uninstall --purge --yes`.",
                exitCode: 2)
        }
        let unitPath = Systemctl.unitDirectory + "/" + ServiceUnit.fileName
        // Disabling a unit that is not loaded fails harmlessly; what matters is the file.
        let disabled = try Systemctl.run(["disable", "--now", ServiceUnit.fileName])
        if disabled.status == 0 { print("Stopped and disabled kindling.service.") }
        if FileManager.default.fileExists(atPath: unitPath) {
            do {
                try FileManager.default.removeItem(atPath: unitPath)
            } catch {
                throw CLIError("cannot remove \(unitPath): \(SystemError.describe(error))")
            }
            print("Removed \(unitPath).")
        } else {
            print("No unit was installed at \(unitPath).")
        }
        try Systemctl.require(["daemon-reload"])
        guard purge else {
            print("Your journal stays in \(paths.dataDirectory); remove it only if you mean to.")
            return
        }
        try Self.erase(paths, confirmed: yes)
    }

    /// The journal, its SQLite sidecar files and the snapshots folder; the data folder too if that
    /// leaves it empty. Refused while a daemon still answers on the socket (it would keep writing).
    static func erase(_ paths: Paths, confirmed: Bool) throws(CLIError) {
        switch Result(catching: { () throws(ControlClient.ClientError) in
            try ControlClient.cli(socket: paths.socketFile).send(Request.Status())
        }) {
        case .success(.success(let status)):
            throw CLIError(
                "kindlingd (pid \(status.pid)) still runs on \(paths.socketFile); stop it first. Your journal was NOT erased.")
        case .failure(.unreachable):
            break  // nothing listens: no daemon holds the journal
        default:
            // Silent, refusing, untrusted or answering in a way this CLI cannot read (a daemon
            // older or newer than it): something may still hold the journal open.
            throw CLIError(
                "a kindlingd on \(paths.socketFile) may still hold the journal; stop it first (`systemctl --user stop kindling`). Your journal was NOT erased."
            )
        }
        let snapshots = paths.snapshotDirectory
        let keyFiles = paths.keyFiles()
        let targets = paths.journalFiles() + keyFiles
        guard !targets.isEmpty else {
            print("There is no journal in \(paths.dataDirectory); nothing to erase.")
            return
        }
        if !confirmed {
            guard
                TerminalInput.confirm(
                    "Erase your journal and its snapshots in \(paths.dataDirectory) for good? This cannot be undone.")
            else {
                print("Kept your journal in \(paths.dataDirectory); nothing was erased.")
                return
            }
        }
        for target in targets {
            do {
                try FileManager.default.removeItem(atPath: target)
            } catch {
                throw CLIError("cannot erase \(target): \(SystemError.describe(error))")
            }
        }
        _ = rmdir(snapshots)
        // The folder goes too, if nothing else lives in it.
        if (try? FileManager.default.contentsOfDirectory(atPath: paths.dataDirectory))?.isEmpty == true {
            _ = rmdir(paths.dataDirectory)
        }
        print("Erased your journal and its snapshots from \(paths.dataDirectory).")
        if keyFiles.contains(where: { $0.hasSuffix(".keyring") }) {
            print("Its key stays in your keyring as \"Kindling journal key\": remove it there if you like.")
        }
        print(Delete.ownCopiesNote)
    }
}
