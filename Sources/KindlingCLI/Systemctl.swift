import FoundationEssentials

/// Runs `systemctl --user` for install and uninstall, with its output captured so a
/// failure can be reported in one line.
enum Systemctl {
    /// Runs `systemctl --user ARGS...`. Throws only when systemctl cannot be started.
    @discardableResult
    static func run(_ arguments: [String]) throws(CLIError) -> Subprocess.Outcome {
        do {
            return try Subprocess.run("systemctl", ["--user"] + arguments, mergeErrors: true)
        } catch {
            throw CLIError("cannot run systemctl: \(error.description); is systemd installed?")
        }
    }

    /// Runs and requires success, naming the exact command that failed.
    static func require(_ arguments: [String]) throws(CLIError) {
        let outcome = try run(arguments)
        guard outcome.status == 0 else {
            let detail = outcome.text.split(separator: "\n").first.map(String.init) ?? "exit status \(outcome.status)"
            throw CLIError("`systemctl --user \(arguments.joined(separator: " "))` did not succeed: \(detail)")
        }
    }

    /// The user's unit directory: `$XDG_CONFIG_HOME/systemd/user`.
    static var unitDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? PathText.home) + "/.config"
        return configHome + "/systemd/user"
    }
}
