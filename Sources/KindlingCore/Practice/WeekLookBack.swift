// The weekly look back: what the person gave and received, their mornings and evenings, and how
// mood and energy moved. Pure: the daemon reads the week's entries and hands them in. It tells only
// what happened; a quiet week has nothing to tell, and nothing here counts what did not happen.

/// One of the week's journal entries, as the look back needs it.
public struct WeekEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An answer to a prompt of `slot` (nil: imported without one).
        case answer(slot: String?)
        /// A note, given, received, or neither (nil).
        case note(given: Bool?)
    }

    public var id: Int64
    public var date: LocalDate
    public var kind: Kind
    public var text: String
    public var mood: Int?
    public var energy: Int?

    public init(id: Int64, date: LocalDate, kind: Kind, text: String, mood: Int? = nil, energy: Int? = nil) {
        self.id = id
        self.date = date
        self.kind = kind
        self.text = text
        self.mood = mood
        self.energy = energy
    }
}

/// The look back at one ISO week.
public struct WeekLookBack: Sendable, Equatable {
    public struct Kindness: Sendable, Equatable {
        public var date: LocalDate
        public var id: Int64
        public var words: String
    }

    public struct Pair: Sendable, Equatable {
        public var date: LocalDate
        public var intention: String?
        public var reflection: String?
    }

    public struct Feeling: Sendable, Equatable {
        public var date: LocalDate
        public var mood: Double?
        public var energy: Double?
    }

    /// How a value moved over the week.
    public enum Trend: String, Sendable, Equatable {
        case rising, steady, settling
    }

    /// The first and last day (Monday and Sunday for an ISO week).
    public var start: LocalDate
    public var end: LocalDate
    /// Notes marked given, and answers to the mindful-action nudge (acts done on purpose).
    public var given: [Kindness]
    /// Notes marked received.
    public var received: [Kindness]
    /// Each day with an intention or a reflection, oldest first.
    public var pairs: [Pair]
    /// Each day with a mood or an energy, oldest first.
    public var feelings: [Feeling]
    public var moodTrend: Trend?
    public var energyTrend: Trend?

    /// How many words of a text the look back quotes.
    public static let quotedWords = 6

    /// The look back at the ISO week holding `date`, from the entries of that week (others are ignored).
    public init(weekOf date: LocalDate, entries: [WeekEntry]) {
        self.init(sevenDaysFrom: date.startOfWeek, entries: entries)
    }

    /// The look back at the seven days from `first` (the weekly review: the seven days ending on
    /// its own day, which for a Sunday review is the ISO week).
    public init(sevenDaysFrom first: LocalDate, entries: [WeekEntry]) {
        let last = first.adding(days: 6)
        start = first
        end = last
        let week = entries.filter { $0.date >= first && $0.date <= last }
            .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        given = []
        received = []
        var byDay: [LocalDate: Pair] = [:]
        for entry in week {
            let words = Self.firstWords(of: entry.text)
            let kindness = Kindness(date: entry.date, id: entry.id, words: words)
            switch entry.kind {
            case .note(given: true), .answer(slot: "nudge"): if !words.isEmpty { given.append(kindness) }
            case .note(given: false): if !words.isEmpty { received.append(kindness) }
            case .answer(slot: "intention"):
                var pair = byDay[entry.date] ?? Pair(date: entry.date)
                if pair.intention == nil, !words.isEmpty { pair.intention = words }
                byDay[entry.date] = pair
            case .answer(slot: "reflection"):
                var pair = byDay[entry.date] ?? Pair(date: entry.date)
                if pair.reflection == nil, !words.isEmpty { pair.reflection = words }
                byDay[entry.date] = pair
            default: break
            }
        }
        pairs = byDay.values.filter { $0.intention != nil || $0.reflection != nil }.sorted { $0.date < $1.date }
        var feelingDays: [LocalDate: (moods: [Int], energies: [Int])] = [:]
        for entry in week where entry.mood != nil || entry.energy != nil {
            var day = feelingDays[entry.date] ?? ([], [])
            if let mood = entry.mood { day.moods.append(mood) }
            if let energy = entry.energy { day.energies.append(energy) }
            feelingDays[entry.date] = day
        }
        feelings = feelingDays.sorted { $0.key < $1.key }.map { date, values in
            Feeling(date: date, mood: Self.mean(values.moods), energy: Self.mean(values.energies))
        }
        moodTrend = Self.trend(feelings.compactMap(\.mood))
        energyTrend = Self.trend(feelings.compactMap(\.energy))
    }

    /// Whether there is anything to look back on.
    public var isEmpty: Bool {
        given.isEmpty && received.isEmpty && pairs.isEmpty && feelings.isEmpty
    }

    /// The look back in a few short lines, for the weekly review's notification and `kindling week`;
    /// empty for a quiet week (the review then simply asks its question). Never a count.
    public var summary: String {
        var lines: [String] = []
        if !given.isEmpty { lines.append("Kindness you gave: " + Self.list(given.map(\.words)) + ".") }
        if !received.isEmpty { lines.append("Kindness you received: " + Self.list(received.map(\.words)) + ".") }
        if let pair = pairs.last(where: { $0.intention != nil && $0.reflection != nil }) ?? pairs.last {
            var line = "On " + pair.date.weekday.fullName.prefix(1).uppercased() + pair.date.weekday.fullName.dropFirst()
            if let intention = pair.intention { line += " your intention was “\(intention)”" }
            if let reflection = pair.reflection {
                line += pair.intention == nil ? " you reflected: “\(reflection)”" : " and later wrote “\(reflection)”"
            }
            lines.append(line + ".")
        }
        var feelingsLine: [String] = []
        if let moodTrend { feelingsLine.append("your mood \(Self.describe(moodTrend))") }
        if let energyTrend { feelingsLine.append("your energy \(Self.describe(energyTrend))") }
        if !feelingsLine.isEmpty {
            let sentence = feelingsLine.joined(separator: ", and ")
            lines.append("Over the week " + sentence + ".")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Helpers

    /// The first ``quotedWords`` words of `text` on one line, with "…" when there were more.
    public static func firstWords(of text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        var kept = words.prefix(quotedWords).joined(separator: " ")
        if words.count > quotedWords {
            kept += "…"
        } else {
            while kept.hasSuffix(".") && !kept.hasSuffix("...") { kept.removeLast() }
        }
        return kept
    }

    /// The latest three, joined warmly ("a, b and c"); `kindling week` lists them all.
    static func list(_ items: [String]) -> String {
        let shown = items.suffix(3).map { "“\($0)”" }
        guard shown.count > 1 else { return shown.first ?? "" }
        return shown.dropLast().joined(separator: ", ") + " and " + shown[shown.count - 1]
    }

    static func describe(_ trend: Trend) -> String {
        switch trend {
        case .rising: "lifted"
        case .steady: "held steady"
        case .settling: "asked for gentleness"
        }
    }

    static func mean(_ values: [Int]) -> Double? {
        values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
    }

    /// The second half's mean against the first half's: half a point either way is a move.
    static func trend(_ values: [Double]) -> Trend? {
        guard values.count >= 2 else { return nil }
        let half = values.count / 2
        let first = values.prefix(half).reduce(0, +) / Double(half)
        let second = values.suffix(values.count - half).reduce(0, +) / Double(values.count - half)
        if second - first >= 0.5 { return .rising }
        if first - second >= 0.5 { return .settling }
        return .steady
    }
}

extension WeekLookBack.Pair {
    init(date: LocalDate) {
        self.init(date: date, intention: nil, reflection: nil)
    }
}
