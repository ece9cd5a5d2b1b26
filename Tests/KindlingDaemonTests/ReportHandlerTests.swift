import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

/// `report`: the data behind the summary page, from a real in-process daemon and journal with the
/// clock injected (today is Saturday 2026-11-21).
@Suite(.serialized) struct ReportHandlerTests {
    typealias Harness = DaemonTests.Harness
    static let noon = SchedulerTests.noon

    /// Entries on 10, 16, 18 and 19 November and one the year before; returns the ids by text.
    @discardableResult
    private func seed(_ harness: Harness) throws -> [String: Int64] {
        let journal = harness.daemon.journal!
        var ids: [String: Int64] = [:]
        func answer(_ slot: String, _ date: String, _ text: String, mood: Int? = nil, energy: Int? = nil) throws {
            let at = Self.noon.addingTimeInterval(Double(LocalDate(date)!.daysSinceEpoch - 20_778) * 86_400)
            let delivery = try journal.recordDelivery(
                slot: slot, scheduledAt: at, localDate: date, promptText: "A question", promptKey: "k.\(slot)", firedAt: at,
                expiresAt: at.addingTimeInterval(3600)
            ).delivery
            ids[text] = try journal.saveAnswer(
                text: text, mood: mood, energy: energy, channel: .cli, deliveryID: delivery.id, at: at, localDate: date)
        }
        try harness.daemon.queue.sync {
            try answer("reflection", "2025-10-01", "An autumn evening long ago", mood: 2)
            try answer("intention", "2026-11-10", "Be patient with Odalric", mood: 2, energy: 1)
            try answer("nudge", "2026-11-16", "Carried the neighbour's shopping up")
            try answer("reflection", "2026-11-16", "Lighter than the morning", mood: 4, energy: 3)
            ids["Thanked the driver"] = try journal.saveNote(
                text: "Thanked the driver", kind: .given, at: Self.noon, localDate: "2026-11-18")
            ids["A friend called to check in"] = try journal.saveNote(
                text: "A friend called to check in", kind: .received, at: Self.noon, localDate: "2026-11-18", mood: 5)
            ids["Just a thought"] = try journal.saveNote(text: "Just a thought", at: Self.noon, localDate: "2026-11-19")
        }
        return ids
    }

    @Test func theReportHoldsThePractisedDaysAndNoWordsByDefault() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        try seed(harness)
        let report = try harness.call(Request.Report(since: nil, until: nil)).get()
        // A year back from today, and the journal's first entry is older: the year is the range.
        #expect(report.since == "2025-11-22" && report.until == "2026-11-21" && report.today == "2026-11-21")
        #expect(report.madeAt.hasPrefix("2026-11-21T12:00:00"))
        #expect(report.counts)
        #expect(report.entries == nil, "no words unless asked")
        #expect(
            report.days == [
                .init(date: "2026-11-10", entries: 1, given: 0, received: 0, mood: 2, energy: 1),
                .init(date: "2026-11-16", entries: 2, given: 1, received: 0, mood: 4, energy: 3),
                .init(date: "2026-11-18", entries: 2, given: 1, received: 1, mood: 5, energy: nil),
                .init(date: "2026-11-19", entries: 1, given: 0, received: 0, mood: nil, energy: nil),
            ])
        #expect(report.program?.name == "widening-circle" && report.program?.stepsBy == "week")
        #expect(report.program?.steps == 4 && report.program?.complete == false)
        // The wire form holds none of the words either.
        let line = String(decoding: try ControlProtocol.makeEncoder().encode(report), as: UTF8.self)
        for word in ["Odalric", "neighbour", "driver", "thought", "Lighter"] { #expect(!line.contains(word), "\(word)") }
    }

    @Test func wordsComeOnlyWhenAskedAndOnlyThoseAsked() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let ids = try seed(harness)
        let all = try harness.call(Request.Report(since: "2026-11-16", until: "2026-11-18", withText: true)).get()
        #expect(
            all.entries?.map(\.text) == [
                "Carried the neighbour's shopping up", "Lighter than the morning", "Thanked the driver",
                "A friend called to check in",
            ])
        #expect(all.days.map(\.date) == ["2026-11-16", "2026-11-18"])
        let picked = try harness.call(
            Request.Report(since: nil, until: nil, entries: [ids["Just a thought"]!, ids["Be patient with Odalric"]!])
        ).get()
        #expect(picked.entries?.map(\.text) == ["Be patient with Odalric", "Just a thought"], "oldest first")
        guard case .failure(let missing) = try harness.call(Request.Report(since: nil, until: nil, entries: [9_999]))
        else {
            Issue.record("an unknown entry id was accepted")
            return
        }
        #expect(missing.code == .notFound && missing.message.contains("9999"))
    }

    @Test func theRangeStartsWithThePracticeAndBadRangesAreRefused() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\n")
        let empty = try harness.call(Request.Report(since: nil, until: nil)).get()
        #expect(empty.since == "2026-11-21" && empty.until == "2026-11-21" && empty.days.isEmpty)
        try harness.daemon.queue.sync {
            _ = try harness.daemon.journal!.saveNote(text: "first", at: Self.noon, localDate: "2026-11-02")
        }
        let started = try harness.call(Request.Report(since: nil, until: "yesterday")).get()
        #expect(started.since == "2026-11-02" && started.until == "2026-11-20")
        for (since, until, words) in [
            ("2026-11-20", "2026-11-10", "is after"), ("2010-01-01", "2026-11-20", "at most ten years"),
            ("someday", "2026-11-20", "YYYY-MM-DD"),
        ] {
            guard case .failure(let error) = try harness.call(Request.Report(since: since, until: until)) else {
                Issue.record("\(since) to \(until) was accepted")
                continue
            }
            #expect(error.code == .badRequest && error.message.contains(words), "\(error.message)")
        }
    }

    @Test func withStreaksOffTheReportSaysNotToCount() throws {
        let harness = try Harness(config: "timezone = \"UTC\"\nstreaks = false\n")
        #expect(try harness.call(Request.Report(since: nil, until: nil)).get().counts == false)
    }
}
