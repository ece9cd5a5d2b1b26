/// The verbs that write the journal's entries or read them back.
extension Request {
    /// Saves a quick note at any time; `kind` is "given", "received" or nil (just a note);
    /// `mood` and `energy` (1 to 5) say how the person feels, when they want to.
    public struct Note: ControlVerb {
        public typealias Result = JournalEntry
        public static let wireName = "note"
        public var text: String
        public var kind: String?
        public var mood: Int?
        public var energy: Int?

        public init(text: String, kind: String?, mood: Int? = nil, energy: Int? = nil) {
            self.text = text
            self.kind = kind
            self.mood = mood
            self.energy = energy
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            guard let text = try arguments.string("text") else {
                throw ControlError(.badRequest, "note needs the note's \"text\"")
            }
            let kind = try arguments.string("kind")
            if let kind, !["given", "received"].contains(kind) {
                throw ControlError(.badRequest, "\"kind\" must be \"given\" or \"received\"")
            }
            self.init(text: text, kind: kind, mood: try arguments.int("mood"), energy: try arguments.int("energy"))
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("text", text)
            arguments.set("kind", kind)
            arguments.set("mood", mood)
            arguments.set("energy", energy)
        }
    }

    /// One journal entry (an answer or a note), by its entry id.
    public struct Entry: ControlVerb {
        public typealias Result = JournalEntry
        public static let wireName = "entry"
        public var id: Int64

        public init(id: Int64) {
            self.id = id
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            id = try arguments.entryID(Self.wireName)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("entry_id", id)
        }
    }

    /// Changes an entry's text, mood or energy; nil leaves a value as it is. `expected`: the
    /// ``TextDigest`` of the text the change started from (an editor's copy); when the entry
    /// no longer holds that text, someone else changed it meanwhile and the daemon answers
    /// `conflict`.
    public struct Edit: ControlVerb {
        public typealias Result = JournalEntry
        public static let wireName = "edit"
        public var id: Int64
        public var text: String?
        public var mood: Int?
        public var energy: Int?
        public var expected: String?

        public init(id: Int64, text: String?, mood: Int?, energy: Int?, expected: String? = nil) {
            self.id = id
            self.text = text
            self.mood = mood
            self.energy = energy
            self.expected = expected
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(
                id: try arguments.entryID(Self.wireName), text: try arguments.string("text"), mood: try arguments.int("mood"),
                energy: try arguments.int("energy"), expected: try arguments.string("expected_digest"))
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("entry_id", id)
            arguments.set("text", text)
            arguments.set("mood", mood)
            arguments.set("energy", energy)
            arguments.set("expected_digest", expected)
        }
    }

    /// Removes an entry.
    public struct Delete: ControlVerb {
        public typealias Result = DeleteResult
        public static let wireName = "delete"
        public var id: Int64

        public init(id: Int64) {
            self.id = id
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            id = try arguments.entryID(Self.wireName)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("entry_id", id)
        }
    }

    /// Removes the whole journal, its sidecar files and every automatic snapshot; an empty
    /// journal takes its place. The wire form says `"all": true` so that no partial request
    /// can mean it.
    public struct Erase: ControlVerb {
        public typealias Result = EraseResult
        public static let wireName = "erase"
        public init() {}

        public init(from arguments: ArgumentReader) throws(ControlError) {
            guard arguments.isTrue("all") else {
                throw ControlError(.badRequest, "erase needs \"all\": true (to remove one entry, use delete)")
            }
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.flag("all", true)
        }
    }

    /// The journal by day, newest first: dates are "YYYY-MM-DD", "today" or "yesterday";
    /// `limit` is the number of days (nil: the daemon's default).
    public struct Journal: ControlVerb {
        public typealias Result = JournalResult
        public static let wireName = "journal"
        public var since: String?
        public var until: String?
        public var slot: String?
        public var search: String?
        public var limit: Int?

        public init(since: String?, until: String?, slot: String?, search: String?, limit: Int?) {
            self.since = since
            self.until = until
            self.slot = slot
            self.search = search
            self.limit = limit
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            let limit = try arguments.int("limit")
            if let limit, !(1...10_000).contains(limit) {
                throw ControlError(.badRequest, "\"limit\" must be between 1 and 10000 days")
            }
            self.init(
                since: try arguments.string("since"), until: try arguments.string("until"), slot: try arguments.string("slot"),
                search: try arguments.string("search"), limit: limit)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("since", since)
            arguments.set("until", until)
            arguments.set("slot", slot)
            arguments.set("search", search)
            arguments.set("limit", limit)
        }
    }

    /// Streaks, answers per slot per week, and mood and energy over the last `weeks` weeks.
    public struct Stats: ControlVerb {
        public typealias Result = StatsResult
        public static let wireName = "stats"
        public var weeks: Int

        public init(weeks: Int) {
            self.weeks = weeks
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            weeks = try arguments.int("weeks") ?? 8
            guard (1...52).contains(weeks) else { throw ControlError(.badRequest, "\"weeks\" must be between 1 and 52") }
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("weeks", weeks)
        }
    }

    /// A look back at the ISO week (Monday to Sunday) holding `date` ("YYYY-MM-DD"; nil: this week).
    public struct Week: ControlVerb {
        public typealias Result = WeekResult
        public static let wireName = "week"
        public var date: String?

        public init(date: String?) {
            self.date = date
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            date = try arguments.string("date")
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("date", date)
        }
    }

    /// What a summary page of the practice needs (``ReportResult``), from `since` through
    /// `until` ("YYYY-MM-DD", "today" or "yesterday"; nil: a year back, and today). The
    /// person's own words only with `withText` (every entry in the range) or for the
    /// `entries` they chose.
    public struct Report: ControlVerb {
        public typealias Result = ReportResult
        public static let wireName = "report"
        public var since: String?
        public var until: String?
        public var withText: Bool
        public var entries: [Int64]

        public init(since: String?, until: String?, withText: Bool = false, entries: [Int64] = []) {
            self.since = since
            self.until = until
            self.withText = withText
            self.entries = entries
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(
                since: try arguments.string("since"), until: try arguments.string("until"),
                withText: try arguments.bool("with_text") ?? false, entries: try arguments.int64List("entry_ids"))
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("since", since)
            arguments.set("until", until)
            arguments.flag("with_text", withText)
            if !entries.isEmpty {
                arguments.set("entry_ids", json: JSONValue.array(entries.map { .number(String($0)) }).serialized())
            }
        }
    }
}
