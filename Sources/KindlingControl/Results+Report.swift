/// The result of `report`: what a summary of the practice needs, for the CLI to render as a page.
/// JSON keys are the snake_case of these names. It holds only what was practised: the days with
/// an entry, never the days without one. It holds the person's own words only when they asked
/// (`with_text`, or chosen entry ids).
public struct ReportResult: Codable, Equatable, Sendable {
    /// One practised day: a local date with at least one answer or note.
    public struct Day: Codable, Equatable, Sendable {
        /// "YYYY-MM-DD".
        public var date: String
        /// Answers and notes written that day.
        public var entries: Int
        /// Kindness given (notes marked given, and answers to the mindful-action nudge) and
        /// received (notes marked received), as `kindling week` counts them.
        public var given: Int
        public var received: Int
        /// The mean of the moods (energies) given that day, 1 to 5; nil when none was given.
        public var mood: Double?
        public var energy: Double?

        public init(date: String, entries: Int, given: Int, received: Int, mood: Double?, energy: Double?) {
            self.date = date
            self.entries = entries
            self.given = given
            self.received = received
            self.mood = mood
            self.energy = energy
        }

        private enum CodingKeys: String, CodingKey {
            case date, entries, given, received, mood, energy
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(entries, forKey: .entries)
            try c.encode(given, forKey: .given)
            try c.encode(received, forKey: .received)
            try c.encode(mood, forKey: .mood)
            try c.encode(energy, forKey: .energy)
        }
    }

    /// Where the program in use stands today.
    public struct Program: Codable, Equatable, Sendable {
        /// Its name, e.g. "widening-circle", and the title people read, e.g. "Widening circle".
        public var name: String
        public var title: String
        /// "week" or "day": what one step is.
        public var stepsBy: String
        /// The step it is on (1-based) among the steps not skipped, and how many there are.
        public var step: Int
        public var steps: Int
        /// The step's short theme, e.g. "family"; nil once complete.
        public var theme: String?
        public var complete: Bool

        public init(name: String, title: String, stepsBy: String, step: Int, steps: Int, theme: String?, complete: Bool) {
            self.name = name
            self.title = title
            self.stepsBy = stepsBy
            self.step = step
            self.steps = steps
            self.theme = theme
            self.complete = complete
        }
    }

    /// The first and last date the report covers, "YYYY-MM-DD", inclusive.
    public var since: String
    public var until: String
    /// The person's date today, and the instant the data was read (ISO 8601).
    public var today: String
    public var madeAt: String
    /// False with `streaks = false` in the config: the page then shows no count of practised days.
    public var counts: Bool
    /// Each practised day in the range, oldest first.
    public var days: [Day]
    /// The program in use; nil when none is.
    public var program: Program?
    /// The person's own words, oldest first: every entry in the range (`with_text`), or the
    /// entries they chose. Nil when they asked for no words: the page then holds none.
    public var entries: [JournalEntry]?

    public init(
        since: String, until: String, today: String, madeAt: String, counts: Bool, days: [Day], program: Program?,
        entries: [JournalEntry]?
    ) {
        self.since = since
        self.until = until
        self.today = today
        self.madeAt = madeAt
        self.counts = counts
        self.days = days
        self.program = program
        self.entries = entries
    }

    private enum CodingKeys: String, CodingKey {
        case since, until, today, madeAt, counts, days, program, entries
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(since, forKey: .since)
        try c.encode(until, forKey: .until)
        try c.encode(today, forKey: .today)
        try c.encode(madeAt, forKey: .madeAt)
        try c.encode(counts, forKey: .counts)
        try c.encode(days, forKey: .days)
        try c.encode(program, forKey: .program)
        try c.encode(entries, forKey: .entries)
    }
}
