import KindlingControl
import Testing

@testable import KindlingCLI

/// What `kindling journal` and `kindling stats` print for one fixed result, pinned byte for byte
/// (by length and fingerprint), as text and as `--json`: the CLI's reading and printing may get
/// faster, never different. The results are read from JSON as the CLI reads the daemon's reply.
@Suite struct ViewTextPinTests {
    /// The same results on every run: a small linear congruential generator picks their details.
    struct Generator {
        var seed: UInt64 = 21
        mutating func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
    }

    /// Nine days with every kind of entry: prompts, notes of each kind, edits, several lines, text
    /// with a control character, a slot that is not built in, a day cut short; older days follow.
    static func journal() -> JournalResult {
        var random = Generator()
        let texts = [
            "held the door", "called Sam, \"just because\"", "first line\nsecond line\n\tthird", "a bell \u{07} rang",
            "tea at 40°",
        ]
        var id: Int64 = 500
        func entry(_ date: String, type: String, slot: String? = nil, kind: String? = nil) -> JournalEntry {
            id -= 1
            let mood = random.next(3) == 0 ? 1 + random.next(5) : nil
            return JournalEntry(
                id: id, type: type, slot: slot, prompt: slot.map { "What is \($0) \u{1B}[1mfor\u{1B}[0m?" }, kind: kind,
                text: texts[random.next(texts.count)], mood: mood, energy: mood.map { _ in 1 + random.next(5) },
                at: "\(date)T09:00:00.000+00:00", localDate: date,
                editedAt: random.next(4) == 0 ? "\(date)T10:00:00.000+00:00" : nil)
        }
        var days: [JournalResult.Day] = []
        for day in (12...21).reversed() where day != 15 {
            let date = "2026-11-\(day)"
            var result = JournalResult.Day(date: date)
            if random.next(3) != 0 { result.intention = entry(date, type: "answer", slot: "intention") }
            for _ in 0..<random.next(4) {
                result.answers.append(
                    entry(date, type: "answer", slot: ["nudge", "review", "water", "break", ""][random.next(5)]))
            }
            for _ in 0..<random.next(3) {
                result.notes.append(entry(date, type: "note", kind: [nil, "given", "received"][random.next(3)]))
            }
            if random.next(2) == 0 { result.reflection = entry(date, type: "answer", slot: "reflection") }
            result.mood = random.next(2) == 0 ? 1 + random.next(5) : nil
            result.energy = random.next(2) == 0 ? 1 + random.next(5) : nil
            if day == 13 { result.omitted = 3 }
            days.append(result)
        }
        return JournalResult(days: days, more: true)
    }

    /// Eight weeks up to Saturday 2026-11-21, the first of them before any entry.
    static func stats(streak: Bool) -> StatsResult {
        var random = Generator(seed: 8)
        let from = "2026-09-28"
        var days: [StatsResult.Day] = []
        var weeks: [StatsResult.Week] = []
        for week in 0..<8 {
            var notes = 0
            var counts: [StatsResult.SlotCount] = []
            for slot in ["intention", "nudge", "reflection", "water"] where week > 0 {
                counts.append(StatsResult.SlotCount(slot: slot, count: random.next(9)))
            }
            for weekday in 0..<7 where week * 7 + weekday <= 54 {
                let day = week * 7 + weekday
                // Day 0 is Monday 2026-09-28, day 54 Saturday 2026-11-21.
                let date =
                    day < 3
                    ? "2026-09-\(28 + day)"
                    : day < 34 ? "2026-10-\(String(day - 2).leftPadded)" : "2026-11-\(String(day - 33).leftPadded)"
                let dayNotes = week == 0 ? 0 : random.next(3)
                notes += dayNotes
                let mood = week > 0 && random.next(2) == 0 ? Double(4 + random.next(17)) / 4 : nil
                days.append(
                    StatsResult.Day(
                        date: date, answers: week == 0 ? 0 : random.next(6), notes: dayNotes, mood: mood,
                        energy: mood.map { _ in Double(1 + random.next(5)) }))
            }
            weeks.append(
                StatsResult.Week(
                    start: days[week * 7].date, answers: counts, notes: notes, practisedDays: streak ? random.next(8) : nil))
        }
        let streakValue = StatsResult.Streak(
            current: 12, currentSince: "2026-11-09", best: 40, bestSince: "2026-06-01", bestUntil: "2026-07-20",
            graceDaysPerWeek: 2)
        return StatsResult(
            today: "2026-11-21", from: from, streak: streak ? streakValue : nil, practisedDays: streak ? 37 : nil, weeks: weeks,
            days: days)
    }

    /// `bytes` parsed as the CLI parses the daemon's reply.
    static func reread(_ bytes: [UInt8]) throws -> JSONValue { try #require(JSONValue.parse(bytes)) }

    static func expect(
        _ output: String, _ bytes: Int, _ digest: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            output.utf8.count == bytes && TextDigest.of(output) == digest,
            "\(what): \(output.utf8.count) bytes, \(TextDigest.of(output))\n\(output)", sourceLocation: sourceLocation)
    }

    @Test func theJournalPrintsTheSameBytes() throws {
        var compact: [UInt8] = []
        Self.journal().appendJSON(to: &compact)
        let json = try Self.reread(compact)
        let result = try #require(JournalResult(json: json))
        Self.expect(JournalText.render(result, filtered: false), 2917, "24a5b7de475cabe8", "text")
        Self.expect(String(decoding: json.prettyPrinted(), as: UTF8.self), 17103, "b91594cca273535d", "--json")
        Self.expect(
            JournalText.render(JournalResult(days: [], more: false), filtered: true), 33, "4f6fa567bdcb891e", "nothing matches")
    }

    @Test func statsPrintTheSameBytes() throws {
        for (streak, bytes, digest, asciiBytes, asciiDigest, jsonBytes, jsonDigest) in [
            (true, 1187, "0fc7cff0126739cd", 977, "5ede2f18bb1920c4", 10051, "d06fc88f256047d0"),
            (false, 933, "2cd5caf7282b42df", 741, "c40cd85c781f45bb", 9642, "0b6071589fba9e44"),
        ] {
            var compact: [UInt8] = []
            Self.stats(streak: streak).appendJSON(to: &compact)
            let json = try Self.reread(compact)
            let result = try #require(StatsResult(json: json))
            Self.expect(StatsText.render(result, unicode: true), bytes, digest, "streak \(streak), unicode")
            Self.expect(StatsText.render(result, unicode: false), asciiBytes, asciiDigest, "streak \(streak), ASCII")
            Self.expect(String(decoding: json.prettyPrinted(), as: UTF8.self), jsonBytes, jsonDigest, "streak \(streak), --json")
        }
    }
}

extension String {
    fileprivate var leftPadded: String { count < 2 ? "0" + self : self }
}
