import Foundation
import KindlingControl
import KindlingCore

/// The checks `kindlingd` makes for the CLI without starting (see KindlingControl's
/// LocalChecks.swift): only this side reads TOML and knows the time zones.
public enum LocalChecks {
    /// The configuration at `options`' path, as the daemon would read it at `now`.
    public static func config(_ options: Daemon.Options, now: Date = Date()) -> ConfigCheck {
        let paths = Paths.resolve(environment: options.environment, config: options.configPath)
        guard !paths.usesBuiltInDefaults else {
            return check(paths.configFile, defaults: true, problems: [], running: .defaults, now: now)
        }
        // Every problem, from the file's raw bytes: what the daemon reads (two byte-order marks
        // stay two, and bytes that are not UTF-8 are seen as such). A file with problems is not
        // put to work (a starting daemon refuses it, a running one keeps what it had): doctor
        // then describes quiet hours from the defaults.
        let config: Configuration?
        let problems: [ConfigError]
        do {
            (config, problems) = try Configuration.diagnosed(contentsOf: paths.configFile)
        } catch {
            (config, problems) = (nil, [error])
        }
        return check(paths.configFile, defaults: false, problems: problems, running: config ?? .defaults, now: now)
    }

    private static func check(
        _ file: String, defaults: Bool, problems: [ConfigError], running config: Configuration, now: Date
    ) -> ConfigCheck {
        let zone = config.timezone.timeZone
        let held = config.quietHours == nil ? nil : Schedule(configuration: config, timeZone: zone).quietHoursEnd(at: now)
        return ConfigCheck(
            file: file, builtInDefaults: defaults, problems: problems.map(problem), quietHours: config.quietHours?.description,
            quietUntil: held.map { Timestamp.string($0, in: zone) })
    }

    /// The program in `file`, or every problem in it; changes nothing.
    public static func program(_ file: String) -> ProgramCheck {
        switch ProgramFile.load(contentsOf: file) {
        case .success(let program):
            return ProgramCheck(
                file: file, ok: true, name: program.name, title: program.title, stepsBy: program.stepsBy.rawValue,
                stepCount: program.steps.count, problems: [])
        case .failure(let errors):
            return ProgramCheck(
                file: file, ok: false, name: nil, title: nil, stepsBy: nil, stepCount: nil,
                problems: errors.errors.map(problem))
        }
    }

    /// The configuration file that lists every key at its default (Config/kindling.toml).
    public static var defaultConfigText: String { Configuration.defaultTOML }

    private static func problem(_ error: ConfigError) -> FileProblem {
        FileProblem(
            file: error.file, line: error.line, column: error.column, key: error.key, message: error.message,
            description: error.description)
    }
}
