import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// note, entry, edit, delete, journal and stats against a real in-process daemon and journal; the
/// clock moves only when a test says so. The harness starts on Saturday 2026-11-21, 12:00 UTC.
@Suite(.serialized) struct JournalHandlerTests {
    typealias Harness = DaemonTests.Harness

    static let config = """
        timezone = "UTC"
        [nudge]
        enabled = false
        [program]
        name = "none"
        """

    private func events(_ harness: Harness) throws -> [String] {
        try harness.daemon.queue.sync { try harness.daemon.journal.events().map(\.kind.rawValue) }
    }

    @Test func aNoteIsSavedOnTodaysDateAndNoted() throws {
        let harness = try Harness(config: Self.config)
        let note = try harness.call(Request.Note(text: "  held the door\n", kind: "given")).get()
        #expect(note.type == "note")
        #expect(note.kind == "given")
        #expect(note.text == "held the door")
        #expect(note.localDate == "2026-11-21")
        #expect(note.at == "2026-11-21T12:00:00.000+00:00")
        #expect(try events(harness).contains("noted"))
        #expect(try harness.call(Request.Entry(id: note.id)).get() == note)

        guard case .failure(let empty) = try harness.call(Request.Note(text: " \n", kind: nil)) else {
            Issue.record("an empty note was saved")
            return
        }
        #expect(empty.code == .badRequest)
    }

    @Test func inDegradedModeANoteIsRefusedWithStorage() throws {
        let harness = try Harness(config: Self.config)
        harness.daemon.queue.sync {
            harness.daemon.journalProblem = "the journal at /x is damaged"
            // Just tried: a request does not try the (sound) file again within 30 s.
            harness.daemon.lastJournalRetry = harness.clock.now
        }
        defer { harness.daemon.queue.sync { harness.daemon.journalProblem = nil } }
        guard case .failure(let error) = try harness.call(Request.Note(text: "kept", kind: nil)) else {
            Issue.record("a note was saved in degraded mode")
            return
        }
        #expect(error.code == .storage)
        #expect(error.message.contains("NOT saved"))
        let requests: [any ControlVerb] = [Request.Edit(id: 1, text: "x", mood: nil, energy: nil), Request.Delete(id: 1)]
        for request in requests {
            guard let error = try harness.failure(request) else {
                Issue.record("\(request) succeeded in degraded mode")
                continue
            }
            #expect(error.code == .storage)
        }
    }

    @Test func aFailedWriteIsAStorageErrorAndIsRemembered() throws {
        let harness = try Harness(config: Self.config)
        try harness.daemon.queue.sync { try harness.daemon.journal.close() }
        guard case .failure(let error) = try harness.call(Request.Note(text: "kept", kind: nil)) else {
            Issue.record("a note was saved to a closed journal")
            return
        }
        #expect(error.code == .storage)
        #expect(error.message.hasPrefix("your note was NOT saved"))
        #expect(harness.daemon.queue.sync { harness.daemon.lastError }?.contains("NOT saved") == true)
    }

    @Test func editChangesTextAndFeelingsAndRecordsIt() throws {
        let harness = try Harness(config: Self.config)
        let fired = try harness.call(Request.Fire(slot: "reflection")).get()
        let saved = try harness.call(
            Request.Respond(id: fired.id, text: "it felt warm", mood: 3, energy: nil, channel: "cli")
        ).get()
        harness.clock.advance(by: 60)
        let edited = try harness.call(Request.Edit(id: saved.id, text: "it felt warm and light", mood: 4, energy: 2))
            .get()
        #expect(edited.text == "it felt warm and light")
        #expect(edited.mood == 4)
        #expect(edited.energy == 2)
        #expect(edited.slot == "reflection")
        #expect(edited.prompt == fired.text)
        #expect(edited.editedAt == "2026-11-21T12:01:00.000+00:00")
        #expect(try events(harness).last == "edited")

        let note = try harness.call(Request.Note(text: "a note", kind: nil)).get()
        // A note can carry how the person felt, and that can change too.
        let felt = try harness.call(Request.Edit(id: note.id, text: nil, mood: 3, energy: nil)).get()
        #expect(felt.mood == 3 && felt.text == "a note")
        let refused: [(any ControlVerb, ControlError.Code)] = [
            (Request.Edit(id: note.id, text: nil, mood: nil, energy: nil), .badRequest),
            (Request.Edit(id: note.id, text: "  ", mood: nil, energy: nil), .badRequest),
            (Request.Edit(id: saved.id, text: nil, mood: 6, energy: nil), .badRequest),
            (Request.Edit(id: 999, text: "x", mood: nil, energy: nil), .notFound),
            (Request.Entry(id: 999), .notFound),
        ]
        for (request, code) in refused {
            guard let error = try harness.failure(request) else {
                Issue.record("\(request) succeeded")
                continue
            }
            #expect(error.code == code, "\(request): \(error.message)")
        }
    }

    @Test func deleteRemovesTheEntryAndRecordsIt() throws {
        let harness = try Harness(config: Self.config)
        let note = try harness.call(Request.Note(text: "text Sam", kind: nil)).get()
        let deleted = try harness.call(Request.Delete(id: note.id)).get()
        #expect(deleted == DeleteResult(id: note.id, type: "note"))
        #expect(try events(harness).last == "deleted")
        guard case .failure(let again) = try harness.call(Request.Delete(id: note.id)) else {
            Issue.record("deleted twice")
            return
        }
        #expect(again.code == .notFound)
        #expect(
            try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil)).get().days
                .isEmpty)
    }

    @Test func theJournalGroupsEachDay() throws {
        let harness = try Harness(config: Self.config)
        // Yesterday: a note. Today: intention, a custom answer, notes, the reflection with mood.
        harness.clock.advance(by: -86_400)
        _ = try harness.call(Request.Note(text: "yesterday's note", kind: nil)).get()
        harness.clock.advance(by: 86_400)
        let intention = try harness.call(Request.Fire(slot: "intention")).get()
        _ = try harness.call(
            Request.Respond(id: intention.id, text: "text Sam", mood: nil, energy: nil, channel: "cli")
        )
        .get()
        let review = try harness.call(Request.Fire(slot: "review")).get()
        _ = try harness.call(
            Request.Respond(id: review.id, text: "a good week", mood: 2, energy: nil, channel: "cli")
        )
        .get()
        _ = try harness.call(Request.Note(text: "paid for a coffee", kind: "given")).get()
        _ = try harness.call(Request.Note(text: "a kind word", kind: "received")).get()
        let reflection = try harness.call(Request.Fire(slot: "reflection")).get()
        _ = try harness.call(
            Request.Respond(id: reflection.id, text: "it felt warm", mood: 4, energy: 3, channel: "cli")
        ).get()

        let journal = try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil))
            .get()
        #expect(journal.days.map(\.date) == ["2026-11-21", "2026-11-20"])
        #expect(!journal.more)
        let today = try #require(journal.days.first)
        #expect(today.intention?.text == "text Sam")
        #expect(today.answers.map(\.text) == ["a good week"])
        #expect(today.answers.first?.prompt == review.text)
        #expect(today.notes.map(\.kind) == ["given", "received"])
        #expect(today.reflection?.text == "it felt warm")
        #expect(today.mood == 4, "the reflection's mood")
        #expect(today.energy == 3)

        let onlyToday = try harness.call(
            Request.Journal(since: "today", until: "today", slot: nil, search: nil, limit: nil)
        ).get()
        #expect(onlyToday.days.map(\.date) == ["2026-11-21"])
        let yesterday = try harness.call(
            Request.Journal(since: "yesterday", until: "yesterday", slot: nil, search: nil, limit: nil)
        ).get()
        #expect(yesterday.days.first?.notes.map(\.text) == ["yesterday's note"])
        let one = try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: 1)).get()
        #expect(one.days.count == 1 && one.more)
        let searched = try harness.call(
            Request.Journal(since: nil, until: nil, slot: nil, search: "COFFEE", limit: nil)
        )
        .get()
        #expect(searched.days.flatMap(\.notes).map(\.text) == ["paid for a coffee"])
        #expect(searched.days.first?.intention == nil)

        for (since, until) in [("someday", nil), ("2026-02-30", nil), ("today", "yesterday")] as [(String, String?)] {
            guard
                case .failure(let error) = try harness.call(
                    Request.Journal(since: since, until: until, slot: nil, search: nil, limit: nil))
            else {
                Issue.record("accepted since \(since) until \(until ?? "nil")")
                continue
            }
            #expect(error.code == .badRequest)
        }
    }

    @Test func aLargeJournalIsPagedUnderTheLineLimit() throws {
        let harness = try Harness(config: Self.config)
        let long = String(repeating: "kindness ", count: 900)  // ~8 KB a note
        for _ in 0..<12 {
            _ = try harness.call(Request.Note(text: long, kind: nil)).get()
            harness.clock.advance(by: -86_400)
        }
        let page = try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil))
            .get()
        #expect(page.more)
        #expect(page.days.count < 12 && page.days.count >= 5)
    }

    @Test func aDayTooLongForOneReplyStillReads() throws {
        let harness = try Harness(config: Self.config)
        // 560 notes of 30 KiB on one day: about 17 MB, more than a client reads in one reply.
        let long = String(repeating: "warmth ", count: 30 * 1024 / 7)
        for _ in 0..<560 {
            _ = try harness.call(Request.Note(text: long, kind: nil)).get()
        }
        let page = try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil))
            .get()
        let day = try #require(page.days.first)
        #expect(day.notes.count > 100 && day.notes.count < 560, "\(day.notes.count) notes shown")
        #expect(day.omitted == 560 - day.notes.count, "\(String(describing: day.omitted))")
    }

    @Test func statsCountStreaksWithGraceAndNeverMissedDays() throws {
        let harness = try Harness(config: Self.config)
        // Practised: Mon 16, Tue 17, Fri 20 (Wed and Thu quiet, forgiven); today Sat 21 not yet.
        for day in [16, 17, 20] {
            harness.clock.set(SchedulerTests.at(9, days: Double(day - 21)))
            _ = try harness.call(Request.Note(text: "note on the \(day)th", kind: nil)).get()
        }
        harness.clock.set(SchedulerTests.at(9, days: -21 + 16 - 14))  // Mon 2 Nov
        let fired = try harness.call(Request.Fire(slot: "reflection")).get()
        _ = try harness.call(Request.Respond(id: fired.id, text: "calm", mood: 5, energy: 2, channel: "cli")).get()
        harness.clock.set(SchedulerTests.at(12))

        let stats = try harness.call(Request.Stats(weeks: 4)).get()
        #expect(stats.today == "2026-11-21")
        #expect(stats.from == "2026-11-02", "the week of the first entry, not an empty week before it")
        #expect(stats.streak?.current == 3)
        #expect(stats.streak?.currentSince == "2026-11-16")
        #expect(stats.streak?.best == 3)
        #expect(stats.streak?.graceDaysPerWeek == 2)
        #expect(stats.practisedDays == 4)
        #expect(stats.weeks.map(\.start) == ["2026-11-02", "2026-11-09", "2026-11-16"])
        #expect(stats.weeks[0].answers == [StatsResult.SlotCount(slot: "reflection", count: 1)])
        #expect(stats.weeks[2].notes == 3)
        #expect(stats.weeks[2].practisedDays == 3)
        #expect(stats.days.count == 20, "Monday 2 November to today")
        #expect(stats.days.first { $0.date == "2026-11-02" }?.mood == 5)
        #expect(stats.days.first { $0.date == "2026-11-02" }?.energy == 2)

        guard case .failure(let error) = try harness.call(Request.Stats(weeks: 53)) else {
            Issue.record("accepted 53 weeks")
            return
        }
        #expect(error.code == .badRequest)
    }
}
