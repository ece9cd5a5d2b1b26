/// Results of the journal commands: note, entry, edit, delete, journal, stats.
/// JSON keys are the snake_case of these names; optional values are written as `null`, never left out.

/// One journal entry: an answer to a prompt or a quick note (they share one sequence of ids).
/// The result of `note`, `entry` and `edit`.
public struct JournalEntry: Codable, Equatable, Sendable {
    public var id: Int64
    /// "answer" or "note".
    public var type: String
    /// Answers: the prompt's slot and text, when known.
    public var slot: String?
    public var prompt: String?
    /// Notes: "given", "received", or null for just a note.
    public var kind: String?
    public var text: String
    /// Answers: 1 (low) to 5 (bright), when given.
    public var mood: Int?
    public var energy: Int?
    /// When it was written (answered or noted).
    public var at: String
    /// The person's local date it belongs to, YYYY-MM-DD.
    public var localDate: String
    public var editedAt: String?

    public init(
        id: Int64, type: String, slot: String? = nil, prompt: String? = nil, kind: String? = nil, text: String,
        mood: Int? = nil, energy: Int? = nil, at: String, localDate: String, editedAt: String? = nil
    ) {
        self.id = id
        self.type = type
        self.slot = slot
        self.prompt = prompt
        self.kind = kind
        self.text = text
        self.mood = mood
        self.energy = energy
        self.at = at
        self.localDate = localDate
        self.editedAt = editedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, slot, prompt, kind, text, mood, energy, at, localDate, editedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(slot, forKey: .slot)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(kind, forKey: .kind)
        try c.encode(text, forKey: .text)
        try c.encode(mood, forKey: .mood)
        try c.encode(energy, forKey: .energy)
        try c.encode(at, forKey: .at)
        try c.encode(localDate, forKey: .localDate)
        try c.encode(editedAt, forKey: .editedAt)
    }
}

/// The result of `delete`.
public struct DeleteResult: Codable, Equatable, Sendable {
    public var id: Int64
    /// "answer" or "note".
    public var type: String
    public var deleted: Bool
    /// Places that still hold the words because they could not be cleaned just now (a snapshot
    /// that cannot be opened, say); empty when the words are gone from every file Kindling keeps.
    public var uncleared: [String]

    public init(id: Int64, type: String, uncleared: [String] = []) {
        self.id = id
        self.type = type
        self.deleted = true
        self.uncleared = uncleared
    }
}

/// The result of `erase --all`.
public struct EraseResult: Codable, Equatable, Sendable {
    /// The folder the journal and its snapshots were removed from.
    public var dataDirectory: String
    /// How many files were removed.
    public var removedFiles: Int
    public var erased: Bool

    public init(dataDirectory: String, removedFiles: Int) {
        self.dataDirectory = dataDirectory
        self.removedFiles = removedFiles
        self.erased = true
    }
}

/// The result of `journal`: days newest first.
public struct JournalResult: Codable, Equatable, Sendable {
    /// One local date of the journal.
    public struct Day: Codable, Equatable, Sendable {
        /// YYYY-MM-DD.
        public var date: String
        /// The day's morning intention (its first answer to an intention prompt).
        public var intention: JournalEntry?
        /// The other answers, in the order they were written, each with its prompt.
        public var answers: [JournalEntry]
        /// Quick notes: acts of kindness given or received.
        public var notes: [JournalEntry]
        /// The evening reflection (the day's last answer to a reflection prompt).
        public var reflection: JournalEntry?
        /// The day's mood and energy: the reflection's, else the latest answer's that gave one.
        public var mood: Int?
        public var energy: Int?
        /// Entries of this day left out because the day is too long for one reply (nil: none);
        /// `kindling export` has every one.
        public var omitted: Int?

        public init(
            date: String, intention: JournalEntry? = nil, answers: [JournalEntry] = [], notes: [JournalEntry] = [],
            reflection: JournalEntry? = nil, mood: Int? = nil, energy: Int? = nil, omitted: Int? = nil
        ) {
            self.date = date
            self.intention = intention
            self.answers = answers
            self.notes = notes
            self.reflection = reflection
            self.mood = mood
            self.energy = energy
            self.omitted = omitted
        }

        private enum CodingKeys: String, CodingKey {
            case date, intention, answers, notes, reflection, mood, energy, omitted
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(intention, forKey: .intention)
            try c.encode(answers, forKey: .answers)
            try c.encode(notes, forKey: .notes)
            try c.encode(reflection, forKey: .reflection)
            try c.encode(mood, forKey: .mood)
            try c.encode(energy, forKey: .energy)
            try c.encodeIfPresent(omitted, forKey: .omitted)
        }
    }

    public var days: [Day]
    /// Older days match too: ask again with `until` set before the last day shown.
    public var more: Bool

    public init(days: [Day], more: Bool) {
        self.days = days
        self.more = more
    }
}

/// The result of `stats`. Streaks count practised days with grace; nothing counts what did not happen.
public struct StatsResult: Codable, Equatable, Sendable {
    public struct Streak: Codable, Equatable, Sendable {
        /// Practised days in the streak alive today (0: the next practised day starts one).
        public var current: Int
        public var currentSince: String?
        /// The longest streak so far, in practised days.
        public var best: Int
        public var bestSince: String?
        public var bestUntil: String?
        /// Quiet days forgiven in each ISO week (Monday to Sunday).
        public var graceDaysPerWeek: Int

        public init(
            current: Int, currentSince: String?, best: Int, bestSince: String?, bestUntil: String?, graceDaysPerWeek: Int
        ) {
            self.current = current
            self.currentSince = currentSince
            self.best = best
            self.bestSince = bestSince
            self.bestUntil = bestUntil
            self.graceDaysPerWeek = graceDaysPerWeek
        }

        private enum CodingKeys: String, CodingKey {
            case current, currentSince, best, bestSince, bestUntil, graceDaysPerWeek
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(current, forKey: .current)
            try c.encode(currentSince, forKey: .currentSince)
            try c.encode(best, forKey: .best)
            try c.encode(bestSince, forKey: .bestSince)
            try c.encode(bestUntil, forKey: .bestUntil)
            try c.encode(graceDaysPerWeek, forKey: .graceDaysPerWeek)
        }
    }

    /// How many answers a slot had in a week.
    public struct SlotCount: Codable, Equatable, Sendable {
        public var slot: String
        public var count: Int
        public init(slot: String, count: Int) {
            self.slot = slot
            self.count = count
        }
    }

    /// One ISO week (Monday to Sunday).
    public struct Week: Codable, Equatable, Sendable {
        /// Its Monday, YYYY-MM-DD.
        public var start: String
        /// Answers per slot (an array: slot names are the person's own, and JSON key conversion must
        /// not touch them), in the slots' usual order.
        public var answers: [SlotCount]
        public var notes: Int
        /// Null (left out) with `streaks = false`: no count of days is shown.
        public var practisedDays: Int?

        public init(start: String, answers: [SlotCount], notes: Int, practisedDays: Int?) {
            self.start = start
            self.answers = answers
            self.notes = notes
            self.practisedDays = practisedDays
        }
    }

    /// One day of the period, for the calendar and the mood and energy trend.
    public struct Day: Codable, Equatable, Sendable {
        public var date: String
        public var answers: Int
        public var notes: Int
        /// The mean of the moods (energies) given that day, or null.
        public var mood: Double?
        public var energy: Double?

        public init(date: String, answers: Int, notes: Int, mood: Double?, energy: Double?) {
            self.date = date
            self.answers = answers
            self.notes = notes
            self.mood = mood
            self.energy = energy
        }

        private enum CodingKeys: String, CodingKey {
            case date, answers, notes, mood, energy
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(answers, forKey: .answers)
            try c.encode(notes, forKey: .notes)
            try c.encode(mood, forKey: .mood)
            try c.encode(energy, forKey: .energy)
        }
    }

    /// Today's local date.
    public var today: String
    /// The Monday the period starts on.
    public var from: String
    /// Null (left out) with `streaks = false`, for people who feel any count as a pressure.
    public var streak: Streak?
    /// Days with at least one answer or note in the period; null (left out) with `streaks = false`.
    public var practisedDays: Int?
    /// Oldest first; the last is this week.
    public var weeks: [Week]
    /// Every day from `from` to `today`, oldest first.
    public var days: [Day]

    public init(today: String, from: String, streak: Streak?, practisedDays: Int?, weeks: [Week], days: [Day]) {
        self.today = today
        self.from = from
        self.streak = streak
        self.practisedDays = practisedDays
        self.weeks = weeks
        self.days = days
    }
}
