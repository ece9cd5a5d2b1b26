import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// The checks only the daemon's code can make (it alone reads TOML and knows time zones):
/// `kindling config check|show`, `program check|add` and `doctor` run `kindlingd` with
/// `--check-config` or `--check-program FILE` and `--json`, and read its answer. No daemon
/// needs to be running: this is the same binary, started just for the check.
enum DaemonChecks {
    /// The configuration (`config`: --config, else KINDLING_CONFIG or the XDG default).
    static func config(_ config: String?) throws(CLIError) -> ConfigCheck {
        try answer(ConfigCheck.self, ["--check-config", "--json"] + (config.map { ["--config", $0] } ?? []))
    }

    /// The program in `file`.
    static func program(_ file: String) throws(CLIError) -> ProgramCheck {
        try answer(ProgramCheck.self, ["--check-program", file, "--json"])
    }

    /// The configuration file with every key at its default.
    static func defaultConfig() throws(CLIError) -> String {
        let outcome = try run(["--print-default-config"])
        guard outcome.status == 0, !outcome.output.isEmpty else {
            throw CLIError(
                "\(kindlingd) did not print the default configuration (exit status \(outcome.status)); is it the same version as kindling (\(KindlingVersion.string))?"
            )
        }
        return outcome.text
    }

    /// kindlingd beside this kindling (how both are installed, and how they are built),
    /// otherwise the first on PATH. Looked up once: the messages name the one that ran.
    static let kindlingd: String = {
        if let folder = try? Install.binDirectory(), access(folder + "/kindlingd", X_OK) == 0 {
            return folder + "/kindlingd"
        }
        return "kindlingd"
    }()

    private static func answer<T: Decodable>(_ type: T.Type, _ arguments: [String]) throws(CLIError) -> T {
        let outcome = try run(arguments)
        do {
            return try ControlProtocol.makeDecoder().decode(type, from: Data(outcome.output))
        } catch {
            throw CLIError(
                "\(kindlingd) answered `\(arguments.joined(separator: " "))` with something other than its check (exit status \(outcome.status)); is it the same version as kindling (\(KindlingVersion.string))?"
            )
        }
    }

    private static func run(_ arguments: [String]) throws(CLIError) -> Subprocess.Outcome {
        let program = kindlingd
        do {
            return try Subprocess.run(program, arguments)
        } catch {
            throw CLIError(
                "cannot run \(program) (\(error.description)), which reads configuration and program files for kindling; install it beside kindling or on PATH"
            )
        }
    }
}
