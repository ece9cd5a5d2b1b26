/// `journal` and `stats` by hand, both ways, like `status`: with a large journal, JSONEncoder in
/// the daemon and JSONDecoder (and, for `--json`, JSONEncoder again) in the CLI were most of what
/// these commands cost. The bytes are exactly what `ControlProtocol.makeEncoder()` writes
/// (sorted snake_case keys, nulls written where the types write them; JournalJSONTests compares
/// the two), and the reading accepts what the daemon writes.
extension JournalEntry {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONText.appendKey("at", first: true, to: &out)
        JSONText.appendString(at, to: &out)
        JSONText.appendKey("edited_at", to: &out)
        JSONText.appendString(editedAt, to: &out)
        JSONText.appendKey("energy", to: &out)
        JSONText.appendInteger(energy, to: &out)
        JSONText.appendKey("id", to: &out)
        JSONText.appendInteger(id, to: &out)
        JSONText.appendKey("kind", to: &out)
        JSONText.appendString(kind, to: &out)
        JSONText.appendKey("local_date", to: &out)
        JSONText.appendString(localDate, to: &out)
        JSONText.appendKey("mood", to: &out)
        JSONText.appendInteger(mood, to: &out)
        JSONText.appendKey("prompt", to: &out)
        JSONText.appendString(prompt, to: &out)
        JSONText.appendKey("slot", to: &out)
        JSONText.appendString(slot, to: &out)
        JSONText.appendKey("text", to: &out)
        JSONText.appendString(text, to: &out)
        JSONText.appendKey("type", to: &out)
        JSONText.appendString(type, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    public init?(json: JSONValue) {
        guard case .object(let o) = json, let id = o["id"]?.integer, let type = o["type"]?.string,
            let text = o["text"]?.string, let at = o["at"]?.string, let localDate = o["local_date"]?.string,
            let slot = StatusResult.optional(o["slot"], \.string), let prompt = StatusResult.optional(o["prompt"], \.string),
            let kind = StatusResult.optional(o["kind"], \.string), let mood = StatusResult.optional(o["mood"], \.smallInteger),
            let energy = StatusResult.optional(o["energy"], \.smallInteger),
            let editedAt = StatusResult.optional(o["edited_at"], \.string)
        else { return nil }
        self.init(
            id: id, type: type, slot: slot, prompt: prompt, kind: kind, text: text, mood: mood, energy: energy, at: at,
            localDate: localDate, editedAt: editedAt)
    }
}

extension JournalResult.Day {
    public func appendJSON(to out: inout [UInt8]) {
        func entries(_ list: [JournalEntry]) {
            out.append(UInt8(ascii: "["))
            for (index, entry) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                entry.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        func entry(_ value: JournalEntry?) {
            if let value { value.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        JSONText.appendKey("answers", first: true, to: &out)
        entries(answers)
        JSONText.appendKey("date", to: &out)
        JSONText.appendString(date, to: &out)
        JSONText.appendKey("energy", to: &out)
        JSONText.appendInteger(energy, to: &out)
        JSONText.appendKey("intention", to: &out)
        entry(intention)
        JSONText.appendKey("mood", to: &out)
        JSONText.appendInteger(mood, to: &out)
        JSONText.appendKey("notes", to: &out)
        entries(notes)
        if let omitted {
            JSONText.appendKey("omitted", to: &out)
            JSONText.appendInteger(omitted, to: &out)
        }
        JSONText.appendKey("reflection", to: &out)
        entry(reflection)
        out.append(UInt8(ascii: "}"))
    }

    public init?(json: JSONValue) {
        func entries(_ value: JSONValue?) -> [JournalEntry]? {
            guard case .array(let items)? = value else { return nil }
            var list: [JournalEntry] = []
            list.reserveCapacity(items.count)
            for item in items {
                guard let entry = JournalEntry(json: item) else { return nil }
                list.append(entry)
            }
            return list
        }
        guard case .object(let o) = json, let date = o["date"]?.string, let answers = entries(o["answers"]),
            let notes = entries(o["notes"]), let intention = StatusResult.optional(o["intention"], JournalEntry.init(json:)),
            let reflection = StatusResult.optional(o["reflection"], JournalEntry.init(json:)),
            let mood = StatusResult.optional(o["mood"], \.smallInteger),
            let energy = StatusResult.optional(o["energy"], \.smallInteger),
            let omitted = StatusResult.optional(o["omitted"], \.smallInteger)
        else { return nil }
        self.init(
            date: date, intention: intention, answers: answers, notes: notes, reflection: reflection, mood: mood, energy: energy,
            omitted: omitted)
    }
}

extension JournalResult {
    /// The whole response line (without newline).
    public func responseLine(id: Int?) -> [UInt8] {
        JSONText.responseLine(id: id, capacity: 64 * 1024, result: appendJSON)
    }

    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONText.appendKey("days", first: true, to: &out)
        out.append(UInt8(ascii: "["))
        for (index, day) in days.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            day.appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        JSONText.appendKey("more", to: &out)
        JSONText.appendBool(more, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    public init?(json: JSONValue) {
        guard case .array(let items)? = json["days"], let more = json["more"]?.bool else { return nil }
        var days: [Day] = []
        days.reserveCapacity(items.count)
        for item in items {
            guard let day = Day(json: item) else { return nil }
            days.append(day)
        }
        self.init(days: days, more: more)
    }
}

extension StatsResult {
    /// The whole response line (without newline).
    public func responseLine(id: Int?) -> [UInt8] {
        JSONText.responseLine(id: id, capacity: 16 * 1024, result: appendJSON)
    }

    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONText.appendKey("days", first: true, to: &out)
        out.append(UInt8(ascii: "["))
        for (index, day) in days.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("answers", first: true, to: &out)
            JSONText.appendInteger(day.answers, to: &out)
            JSONText.appendKey("date", to: &out)
            JSONText.appendString(day.date, to: &out)
            JSONText.appendKey("energy", to: &out)
            Self.appendDouble(day.energy, to: &out)
            JSONText.appendKey("mood", to: &out)
            Self.appendDouble(day.mood, to: &out)
            JSONText.appendKey("notes", to: &out)
            JSONText.appendInteger(day.notes, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        JSONText.appendKey("from", to: &out)
        JSONText.appendString(from, to: &out)
        if let practisedDays {
            JSONText.appendKey("practised_days", to: &out)
            JSONText.appendInteger(practisedDays, to: &out)
        }
        if let streak {
            JSONText.appendKey("streak", to: &out)
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("best", first: true, to: &out)
            JSONText.appendInteger(streak.best, to: &out)
            JSONText.appendKey("best_since", to: &out)
            JSONText.appendString(streak.bestSince, to: &out)
            JSONText.appendKey("best_until", to: &out)
            JSONText.appendString(streak.bestUntil, to: &out)
            JSONText.appendKey("current", to: &out)
            JSONText.appendInteger(streak.current, to: &out)
            JSONText.appendKey("current_since", to: &out)
            JSONText.appendString(streak.currentSince, to: &out)
            JSONText.appendKey("grace_days_per_week", to: &out)
            JSONText.appendInteger(streak.graceDaysPerWeek, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        JSONText.appendKey("today", to: &out)
        JSONText.appendString(today, to: &out)
        JSONText.appendKey("weeks", to: &out)
        out.append(UInt8(ascii: "["))
        for (index, week) in weeks.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("answers", first: true, to: &out)
            out.append(UInt8(ascii: "["))
            for (slotIndex, count) in week.answers.enumerated() {
                if slotIndex > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                JSONText.appendKey("count", first: true, to: &out)
                JSONText.appendInteger(count.count, to: &out)
                JSONText.appendKey("slot", to: &out)
                JSONText.appendString(count.slot, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
            JSONText.appendKey("notes", to: &out)
            JSONText.appendInteger(week.notes, to: &out)
            if let practised = week.practisedDays {
                JSONText.appendKey("practised_days", to: &out)
                JSONText.appendInteger(practised, to: &out)
            }
            JSONText.appendKey("start", to: &out)
            JSONText.appendString(week.start, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        out.append(UInt8(ascii: "}"))
    }

    private static func appendDouble(_ value: Double?, to out: inout [UInt8]) {
        if let value { JSONText.appendDouble(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    public init?(json: JSONValue) {
        guard case .object(let o) = json, let today = o["today"]?.string, let from = o["from"]?.string,
            case .array(let weekItems)? = o["weeks"], case .array(let dayItems)? = o["days"],
            let practisedDays = StatusResult.optional(o["practised_days"], \.smallInteger)
        else { return nil }
        var streak: Streak?
        if let value = o["streak"], !value.isNull {
            guard let current = value["current"]?.smallInteger, let best = value["best"]?.smallInteger,
                let grace = value["grace_days_per_week"]?.smallInteger,
                let currentSince = StatusResult.optional(value["current_since"], \.string),
                let bestSince = StatusResult.optional(value["best_since"], \.string),
                let bestUntil = StatusResult.optional(value["best_until"], \.string)
            else { return nil }
            streak = Streak(
                current: current, currentSince: currentSince, best: best, bestSince: bestSince, bestUntil: bestUntil,
                graceDaysPerWeek: grace)
        }
        var weeks: [Week] = []
        for item in weekItems {
            guard let start = item["start"]?.string, let notes = item["notes"]?.smallInteger,
                case .array(let countItems)? = item["answers"],
                let practised = StatusResult.optional(item["practised_days"], \.smallInteger)
            else { return nil }
            var answers: [SlotCount] = []
            for count in countItems {
                guard let slot = count["slot"]?.string, let number = count["count"]?.smallInteger else { return nil }
                answers.append(SlotCount(slot: slot, count: number))
            }
            weeks.append(Week(start: start, answers: answers, notes: notes, practisedDays: practised))
        }
        var days: [Day] = []
        days.reserveCapacity(dayItems.count)
        for item in dayItems {
            guard let date = item["date"]?.string, let answers = item["answers"]?.smallInteger,
                let notes = item["notes"]?.smallInteger, let mood = StatusResult.optional(item["mood"], \.double),
                let energy = StatusResult.optional(item["energy"], \.double)
            else { return nil }
            days.append(Day(date: date, answers: answers, notes: notes, mood: mood, energy: energy))
        }
        self.init(today: today, from: from, streak: streak, practisedDays: practisedDays, weeks: weeks, days: days)
    }
}

extension JSONValue {
    /// ``integer`` as an Int.
    var smallInteger: Int? { integer.flatMap { Int(exactly: $0) } }
}
