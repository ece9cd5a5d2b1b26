import ArgumentParser
import KindlingControl

/// `kindling reload`: re-read the configuration; returns once the daemon has done it.
/// The unit's `ExecReload=` runs this, which makes `systemctl --user reload` synchronous.
struct Reload: VerbCommand {
    typealias Verb = Request.Reload

    static let configuration = CommandConfiguration(
        commandName: "reload", abstract: "Re-read the configuration file (an invalid one is reported and the old one kept).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let result = try global.call(Verb())
        if global.json {
            try global.printJSON(result)
        } else {
            print("Reloaded \(result.configPath). \(result.statusLine)")
        }
    }
}
