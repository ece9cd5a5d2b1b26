// The configuration model: what config.toml says, checked and typed.
// Loading and validation live in ConfigFile.swift and ConfigReader*.swift; the default file in
// Configuration+Defaults.swift. DESIGN.md ("Config (TOML)") is the contract.
import Foundation

/// Kindling's settings, as read from `config.toml` (see `Config/kindling.toml`).
///
/// Values are always valid: a `Configuration` comes from ``Configuration/parse(_:file:)``,
/// ``Configuration/load(contentsOf:)`` or ``Configuration/defaults``, which refuse
/// anything else with a ``ConfigError``.
public struct Configuration: Sendable, Equatable {
    /// `timezone`: the zone prompts are scheduled in.
    public var timezone: TimeZoneSetting
    /// `quiet_hours`: prompts due inside wait until it ends (if still valid). Nil = none.
    public var quietHours: TimeWindow?
    /// `affirmations`: now and then (one reflection a week at most) a line saying the person
    /// is appreciated and enough as they are. On by default.
    public var affirmations: Bool = true
    /// `[intention]`: the morning intention.
    public var intention: IntentionSlot
    /// `[nudge]`: the mindful-action nudge at a random time in a window.
    public var nudge: NudgeSlot
    /// `[reflection]`: the evening reflection.
    public var reflection: ReflectionSlot
    /// `[review]`: the weekly review.
    public var review: ReviewSlot
    /// `[break]`: breathing space between sessions (off by default).
    public var breaks: BreakSlot
    /// `[program]`: the structured sequence the days follow.
    public var program: ProgramSettings
    /// `[delivery]`: how prompts reach the person.
    public var delivery: DeliverySettings
    /// `[[prompt]]`: the person's own prompts, in file order.
    public var prompts: [UserPrompt]
    /// `[[custom]]`: the person's own reminder slots, in file order.
    public var customs: [CustomSlot]
    /// `[calendar]`: the person's calendar, whose busy events hold prompts back.
    public var calendar = CalendarSettings()
    /// `[calls]`: prompts wait while a call is on.
    public var calls = CallSettings()
    /// `streaks`: false shows no streak and no count of practised days anywhere, for people who
    /// feel any count as a pressure.
    public var streaks = true

    /// The names of the built-in slots, in the order they appear in the file.
    public static let builtinSlotNames = ["intention", "nudge", "reflection", "review", "break"]

    /// Every slot name: the built-ins, then each custom slot's name.
    public var slotNames: [String] { Configuration.builtinSlotNames + customs.map(\.name) }

    /// The settings every slot shares, looked up by slot name; nil for an unknown name.
    public func slot(named name: String) -> (any SlotSettings)? {
        switch name {
        case "intention": intention
        case "nudge": nudge
        case "reflection": reflection
        case "review": review
        case "break": breaks
        default: customs.first { $0.name == name }
        }
    }

    /// The texts of the person's own `[[prompt]]`s for a slot, in file order.
    public func userPrompts(forSlot name: String) -> [String] {
        prompts.filter { $0.slot == name }.map(\.text)
    }
}

// MARK: - Settings every slot shares

/// How long a prompt stays open for an answer once it has fired.
public enum SlotValidity: Sendable, Hashable, CustomStringConvertible {
    /// Neither `answer_until` nor `valid_for` was written: the slot's own default applies
    /// (see ``SlotSettings/effectiveValidity``).
    case slotDefault
    /// `answer_until = "HH:MM"`: until the next time this time of day comes round after the
    /// prompt fired (so `"10:00"` on an evening prompt means the next morning).
    case until(TimeOfDay)
    /// `valid_for = "2h"`: for this long after the prompt fired.
    case `for`(ConfigDuration)

    public var description: String {
        switch self {
        case .slotDefault: "the slot's default"
        case .until(let time): "until \(time)"
        case .for(let duration): "for \(duration)"
        }
    }
}

/// The keys every slot takes: `enabled`, `builtin_prompts`, and `answer_until` or `valid_for`.
public protocol SlotSettings: Sendable {
    /// The slot's name: `"intention"`, ..., or a custom slot's `name`.
    var name: String { get }
    /// `enabled`: false turns the slot off.
    var enabled: Bool { get }
    /// `builtin_prompts`: false uses only the person's own `[[prompt]]`s for this slot.
    var builtinPrompts: Bool { get }
    /// `answer_until` / `valid_for` as written.
    var validity: SlotValidity { get }
    /// ``validity`` with the slot's default filled in; never ``SlotValidity/slotDefault``.
    var effectiveValidity: SlotValidity { get }
    /// `ask_mood`: answering at the terminal also offers mood and energy (1 to 5). Always false
    /// for a break, which asks nothing back.
    var askMood: Bool { get }
}

/// `[intention]`: a morning question, e.g. whom to encourage today.
public struct IntentionSlot: SlotSettings, Equatable {
    /// The built-in defaults of this slot (as in `Config/kindling.toml`).
    public init() {}

    /// The slot name.
    public var name: String { "intention" }
    /// `enabled`.
    public var enabled = true
    /// `builtin_prompts`.
    public var builtinPrompts = true
    /// Default: until 12:00.
    public var validity = SlotValidity.slotDefault
    /// `at`: when it fires each day (one or more times, sorted).
    public var at: [TimeOfDay] = [TimeOfDay(validHour: 8, minute: 0, second: 0)]
    /// `days`: the days it fires on.
    public var days = DaySet.daily
    /// `ask_mood`: also offer mood and energy (1 to 5).
    public var askMood = true

    /// Unset validity means until 12:00.
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .until(TimeOfDay(validHour: 12, minute: 0, second: 0)) : validity
    }
}

/// `[nudge]`: an idea for one small act, at a random time in the window, stable for the day.
public struct NudgeSlot: SlotSettings, Equatable {
    /// The built-in defaults of this slot (as in `Config/kindling.toml`).
    public init() {}

    /// The slot name.
    public var name: String { "nudge" }
    /// `enabled`.
    public var enabled = true
    /// `builtin_prompts`.
    public var builtinPrompts = true
    /// Default: until the window ends.
    public var validity = SlotValidity.slotDefault
    /// `window`: the span the random time is drawn from.
    public var window = TimeWindow(
        start: TimeOfDay(validHour: 10, minute: 0, second: 0),
        end: TimeOfDay(validHour: 16, minute: 0, second: 0))!
    /// `ask_mood`: also offer mood and energy (1 to 5).
    public var askMood = false

    /// Unset validity means until the window ends.
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .until(window.end) : validity
    }
}

/// `[reflection]`: the evening reflection, paired with the day's intention.
public struct ReflectionSlot: SlotSettings, Equatable {
    /// The built-in defaults of this slot (as in `Config/kindling.toml`).
    public init() {}

    /// The slot name.
    public var name: String { "reflection" }
    /// `enabled`.
    public var enabled = true
    /// `builtin_prompts`.
    public var builtinPrompts = true
    /// Default: until 10:00 the next morning.
    public var validity = SlotValidity.slotDefault
    /// `at`: when it fires each day (one or more times, sorted).
    public var at: [TimeOfDay] = [TimeOfDay(validHour: 21, minute: 0, second: 0)]
    /// `days`: the days it fires on.
    public var days = DaySet.daily
    /// `ask_mood`: also ask for mood and energy (1 to 5).
    public var askMood = true

    /// Unset validity means until 10:00 (the next morning).
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .until(TimeOfDay(validHour: 10, minute: 0, second: 0)) : validity
    }
}

/// `[review]`: the weekly review.
public struct ReviewSlot: SlotSettings, Equatable {
    /// The built-in defaults of this slot (as in `Config/kindling.toml`).
    public init() {}

    /// The slot name.
    public var name: String { "review" }
    /// `enabled`.
    public var enabled = true
    /// `builtin_prompts`.
    public var builtinPrompts = true
    /// Default: 24 hours.
    public var validity = SlotValidity.slotDefault
    /// `at`: the day and time it fires each week.
    public var at = WeeklyTime(weekday: .sunday, time: TimeOfDay(validHour: 19, minute: 0, second: 0))
    /// `ask_mood`: also offer mood and energy (1 to 5).
    public var askMood = false

    /// Unset validity means 24 hours.
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .for(.hours(24)) : validity
    }
}

/// `[break]`: a breathing space between sessions. Off by default.
public struct BreakSlot: SlotSettings, Equatable {
    /// The built-in defaults of this slot (as in `Config/kindling.toml`).
    public init() {}

    /// The slot name.
    public var name: String { "break" }
    /// `enabled` (off by default).
    public var enabled = false
    /// `builtin_prompts`.
    public var builtinPrompts = true
    /// Default: until the next break.
    public var validity = SlotValidity.slotDefault
    /// `every`: the time between breaks, counted from the start of `during`.
    public var every = ConfigDuration.minutes(50)
    /// `during`: the working hours breaks fall in.
    public var during = TimeWindow(
        start: TimeOfDay(validHour: 9, minute: 0, second: 0),
        end: TimeOfDay(validHour: 17, minute: 0, second: 0))!
    /// `days`: the days it runs on.
    public var days = DaySet.weekdays
    /// `after_events`: a break when each busy calendar event ends, whether or not the timed
    /// breaks above are `enabled` (their `days` and `during` do not apply to it).
    public var afterEvents = false
    /// `min_gap`: events closer together than this count as one, with one break after the last.
    public var minGap = ConfigDuration.minutes(5)
    /// A break asks nothing back, not even a mood.
    public var askMood: Bool { false }

    /// Unset validity means until the next break, i.e. for `every`.
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .for(every) : validity
    }
}

/// `[calendar]`: where the person's calendar is and what its busy events do.
public struct CalendarSettings: Sendable, Equatable {
    /// The built-in defaults (as in `Config/kindling.toml`).
    public init() {}

    /// `path`: an `.ics` file or a folder of them; nil (`""`) = no calendar. A leading `~/` is
    /// the home folder.
    public var path: String?
    /// `hold`: prompts due while a busy event is on wait for its end.
    public var hold = true
}

/// `[calls]`: whether prompts wait while an application records the microphone or takes video
/// (a call, a camera, a shared screen), as PipeWire tells it.
public struct CallSettings: Sendable, Equatable {
    /// The built-in defaults (as in `Config/kindling.toml`).
    public init() {}

    /// `hold`: prompts due during a call wait for its end, on every channel.
    public var hold = true
    /// `ignore`: programs whose capture is not a call (a level meter, a noise filter), by the
    /// name PipeWire gives (its binary, e.g. "pavucontrol").
    public var ignore = ["pavucontrol", "easyeffects"]
}

/// `[[custom]]`: a reminder slot of the person's own.
public struct CustomSlot: SlotSettings, Equatable {
    /// `name`: lowercase letters, digits, `-` and `_`; unique; not a built-in slot name.
    public var name: String
    /// `enabled`.
    public var enabled: Bool
    /// `builtin_prompts`: false leaves `text` out; only `[[prompt]]`s naming this slot are used.
    public var builtinPrompts: Bool
    /// Default: 2 hours.
    public var validity: SlotValidity
    /// `at`: when it fires each day (one or more times, sorted).
    public var at: [TimeOfDay]
    /// `days`: the days it fires on (default daily).
    public var days: DaySet
    /// `text`: the slot's own prompt. Required unless `builtin_prompts = false`, in which
    /// case only the `[[prompt]]`s naming this slot are used.
    public var text: String?
    /// `ask_mood`: also offer mood and energy (1 to 5); off unless asked for.
    public var askMood = false

    /// Creates a custom slot.
    public init(
        name: String, at: [TimeOfDay], days: DaySet = .daily, text: String?,
        enabled: Bool = true, builtinPrompts: Bool = true, validity: SlotValidity = .slotDefault
    ) {
        self.name = name
        self.enabled = enabled
        self.builtinPrompts = builtinPrompts
        self.validity = validity
        self.at = at
        self.days = days
        self.text = text
    }

    /// Unset validity means 2 hours.
    public var effectiveValidity: SlotValidity {
        validity == .slotDefault ? .for(.hours(2)) : validity
    }
}

/// `[[prompt]]`: a prompt of the person's own, added to a slot's rotation.
public struct UserPrompt: Sendable, Hashable {
    /// `slot`: a built-in or custom slot name.
    public var slot: String
    /// `text`: the prompt, never empty.
    public var text: String

    /// Creates a prompt.
    public init(slot: String, text: String) {
        self.slot = slot
        self.text = text
    }
}
