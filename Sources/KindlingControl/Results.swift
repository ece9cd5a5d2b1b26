/// Results of the scheduling commands. JSON keys are the snake_case of these names.

/// The result of `next`. The calendar's fields are optional, so a daemon and a client of
/// different versions still understand each other.
public struct NextResult: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public var slot: String
        /// How the slot is named to a person ("evening reflection").
        public var name: String
        public var at: String
        /// True for a break that comes as a session ends (`[break] after_events`); left out
        /// otherwise.
        public var afterSession: Bool?
        /// When a session holds this prompt, the end of that session: the prompt waits until
        /// then (and comes if it is still open). Left out when no session holds it.
        public var heldUntil: String?
        public init(slot: String, name: String, at: String, afterSession: Bool? = nil, heldUntil: String? = nil) {
            self.slot = slot
            self.name = name
            self.at = at
            self.afterSession = afterSession
            self.heldUntil = heldUntil
        }
    }

    /// A stretch of busy calendar events (touching or overlapping ones joined) during which
    /// prompts wait.
    public struct Held: Codable, Equatable, Sendable {
        public var start: String
        public var end: String
        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    public var occurrences: [Item]
    /// The sessions that hold prompts from the preview's start to the end of the next day,
    /// in order (empty when `[calendar] hold` is off); left out without a calendar.
    public var held: [Held]?
    public init(occurrences: [Item], held: [Held]? = nil) {
        self.occurrences = occurrences
        self.held = held
    }
}

/// The result of `pending`.
public struct PendingResult: Codable, Equatable, Sendable {
    public var pending: [StatusResult.Pending]
    public init(pending: [StatusResult.Pending]) {
        self.pending = pending
    }
}

/// The result of `fire`, `snooze` and `skip`: the prompt concerned.
public struct PromptResult: Codable, Equatable, Sendable {
    public var id: Int64
    public var slot: String
    public var text: String
    public var status: String
    /// When a snoozed prompt comes back.
    public var until: String?
    public init(id: Int64, slot: String, text: String, status: String, until: String? = nil) {
        self.id = id
        self.slot = slot
        self.text = text
        self.status = status
        self.until = until
    }
}

/// The result of `respond`: the saved entry's id and the prompt it answered.
public struct RespondResult: Codable, Equatable, Sendable {
    public var id: Int64
    public var promptId: Int64?
    public init(id: Int64, promptId: Int64?) {
        self.id = id
        self.promptId = promptId
    }
}

/// The result of `pause` and `resume`.
public struct PauseResult: Codable, Equatable, Sendable {
    public var paused: Bool
    /// nil while paused: until `resume`.
    public var pausedUntil: String?
    public init(paused: Bool, pausedUntil: String?) {
        self.paused = paused
        self.pausedUntil = pausedUntil
    }
}

/// The first line answered to `watch`; events follow.
public struct WatchResult: Codable, Equatable, Sendable {
    public var watching: Bool
    public init() {
        watching = true
    }
}

/// One line of a `watch` stream: `{"event":"fired","id":41,"slot":"intention",...}`.
public struct Event: Codable, Equatable, Sendable {
    /// What a watcher hears, by the names DESIGN.md gives (they never change). The journal's
    /// event log has its own list (KindlingCore's `EventKind`): the daemon, which knows both,
    /// keeps the shared names equal, and a test holds it to that.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// Sent to a new watcher for each prompt already waiting.
        case pending
        /// A prompt reached the person (on time, on request, or back from a snooze).
        case fired
        case answered
        case snoozed
        case skipped
        /// It could not be shown while it could still be answered (downtime, quiet hours).
        case missed
        /// Its time to be answered passed.
        case expired
        case paused
        case resumed
        case reloaded

        /// Whether a prompt no longer waits after this event (its notification is closed).
        public var settlesPrompt: Bool {
            switch self {
            case .answered, .skipped, .snoozed, .expired, .missed: true
            default: false
            }
        }
    }

    public var event: Kind
    public var id: Int64?
    public var slot: String?
    public var text: String?
    public var scheduledAt: String?
    public var firedAt: String?
    public var expiresAt: String?
    /// Snoozed until, or paused until.
    public var until: String?

    public init(
        event: Kind, id: Int64? = nil, slot: String? = nil, text: String? = nil, scheduledAt: String? = nil,
        firedAt: String? = nil, expiresAt: String? = nil, until: String? = nil
    ) {
        self.event = event
        self.id = id
        self.slot = slot
        self.text = text
        self.scheduledAt = scheduledAt
        self.firedAt = firedAt
        self.expiresAt = expiresAt
        self.until = until
    }
}
