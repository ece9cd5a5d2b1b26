/// Results of `week`, `breathe` and `prompt`. JSON keys are the snake_case of these names.

/// The result of `week`: a look back at one ISO week (Monday to Sunday). It holds only what
/// happened: nothing in it counts what did not.
public struct WeekResult: Codable, Equatable, Sendable {
    /// One kindness the person wrote down, given or received.
    public struct Kindness: Codable, Equatable, Sendable {
        public var date: String
        /// The entry it comes from (a note, or an answer to a nudge).
        public var entryId: Int64
        /// The first words of the text.
        public var words: String
        public init(date: String, entryId: Int64, words: String) {
            self.date = date
            self.entryId = entryId
            self.words = words
        }
    }

    /// A day's morning intention and evening reflection, by their first words; either may be nil.
    public struct Pair: Codable, Equatable, Sendable {
        public var date: String
        public var intention: String?
        public var reflection: String?
        public init(date: String, intention: String?, reflection: String?) {
            self.date = date
            self.intention = intention
            self.reflection = reflection
        }
    }

    /// Mood and energy on one day (the mean of what was given), only for days that have one.
    public struct Feeling: Codable, Equatable, Sendable {
        public var date: String
        public var mood: Double?
        public var energy: Double?
        public init(date: String, mood: Double?, energy: Double?) {
            self.date = date
            self.mood = mood
            self.energy = energy
        }
    }

    /// Monday and Sunday of the week, "YYYY-MM-DD".
    public var start: String
    public var end: String
    public var given: [Kindness]
    public var received: [Kindness]
    public var pairs: [Pair]
    public var feelings: [Feeling]
    /// "rising", "steady" or "settling", from the first half of the week's values to the second;
    /// nil with fewer than two values.
    public var moodTrend: String?
    public var energyTrend: String?
    /// The look back in a few warm lines, as the weekly review shows it; empty for a quiet week.
    public var summary: String

    public init(
        start: String, end: String, given: [Kindness], received: [Kindness], pairs: [Pair], feelings: [Feeling],
        moodTrend: String?, energyTrend: String?, summary: String
    ) {
        self.start = start
        self.end = end
        self.given = given
        self.received = received
        self.pairs = pairs
        self.feelings = feelings
        self.moodTrend = moodTrend
        self.energyTrend = energyTrend
        self.summary = summary
    }
}

/// The result of `breathe`: what the desktop did with the moment. Nothing is recorded.
public struct BreatheResult: Codable, Equatable, Sendable {
    /// "shown", "quiet" (do-not-disturb is on), or "unavailable" (no notification server, or
    /// desktop delivery is off).
    public var desktop: String
    public init(desktop: String) {
        self.desktop = desktop
    }
}

/// The result of `prompt list`.
public struct PromptListResult: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public var key: String
        public var slot: String
        /// "builtin" (the catalog), "program" (a step of a built-in program) or "own" (a `[[prompt]]`).
        public var source: String
        public var hidden: Bool
        public var text: String
        public init(key: String, slot: String, source: String, hidden: Bool, text: String) {
            self.key = key
            self.slot = slot
            self.source = source
            self.hidden = hidden
            self.text = text
        }
    }

    public var prompts: [Item]
    public init(prompts: [Item]) {
        self.prompts = prompts
    }
}

/// The result of `prompt hide` and `prompt show`.
public struct PromptVisibilityResult: Codable, Equatable, Sendable {
    public var key: String
    public var hidden: Bool
    /// False when the prompt already was as asked.
    public var changed: Bool
    public init(key: String, hidden: Bool, changed: Bool) {
        self.key = key
        self.hidden = hidden
        self.changed = changed
    }
}
