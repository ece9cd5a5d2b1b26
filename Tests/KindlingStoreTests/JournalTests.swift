import Foundation
import GRDB
import KindlingCore
import Testing

@testable import KindlingStore

@Suite("Writing and reading the journal")
struct JournalTests {
    let db = AppDatabase.inMemory()

    func deliver(
        _ slot: String = "intention", scheduledAt: Date = t0, localDate: String = "2025-11-21"
    ) throws -> DeliveryInsertion {
        try db.recordDelivery(
            slot: slot, scheduledAt: scheduledAt, localDate: localDate,
            promptText: "Who could use a word of encouragement from me today?", promptKey: "intention.encourage",
            programName: "widening-circle", programDay: 3,
            firedAt: scheduledAt.addingTimeInterval(2), expiresAt: scheduledAt.addingTimeInterval(4 * 3600))
    }

    @Test func recordedDeliveryRoundTripsExactly() throws {
        guard case let .recorded(recorded) = try deliver() else {
            Issue.record("expected a new delivery")
            return
        }
        let id = try #require(recorded.id)
        let fetched = try #require(try db.delivery(id: id))
        #expect(fetched == recorded)
        #expect(fetched.scheduledAt == t0)  // milliseconds survive the round trip
        #expect(fetched.status == .pending)
        #expect(fetched.statusAt == fetched.firedAt)
        #expect(fetched.programDay == 3)
        #expect(try db.pendingDeliveries() == [recorded])
        #expect(try db.delivery(slot: "intention", scheduledAt: t0) == recorded)
    }

    @Test func aDuplicateOccurrenceIsDetected() throws {
        let first = try deliver()
        let second = try deliver()
        guard case .recorded = first, case let .alreadyDelivered(existing) = second else {
            Issue.record("expected recorded then alreadyDelivered, got \(first) and \(second)")
            return
        }
        #expect(existing == first.delivery)
        #expect(try db.pendingDeliveries().count == 1)
        // Another slot at the same instant, or the same slot at another instant, is another occurrence.
        guard case .recorded = try deliver("nudge"), case .recorded = try deliver(scheduledAt: at(86_400)) else {
            Issue.record("expected new occurrences")
            return
        }
    }

    @Test func savingAnAnswerMarksItsDeliveryAnswered() throws {
        let delivery = try deliver().delivery
        let deliveryID = try #require(delivery.id)
        _ = try db.markDelivery(id: deliveryID, status: .snoozed, at: at(60), snoozedUntil: at(660))

        let answeredAt = at(900)
        let id = try db.saveAnswer(
            text: "text Sam", mood: 4, energy: 3, channel: .cli, deliveryID: deliveryID, at: answeredAt,
            localDate: "2025-11-21")

        let marked = try #require(try db.delivery(id: deliveryID))
        #expect(marked.status == .answered)
        #expect(marked.statusAt == answeredAt)
        #expect(marked.snoozedUntil == nil)
        #expect(try db.pendingDeliveries().isEmpty)

        let answer = try #require(try db.answer(id: id))
        #expect(answer.text == "text Sam")
        #expect(answer.mood == 4 && answer.energy == 3)
        #expect(answer.channel == .cli)
        #expect(answer.deliveryID == deliveryID)
        #expect(answer.slot == "intention")
        #expect(answer.promptText == delivery.promptText)
        #expect(answer.answeredAt == answeredAt)
        #expect(try db.entryCount() == 1)
    }

    @Test func moodOutOfRangeIsRejectedAndNothingIsSaved() throws {
        let deliveryID = try #require(try deliver().delivery.id)
        #expect {
            _ = try db.saveAnswer(
                text: "too much", mood: 6, channel: .cli, deliveryID: deliveryID, at: t0, localDate: "2025-11-21")
        } throws: { error in
            guard case let .rejected(message) = error as? StoreError else { return false }
            return message.contains("CHECK") && !message.contains("too much")
        }
        #expect {
            _ = try db.saveAnswer(
                text: "flat", energy: 0, channel: .cli, deliveryID: nil, at: t0, localDate: "2025-11-21")
        } throws: { error in
            guard case .rejected = error as? StoreError else { return false }
            return true
        }
        // The transaction rolled back: no entry, no entry id, delivery still pending.
        #expect(try db.entryCount() == 0)
        #expect(try db.dbWriter.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM entries") } == 0)
        #expect(try db.delivery(id: deliveryID)?.status == .pending)
    }

    @Test func aBadLocalDateIsRejected() throws {
        #expect {
            _ = try db.saveNote(text: "x", at: t0, localDate: "21/11/2025")
        } throws: { error in
            guard case .rejected = error as? StoreError else { return false }
            return true
        }
    }

    @Test func answeringAnUnknownDeliveryIsNotFound() throws {
        #expect(throws: StoreError.notFound("there is no prompt with id 99")) {
            _ = try db.saveAnswer(text: "hello", channel: .cli, deliveryID: 99, at: t0, localDate: "2025-11-21")
        }
        #expect(throws: StoreError.notFound("there is no prompt with id 99")) {
            try db.markDelivery(id: 99, status: .skipped, at: t0)
        }
        #expect(try db.entryCount() == 0)
    }

    @Test func answersAndNotesShareOneIDSequence() throws {
        let answer = try db.saveAnswer(text: "a", channel: .terminal, deliveryID: nil, at: t0, localDate: "2025-11-21")
        let note = try db.saveNote(text: "b", kind: .received, at: t0, localDate: "2025-11-21")
        let plain = try db.saveNote(text: "c", at: t0, localDate: "2025-11-21")
        #expect(answer < note && note < plain)
        #expect(try db.answer(id: note) == nil)
        #expect(try db.note(id: answer) == nil)
        #expect(try db.note(id: note)?.kind == .received)
        #expect(try db.note(id: plain)?.kind == nil)
        #expect(try db.entryCount() == 3)

        // A deleted entry's id is never handed out again.
        try db.dbWriter.write { try $0.execute(sql: "DELETE FROM entries WHERE id = ?", arguments: [plain]) }
        #expect(try db.note(id: plain) == nil)
        let next = try db.saveNote(text: "d", at: t0, localDate: "2025-11-21")
        #expect(next > plain)
    }

    @Test func practisedDaysAreDistinctLocalDatesWithAnAnswerOrANote() throws {
        _ = try db.saveAnswer(text: "a", channel: .cli, deliveryID: nil, at: t0, localDate: "2025-11-20")
        _ = try db.saveNote(text: "b", at: t0, localDate: "2025-11-20")
        _ = try db.saveNote(text: "c", kind: .given, at: t0, localDate: "2025-11-22")
        _ = try db.saveAnswer(text: "d", channel: .desktop, deliveryID: nil, at: t0, localDate: "2025-11-18")
        _ = try deliver(localDate: "2025-11-23")  // a delivery alone is not practice

        #expect(try db.practisedDays() == ["2025-11-18", "2025-11-20", "2025-11-22"])
        #expect(try db.practisedDays(since: "2025-11-20") == ["2025-11-20", "2025-11-22"])
        #expect(try db.practisedDays(since: "2025-11-23") == [])
    }

    @Test func markingADeliveryKeepsSnoozeOnlyWhileSnoozed() throws {
        let id = try #require(try deliver().delivery.id)
        let snoozed = try db.markDelivery(id: id, status: .snoozed, at: at(10), snoozedUntil: at(610))
        #expect(snoozed.snoozedUntil == at(610))
        #expect(try db.pendingDeliveries().map(\.id) == [id])  // snoozed is still waiting
        let skipped = try db.markDelivery(id: id, status: .skipped, at: at(20), snoozedUntil: at(999))
        #expect(skipped.snoozedUntil == nil)
        #expect(try db.delivery(id: id) == skipped)
        #expect(try db.pendingDeliveries().isEmpty)
    }

    @Test func recentPromptKeysAreNewestFirst() throws {
        for day in 0..<3 {
            _ = try db.recordDelivery(
                slot: "nudge", scheduledAt: at(Double(day) * 86_400), localDate: "2025-11-2\(day)",
                promptText: "p\(day)", promptKey: "k\(day)", firedAt: at(Double(day) * 86_400),
                expiresAt: at(Double(day) * 86_400 + 3600))
        }
        #expect(try db.recentPromptKeys(slot: "nudge", limit: 2) == ["k2", "k1"])
        #expect(try db.recentPromptKeys(slot: "intention", limit: 2) == [])
    }

    @Test func eventsAreAppendOnly() throws {
        let deliveryID = try #require(try deliver().delivery.id)
        let event = try db.recordEvent(.paused, at: t0, detail: ["until": "2025-11-22T08:00:00.000+01:00"])
        _ = try db.recordEvent(.fired, at: at(1), deliveryID: deliveryID)
        #expect(event.detail == #"{"until":"2025-11-22T08:00:00.000+01:00"}"#)
        #expect(try db.events().map(\.kind) == [.paused, .fired])
        #expect(try db.events(since: at(1)).map(\.deliveryID) == [deliveryID])

        #expect(throws: DatabaseError.self) {
            try db.dbWriter.write { try $0.execute(sql: "UPDATE events SET kind = 'resumed'") }
        }
        // Deleting a delivery clears the reference instead of rewriting history.
        try db.dbWriter.write { try $0.execute(sql: "DELETE FROM deliveries") }
        #expect(try db.events().map(\.deliveryID) == [nil, nil])
    }

    @Test func stateAndProgramStateRoundTrip() throws {
        #expect(try db.state(forKey: "paused_until") == nil)
        try db.setState("1763800000000", forKey: "paused_until", at: t0)
        try db.setState("1763900000000", forKey: "paused_until", at: at(1))
        #expect(try db.state(forKey: "paused_until") == "1763900000000")
        try db.setState(nil, forKey: "paused_until", at: at(2))
        #expect(try db.state(forKey: "paused_until") == nil)

        var program = ProgramStateRecord(program: "widening-circle", startedOn: "2025-11-17", updatedAt: t0)
        try db.saveProgramState(program)
        program.practisedDays = 4
        program.lastAdvancedOn = "2025-11-20"
        program.skipped = [2]
        try db.saveProgramState(program)
        #expect(try db.programState(named: "widening-circle") == program)
        #expect(try db.programState(named: "five-day-reset") == nil)
    }

    @Test func sqliteFailuresMapToOneLineStoreErrors() {
        let full = StoreError.wrapping(DatabaseError(resultCode: .SQLITE_FULL))
        #expect(full == .storage("the disk is full (free some space, then try again)"))
        if case .storage = StoreError.wrapping(DatabaseError(resultCode: .SQLITE_IOERR_WRITE)) {
        } else {
            Issue.record("an extended I/O error must map to storage")
        }
        if case .storage = StoreError.wrapping(DatabaseError(resultCode: .SQLITE_READONLY)) {
        } else {
            Issue.record("a read-only write must map to storage")
        }
        if case .unwritable = StoreError.wrapping(DatabaseError(resultCode: .SQLITE_CANTOPEN), path: "/j") {
        } else {
            Issue.record("cannot open while opening must map to unwritable")
        }
        if case .corrupt = StoreError.wrapping(DatabaseError(resultCode: .SQLITE_NOTADB), path: "/j") {
        } else {
            Issue.record("not a database while opening must map to corrupt")
        }
        let errors: [StoreError] = [
            .corrupt(path: "/j", reason: "file is not a database"),
            .foreign(path: "/j", reason: "it belongs to another application"),
            .newerSchema(path: "/j", unknownMigrations: ["v2"]),
            .unwritable(path: "/j", reason: "Read-only file system"),
            full, .rejected("CHECK constraint failed: mood"), .notFound("there is no prompt with id 1"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(!error.description.isEmpty)
        }
        #expect(errors[0].description.contains("kindling restore"))
        #expect(errors[2].description.contains("upgrade Kindling (nothing was changed)"))
    }
}

extension JournalTests {
    /// The planner's narrow read says of each waiting delivery what the whole record says, in
    /// the same order, and leaves out the rest.
    @Test func theWaitingPromptsAreThePendingDeliveriesInBrief() throws {
        let first = try #require(try deliver("intention").delivery.id)
        let second = try #require(try deliver("nudge", scheduledAt: at(3_600.5)).delivery.id)
        let third = try #require(try deliver("reflection", scheduledAt: at(7_200)).delivery.id)
        _ = try db.markDelivery(id: first, status: .snoozed, at: at(60), snoozedUntil: at(660.25))
        _ = try db.markDelivery(id: third, status: .answered, at: at(7_300))

        let waiting = try db.waitingPrompts()
        let whole = try db.pendingDeliveries()
        #expect(waiting.map(\.id) == [first, second])
        #expect(
            waiting
                == whole.map {
                    WaitingPrompt(id: $0.id ?? -1, slot: $0.slot, expiresAt: $0.expiresAt, snoozedUntil: $0.snoozedUntil)
                })
        #expect(waiting.first?.snoozedUntil == at(660.25))
        #expect(waiting.last?.snoozedUntil == nil)
        #expect(waiting.last?.expiresAt == at(3_600.5 + 4 * 3600))
    }
}
