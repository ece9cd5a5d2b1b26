// When a channel keeps the prompt's text to itself. Pure: the daemon asks the screen lock,
// this decides.

/// How discreet one channel is (`[delivery] discreet`).
public enum Discretion: String, Sendable, Equatable, CaseIterable {
    /// The channel carries the prompt's text (`false`).
    case never
    /// The channel says only that a prompt is waiting (`true`).
    case always
    /// Only that a prompt is waiting while the screen is locked, the text while it is not
    /// (`"when-locked"`).
    case whenLocked = "when-locked"

    /// Whether the text may go out now.
    public func showsText(screenLocked: Bool) -> Bool {
        switch self {
        case .never: true
        case .always: false
        case .whenLocked: !screenLocked
        }
    }
}

/// `[delivery] discreet` for each channel that can leave the person's own terminal.
///
/// `watch` is not here: it runs in a terminal the person opened, and a locked screen hides it.
public struct DiscreetSettings: Sendable, Equatable {
    /// The channels discreet mode governs.
    public enum Channel: String, Sendable, CaseIterable {
        /// Desktop notifications.
        case desktop
        /// The `[delivery] command` hook.
        case hook
    }

    /// Desktop notifications.
    public var desktop: Discretion
    /// The hook (`KINDLING_TEXT`, and a custom slot's name in `KINDLING_SLOT`).
    public var hook: Discretion

    /// Every channel the same way (`discreet = true`, `false` or `"when-locked"`).
    public init(all: Discretion = .never) {
        desktop = all
        hook = all
    }

    /// Each channel its own way (`discreet = { desktop = "when-locked", hook = true }`).
    public init(desktop: Discretion, hook: Discretion) {
        self.desktop = desktop
        self.hook = hook
    }

    /// How discreet `channel` is.
    public subscript(channel: Channel) -> Discretion {
        get {
            switch channel {
            case .desktop: desktop
            case .hook: hook
            }
        }
        set {
            switch channel {
            case .desktop: desktop = newValue
            case .hook: hook = newValue
            }
        }
    }

    /// Whether `channel` may carry the prompt's text now. A screen nobody can say is locked
    /// counts as unlocked (see the daemon's screen-lock watch).
    public func showsText(on channel: Channel, screenLocked: Bool) -> Bool {
        self[channel].showsText(screenLocked: screenLocked)
    }

    /// Whether any channel follows the screen lock (so the lock is worth watching).
    public var followsLock: Bool { Channel.allCases.contains { self[$0] == .whenLocked } }

    /// The slot as a discreet hook may name it: built-in slot names say nothing personal, a
    /// custom slot's own name may ("water", or something private), so it becomes `custom`.
    public static func hookSlotName(_ slot: String, showsText: Bool) -> String {
        showsText || Configuration.builtinSlotNames.contains(slot) ? slot : "custom"
    }
}
