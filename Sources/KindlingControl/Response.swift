import FoundationEssentials

/// A response line: `{"v":1,"id":7,"ok":true,"result":{...}}` or `{"v":1,"id":7,"ok":false,"error":{...}}`.
public struct ResponseEnvelope<Result: Codable & Sendable>: Codable, Sendable {
    public var v: Int
    public var id: Int?
    public var ok: Bool
    public var result: Result?
    public var error: ControlError?

    public init(id: Int?, result: Result) {
        self.v = ControlProtocol.version
        self.id = id
        self.ok = true
        self.result = result
        self.error = nil
    }

    public init(id: Int?, error: ControlError) {
        self.v = ControlProtocol.version
        self.id = id
        self.ok = false
        self.result = nil
        self.error = error
    }
}

/// The result of commands that report nothing but success.
public struct EmptyResult: Codable, Equatable, Sendable {
    public init() {}
}

/// The result of `status` (DESIGN.md lists the keys scripts rely on).
public struct StatusResult: Codable, Equatable, Sendable {
    /// An upcoming occurrence.
    public struct Next: Codable, Equatable, Sendable {
        public var slot: String
        public var at: String
        public init(slot: String, at: String) {
            self.slot = slot
            self.at = at
        }
    }

    /// A prompt that was delivered and waits for an answer.
    public struct Pending: Codable, Equatable, Sendable {
        public var id: Int64
        public var slot: String
        public var text: String
        public var firedAt: String
        public var expiresAt: String?
        /// "waiting", or "snoozed" (it comes back at `until`).
        public var status: String = "waiting"
        /// When a snoozed prompt comes back; null otherwise.
        public var until: String? = nil
        /// Whether answering it at the terminal also offers mood and energy (the slot's
        /// `ask_mood`; never for a break).
        public var askMood: Bool = false
        public init(
            id: Int64, slot: String, text: String, firedAt: String, expiresAt: String?, status: String = "waiting",
            until: String? = nil, askMood: Bool = false
        ) {
            self.id = id
            self.slot = slot
            self.text = text
            self.firedAt = firedAt
            self.expiresAt = expiresAt
            self.status = status
            self.until = until
            self.askMood = askMood
        }

        private enum CodingKeys: String, CodingKey {
            case id, slot, text, firedAt, expiresAt, status, until, askMood
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(Int64.self, forKey: .id)
            slot = try c.decode(String.self, forKey: .slot)
            text = try c.decode(String.self, forKey: .text)
            firedAt = try c.decode(String.self, forKey: .firedAt)
            expiresAt = try c.decodeIfPresent(String.self, forKey: .expiresAt)
            status = try c.decodeIfPresent(String.self, forKey: .status) ?? "waiting"
            until = try c.decodeIfPresent(String.self, forKey: .until)
            askMood = try c.decodeIfPresent(Bool.self, forKey: .askMood) ?? false
        }

        /// Written out in full: scripts see `"expires_at": null`, not a missing key.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(slot, forKey: .slot)
            try c.encode(text, forKey: .text)
            try c.encode(firedAt, forKey: .firedAt)
            try c.encode(expiresAt, forKey: .expiresAt)
            try c.encode(status, forKey: .status)
            try c.encode(until, forKey: .until)
            try c.encode(askMood, forKey: .askMood)
        }
    }

    public var version: String
    public var pid: Int32
    public var uptimeS: Double
    public var paused: Bool
    public var pausedUntil: String?
    public var timezone: String
    public var next: [Next]
    public var pending: [Pending]
    public var configPath: String
    public var databasePath: String
    public var socketPath: String
    /// "connected" or "unavailable".
    public var notifications: String
    /// "ok", or why the journal cannot be used (the daemon then runs degraded).
    public var journal: String
    /// The human line also sent to systemd as STATUS=.
    public var statusLine: String
    /// The last problem worth knowing about (a failed reload, a failed write), or null.
    public var lastError: String?
    /// Where the program stands today ("Widening circle, week 2 of 4: family"), or null.
    public var program: String? = nil
    /// Today's local date (YYYY-MM-DD) in the person's zone.
    public var today: String? = nil
    /// This morning's intention, when it was answered.
    public var todaysIntention: String? = nil
    /// Practised days in the current streak (grace days forgiven), 0 when none is running.
    public var streak: Int? = nil
    /// The desktop channel in detail (for `kindling doctor`); null when it is turned off.
    public var desktop: DesktopStatus? = nil
    /// The calendar (Response+Calendar.swift); null without one.
    public var calendar: CalendarStatus? = nil
    /// Calls (Response+Calls.swift); null from a daemon that does not say.
    public var calls: CallsStatus? = nil
    /// How the journal is kept at rest (Response+Encryption.swift); null from a daemon that does not say.
    public var encryption: EncryptionStatus? = nil

    /// What the daemon knows of the session bus and the notification server.
    public struct DesktopStatus: Codable, Equatable, Sendable {
        /// The session bus address the daemon uses, or null when it has none to try.
        public var bus: String?
        /// Whether the daemon is on that bus now.
        public var busConnected: Bool
        /// The notification server's name and version ("dunst 1.9.0"), null when there is none.
        public var server: String?
        /// What the server says it can do (`GetCapabilities`).
        public var capabilities: [String]
        /// Whether the desktop is in do-not-disturb by any switch (prompts wait until it ends).
        public var doNotDisturb: Bool
        /// The switches in do-not-disturb now ("dunst", "kde", "xfce4-notifyd"); null from a
        /// daemon that does not say.
        public var quietSources: [String]?
        /// What every switch the daemon reads says, in a fixed order; null from a daemon that
        /// does not say.
        public var quietReadings: [QuietReading]?

        /// One do-not-disturb switch and what it says: "quiet", "off", "absent" (not on this
        /// desktop) or "asking" (not answered yet).
        public struct QuietReading: Codable, Equatable, Sendable {
            public var source: String
            public var reading: String

            public init(source: String, reading: String) {
                self.source = source
                self.reading = reading
            }
        }

        public init(
            bus: String?, busConnected: Bool, server: String?, capabilities: [String], doNotDisturb: Bool,
            quietSources: [String]? = nil, quietReadings: [QuietReading]? = nil
        ) {
            self.bus = bus
            self.busConnected = busConnected
            self.server = server
            self.capabilities = capabilities
            self.doNotDisturb = doNotDisturb
            self.quietSources = quietSources
            self.quietReadings = quietReadings
        }
    }

    public init(
        version: String, pid: Int32, uptimeS: Double, paused: Bool, pausedUntil: String?, timezone: String,
        next: [Next], pending: [Pending], configPath: String, databasePath: String, socketPath: String,
        notifications: String, journal: String, statusLine: String, lastError: String?
    ) {
        self.version = version
        self.pid = pid
        self.uptimeS = uptimeS
        self.paused = paused
        self.pausedUntil = pausedUntil
        self.timezone = timezone
        self.next = next
        self.pending = pending
        self.configPath = configPath
        self.databasePath = databasePath
        self.socketPath = socketPath
        self.notifications = notifications
        self.journal = journal
        self.statusLine = statusLine
        self.lastError = lastError
    }

    private enum CodingKeys: String, CodingKey {
        case version, pid, uptimeS, paused, pausedUntil, timezone, next, pending, configPath, databasePath
        case socketPath, notifications, journal, statusLine, lastError, program, today, todaysIntention, streak
        case desktop, calendar, calls, encryption
    }

    /// Written out in full: every key DESIGN.md lists is present, `null` when empty.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(pid, forKey: .pid)
        try c.encode(uptimeS, forKey: .uptimeS)
        try c.encode(paused, forKey: .paused)
        try c.encode(pausedUntil, forKey: .pausedUntil)
        try c.encode(timezone, forKey: .timezone)
        try c.encode(next, forKey: .next)
        try c.encode(pending, forKey: .pending)
        try c.encode(configPath, forKey: .configPath)
        try c.encode(databasePath, forKey: .databasePath)
        try c.encode(socketPath, forKey: .socketPath)
        try c.encode(notifications, forKey: .notifications)
        try c.encode(journal, forKey: .journal)
        try c.encode(statusLine, forKey: .statusLine)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(program, forKey: .program)
        try c.encode(today, forKey: .today)
        try c.encode(todaysIntention, forKey: .todaysIntention)
        try c.encode(streak, forKey: .streak)
        try c.encode(desktop, forKey: .desktop)
        try c.encode(calendar, forKey: .calendar)
        try c.encode(calls, forKey: .calls)
        try c.encode(encryption, forKey: .encryption)
    }
}

/// The result of `reload`.
public struct ReloadResult: Codable, Equatable, Sendable {
    /// The configuration file that was read (or "built-in defaults").
    public var configPath: String
    public var statusLine: String
    public init(configPath: String, statusLine: String) {
        self.configPath = configPath
        self.statusLine = statusLine
    }
}
