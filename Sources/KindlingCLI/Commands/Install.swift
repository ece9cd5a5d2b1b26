import ArgumentParser
import FoundationEssentials

/// `kindling install`: run kindlingd as a systemd user service, started now and at login.
struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install kindlingd as a systemd user service and start it (restarts it after an upgrade).")

    @Flag(name: .long, help: "Write and enable the unit, but do not start or restart the service.")
    var noStart = false

    func run() throws {
        let binDirectory = try Self.binDirectory()
        let daemon = binDirectory + "/kindlingd"
        guard FileManager.default.isExecutableFile(atPath: daemon) else {
            throw CLIError("kindlingd was not found next to kindling (looked for \(daemon)); install both with `make install`")
        }
        let unitDirectory = Systemctl.unitDirectory
        let unitPath = unitDirectory + "/" + ServiceUnit.fileName
        let systemUnits = UnitSource.systemUnitPaths(environment: ProcessInfo.processInfo.environment)
            .compactMap { path in (try? String(contentsOfFile: path, encoding: .utf8)).map { (path: path, contents: $0) } }
        let ownUnit = try? String(contentsOfFile: unitPath, encoding: .utf8)
        switch UnitSource.choose(binDirectory: binDirectory, systemUnits: systemUnits, ownUnit: ownUnit) {
        case .ownCopy:
            do {
                try FileManager.default.createDirectory(atPath: unitDirectory, withIntermediateDirectories: true)
                try Data(ServiceUnit.render(binDirectory: binDirectory).utf8).write(
                    to: URL(fileURLWithPath: unitPath), options: .atomic)
            } catch {
                throw CLIError("cannot write \(unitPath): \(SystemError.describe(error))")
            }
            print("Wrote \(unitPath) (kindlingd: \(daemon))")
        case .system(let path, let earlierCopy):
            print("Using the installed unit \(path) (kindlingd: \(daemon))")
            switch earlierCopy {
            case .none:
                break
            case .writtenByKindling:
                // Left by an earlier `kindling install`; it would hide the installed unit.
                do {
                    try FileManager.default.removeItem(atPath: unitPath)
                } catch {
                    throw CLIError("cannot remove the earlier copy \(unitPath): \(SystemError.describe(error))")
                }
                print("Removed the earlier copy \(unitPath), so the installed unit is the one in use.")
            case .theirOwn:
                print("Kept your own \(unitPath); systemd uses it instead of \(path) while it is there.")
            }
        }

        try Systemctl.require(["daemon-reload"])
        try Systemctl.require(["enable", ServiceUnit.fileName])
        print("Enabled kindling.service: it starts when you log in.")
        guard !noStart else { return }

        // An installed service is restarted so that an upgrade takes effect at once.
        let wasActive = try Systemctl.run(["is-active", "--quiet", ServiceUnit.fileName]).status == 0
        try Systemctl.require([wasActive ? "restart" : "start", ServiceUnit.fileName])
        print(wasActive ? "Restarted kindling.service with the new binaries." : "Started kindling.service.")
        print("Check on it with `kindling status` or `systemctl --user status kindling`.")
    }

    /// The directory of the running `kindling` binary (symlinks resolved).
    static func binDirectory() throws(CLIError) -> String {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw CLIError("cannot tell where kindling is installed (/proc/self/exe is unreadable)")
        }
        return PathText.folder(of: executable)
    }
}
