/// Results of the scheduling commands. JSON keys are the snake_case of these names.

import KindlingCore

/// The result of `next`.
public struct NextResult: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public var slot: String
        /// How the slot is named to a person ("evening reflection").
        public var name: String
        public var at: String
        public init(slot: String, name: String, at: String) {
            self.slot = slot
            self.name = name
            self.at = at
        }
    }

    public var occurrences: [Item]
    public init(occurrences: [Item]) {
        self.occurrences = occurrences
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
/// Kinds (``EventKind``, shared with the journal's event log): pending (sent first, once per
/// waiting prompt), fired, answered, snoozed, skipped, missed, expired, paused, resumed, reloaded.
public struct Event: Codable, Equatable, Sendable {
    public var event: EventKind
    public var id: Int64?
    public var slot: String?
    public var text: String?
    public var scheduledAt: String?
    public var firedAt: String?
    public var expiresAt: String?
    /// Snoozed until, or paused until.
    public var until: String?

    public init(
        event: EventKind, id: Int64? = nil, slot: String? = nil, text: String? = nil, scheduledAt: String? = nil,
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
