import ArgumentParser
import Foundation
import KindlingCore

/// `kindling uninstall`: stop and remove the user service. The journal is kept.
struct Uninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop and remove the systemd user service; your journal and configuration are kept.")

    func run() throws {
        let unitPath = Systemctl.unitDirectory + "/" + ServiceUnit.fileName
        // Disabling a unit that is not loaded fails harmlessly; what matters is the file.
        let disabled = try Systemctl.run(["disable", "--now", ServiceUnit.fileName])
        if disabled.status == 0 { print("Stopped and disabled kindling.service.") }
        if FileManager.default.fileExists(atPath: unitPath) {
            do {
                try FileManager.default.removeItem(atPath: unitPath)
            } catch {
                throw CLIError("cannot remove \(unitPath): \(error.localizedDescription)")
            }
            print("Removed \(unitPath).")
        } else {
            print("No unit was installed at \(unitPath).")
        }
        try Systemctl.require(["daemon-reload"])
        let paths = Paths.resolve(environment: ProcessInfo.processInfo.environment)
        print("Your journal stays in \(paths.dataDirectory); remove it only if you mean to.")
    }
}
