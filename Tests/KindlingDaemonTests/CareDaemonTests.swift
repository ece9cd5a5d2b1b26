import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// The capacity check-in, the weekly affirmation and `stats` for a newcomer, through a real
/// in-process daemon and journal (the clock injected, nothing sleeps).
@Suite(.serialized) struct CareDaemonTests {
    typealias Harness = DaemonTests.Harness

    /// The default practice (the widening circle running), in UTC.
    static let config = """
        timezone = "UTC"
        affirmations = false
        """

    static let gentleNudges = Set(PromptCatalog.gentleNudges.map(\.text))
    static let gentleReflections = PromptCatalog.gentleReflections.map(\.text)

    static func isGentleReflection(_ text: String) -> Bool {
        gentleReflections.contains { text.hasSuffix($0) }
    }

    private func fire(_ harness: Harness, _ slot: String) throws -> PromptResult {
        try harness.call(Request.Fire(slot: slot)).get()
    }

    @Test func aLowEnergyMorningTurnsThatDaysNudgeAndReflectionGentle() throws {
        let harness = try Harness(config: Self.config)
        let morning = try fire(harness, "intention")
        _ = try harness.call(
            Request.Respond(id: morning.id, text: "my sister", mood: 3, energy: 2, channel: "cli")
        ).get()

        let nudge = try fire(harness, "nudge")
        #expect(Self.gentleNudges.contains(nudge.text), "\(nudge.text)")
        let reflection = try fire(harness, "reflection")
        #expect(Self.isGentleReflection(reflection.text), "\(reflection.text)")
        #expect(reflection.text.hasPrefix("This morning you set an intention: “my sister”. "), "\(reflection.text)")

        // Answering the gentle nudge is practice like any other: the day counts.
        _ = try harness.call(Request.Respond(id: nudge.id, text: "I rested", mood: nil, energy: nil, channel: "cli"))
            .get()
        let stats = try harness.call(Request.Stats(weeks: 1)).get()
        #expect(stats.days.first { $0.date == "2026-11-21" }?.answers == 2)
        #expect(stats.streak?.current == 1)
    }

    @Test func anOrdinaryMorningKeepsTheUsualPrompts() throws {
        let harness = try Harness(config: Self.config)
        let morning = try fire(harness, "intention")
        _ = try harness.call(
            Request.Respond(id: morning.id, text: "my sister", mood: 3, energy: 4, channel: "cli")
        ).get()
        #expect(!Self.gentleNudges.contains(try fire(harness, "nudge").text))
        #expect(!Self.isGentleReflection(try fire(harness, "reflection").text))
    }

    @Test func aNoteCanSayEnergyIsLowAndTheLatestWordCounts() throws {
        let harness = try Harness(config: Self.config)
        let note = try harness.call(Request.Note(text: "a heavy day", kind: nil, mood: 2, energy: 1)).get()
        #expect(note.energy == 1 && note.mood == 2)
        #expect(Self.gentleNudges.contains(try fire(harness, "nudge").text))

        // Later the person feels better: the next prompts are the usual ones again.
        harness.clock.set(harness.clock.now.addingTimeInterval(3600))
        _ = try harness.call(Request.Note(text: "a good walk with a friend", kind: "received", energy: 4)).get()
        #expect(!Self.isGentleReflection(try fire(harness, "reflection").text))

        // The note keeps its mood and energy in the journal.
        let entry = try harness.call(Request.Entry(id: note.id)).get()
        #expect(entry.energy == 1 && entry.mood == 2)
        let page = try harness.call(
            Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil)
        ).get()
        #expect(page.days.first?.notes.first { $0.id == note.id }?.energy == 1)
        #expect(page.days.first?.energy == 4, "the day's energy: the latest note's")
    }

    @Test func aNoteRefusesAnEnergyOutsideOneToFive() throws {
        let harness = try Harness(config: Self.config)
        guard case .failure(let error) = try harness.call(Request.Note(text: "x", kind: nil, energy: 9)) else {
            Issue.record("an energy of 9 was saved")
            return
        }
        #expect(error.code == .badRequest)
        #expect(error.message.contains("energy must be from 1 to 5"), "\(error.message)")
    }

    @Test func theAffirmationComesWithTheFirstReflectionOfItsDayOnly() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        // The harness starts on Saturday 2026-11-21; go to this week's affirmation day.
        let monday = LocalDate(year: 2026, month: 11, day: 16)
        let day = try #require((0..<7).map { monday.adding(days: $0) }.first(where: PromptComposer.isAffirmationDay))
        harness.clock.set(
            SchedulerTests.at(20, days: Double(day.daysSinceEpoch - LocalDate(year: 2026, month: 11, day: 21).daysSinceEpoch)))
        let affirmation = PromptComposer.affirmation(for: day)
        let first = try fire(harness, "reflection")
        #expect(first.text.hasSuffix(" " + affirmation), "\(first.text)")
        harness.clock.set(harness.clock.now.addingTimeInterval(60))
        let second = try fire(harness, "reflection")
        #expect(!second.text.contains(affirmation), "\(second.text)")
    }

    @Test func statsForANewcomerShowOnlyThisWeek() throws {
        let harness = try Harness(config: Self.config)
        let empty = try harness.call(Request.Stats(weeks: 8)).get()
        #expect(empty.weeks.map(\.start) == ["2026-11-16"])
        _ = try harness.call(Request.Note(text: "first note", kind: nil)).get()
        let started = try harness.call(Request.Stats(weeks: 8)).get()
        #expect(started.from == "2026-11-16")
        #expect(started.weeks.count == 1)
        #expect(started.days.map(\.date).first == "2026-11-16")
        #expect(started.days.count == 6, "Monday to today, Saturday")
    }
}

/// A note's mood and energy go out with an export and come back with an import.
@Suite struct NoteFeelingsImportTests {
    static func note(mood: Int?, energy: Int?) -> ExportEntry {
        ExportEntry(
            type: "note", at: "2026-11-21T10:00:00.000+00:00", localDate: "2026-11-21", text: "a slow day", mood: mood,
            energy: energy)
    }

    @Test func anImportedNoteKeepsItsMoodAndEnergy() throws {
        guard case .success(.note(let note)) = ImportRules.record(Self.note(mood: 3, energy: 2)) else {
            Issue.record("the note was not imported")
            return
        }
        #expect(note.mood == 3 && note.energy == 2)
    }

    @Test func anImportedNoteWithAFeelingOutsideOneToFiveIsRefused() {
        for (entry, reason) in [
            (Self.note(mood: nil, energy: 0), "has energy 0, outside 1 to 5"),
            (Self.note(mood: 6, energy: nil), "has mood 6, outside 1 to 5"),
        ] {
            guard case .failure(let invalid) = ImportRules.record(entry) else {
                Issue.record("\(entry) was imported")
                continue
            }
            #expect(invalid.reason == reason)
        }
    }
}
