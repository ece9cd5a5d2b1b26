// The config model's time zone, program and delivery settings (Configuration.swift has the
// rest).
import Foundation

/// `timezone`: `"local"` (follow the system zone, even as it changes) or an IANA zone name.
public enum TimeZoneSetting: Sendable, Hashable, CustomStringConvertible {
    /// Follow the system's zone (TZ, /etc/localtime).
    case local
    /// A fixed zone by IANA name, e.g. `"America/Chicago"`; checked with `TimeZone(identifier:)`.
    case named(String)

    /// The zone to use now: the system's current zone for ``local``.
    public var timeZone: TimeZone {
        switch self {
        case .local: TimeZone.current
        case .named(let identifier): TimeZone(identifier: identifier) ?? TimeZone.current
        }
    }

    /// `"local"` or the zone's name.
    public var description: String {
        switch self {
        case .local: "local"
        case .named(let identifier): identifier
        }
    }
}

/// `[program] name`: which structured sequence the days follow: a built-in program, one the
/// person added (`kindling program add`), or `none`. Any name in `[a-z0-9-]` reads; whether
/// an added program's file exists is the daemon's to find out when it uses it.
public struct ProgramChoice: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The name, e.g. `"widening-circle"`.
    public let rawValue: String

    /// A program by name (not checked: see ``ProgramFile/nameProblem(_:)``).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Four weeks: yourself, family, acquaintances and coworkers, strangers and community.
    public static let wideningCircle = ProgramChoice(rawValue: "widening-circle")
    /// Five days, one small act a day.
    public static let fiveDayReset = ProgramChoice(rawValue: "five-day-reset")
    /// No program.
    public static let none = ProgramChoice(rawValue: "none")

    /// The built-in programs, then `none`.
    public static var allCases: [ProgramChoice] { [.wideningCircle, .fiveDayReset, .none] }

    /// Whether this names a program that comes with Kindling.
    public var isBuiltIn: Bool { BuiltInPrograms.named(rawValue) != nil }

    /// How many steps (weeks or days) a built-in program has; 0 for none and added programs.
    public var length: Int { BuiltInPrograms.named(rawValue)?.steps.count ?? 0 }

    /// What `skip` counts in: `"week"` or `"day"` (`"step"` for an added program).
    public var unit: String { BuiltInPrograms.named(rawValue)?.stepsBy.rawValue ?? "step" }

    public var description: String { rawValue }
}

/// `[program]`: the program, when it starts and which parts to leave out.
public struct ProgramSettings: Sendable, Equatable {
    /// The built-in defaults (as in `Config/kindling.toml`).
    public init() {}

    /// `name`.
    public var name = ProgramChoice.wideningCircle
    /// `start`: nil (`""`) means the first day the daemon runs.
    public var start: ConfigDate?
    /// `skip`: program weeks or days (1-based) to leave out, sorted, without repeats: the
    /// program's own unit (weeks of the widening circle, days of the five-day reset).
    public var skip: [Int] = []
    /// `skip`'s single days of the widening circle (`"day 10"`, `"week 2 day 3"`), as program
    /// days 1...28, sorted, without repeats. Empty for the five-day reset, whose days are `skip`.
    public var skipDays: [Int] = []

    /// How many days a built-in program has: 28 for the widening circle, 5 for the five-day
    /// reset; 0 for none and added programs.
    public var dayCount: Int { BuiltInPrograms.named(name.rawValue)?.dayCount ?? 0 }
}

/// `[delivery] respond_command`: what the notification's Answer action opens.
public enum RespondCommand: Sendable, Hashable, CustomStringConvertible {
    /// `"auto"`: Kindling picks a terminal and runs `kindling respond` in it.
    case auto
    /// `""`: no Answer action on notifications.
    case disabled
    /// Any other text: this command.
    case command(String)

    public var description: String {
        switch self {
        case .auto: "auto"
        case .disabled: ""
        case .command(let command): command
        }
    }
}

/// `[delivery]`: where prompts go and how they look.
public struct DeliverySettings: Sendable, Equatable {
    /// The built-in defaults (as in `Config/kindling.toml`).
    public init() {}

    /// `desktop`: desktop notifications.
    public var desktop = true
    /// `terminal`: show prompts in terminals (`kindling watch`).
    public var terminal = true
    /// `command`: run for every prompt; nil (`""`) = none.
    public var command: String?
    /// `respond_command`.
    public var respondCommand = RespondCommand.auto
    /// `snooze`: how long `snooze` puts a prompt off.
    public var snooze = ConfigDuration.minutes(10)
    /// `discreet`, channel by channel: when notifications and the hook say only that a
    /// prompt is waiting.
    public var discretion = DiscreetSettings()
    /// Whether every channel is always discreet (`discreet = true`): then nothing, not even
    /// the prompt's own text, quotes the person's earlier answers. Setting it sets every channel.
    public var discreet: Bool {
        get { DiscreetSettings.Channel.allCases.allSatisfy { discretion[$0] == .always } }
        set { discretion = DiscreetSettings(all: newValue ? .always : .never) }
    }
    /// `keep_in_history`: let the notification server keep prompts in its history (off: they
    /// carry the `transient` hint).
    public var keepInHistory = false
}
