// Properties of PromptPlanner over simulated weeks. A model daemon keeps what the journal would
// (recorded occurrences, waiting prompts, the high-water mark, a pause) and wakes where the
// planner says, except when a scenario sleeps through days, sets the clock back, or the person
// answers, snoozes, pauses or resumes. After every step the properties below are checked.
import Foundation
import Testing

@testable import KindlingCore

@Suite struct PromptPlannerPropertyTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
        "America/Santiago", "Asia/Kolkata", "UTC", "America/St_Johns",
    ].map { TimeZone(identifier: $0)! }

    @Test func simulatedWeeksKeepEveryRule() {
        var failures: [String] = []
        var steps = 0
        var fired = 0
        for seed in UInt64(1)...400 {
            var scenario = Scenario(seed: seed)
            scenario.run()
            steps += scenario.steps
            fired += scenario.fired
            if let failure = scenario.failures.first {
                failures.append("seed \(seed) (\(scenario.summary)): \(failure)")
            }
        }
        #expect(
            failures.isEmpty, "\(failures.count) scenarios failed; first ones:\n\(failures.prefix(5).joined(separator: "\n"))")
        // The simulation did real work: most steps deliver something.
        #expect(steps > 10_000 && fired > 4_000, "steps \(steps), fired \(fired)")
    }

    /// Every offset change of ten zones from 2019 to 2030: awake from two days before to two days
    /// after, every occurrence fires once, on time, and nothing is left waiting past its expiry.
    @Test func everyOffsetChangeOfTenZones() {
        let zones = [
            "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
            "America/Santiago", "America/St_Johns", "Europe/London", "America/Mexico_City", "Asia/Tehran",
        ].map { TimeZone(identifier: $0)! }
        var failures: [String] = []
        var transitions = 0
        for zone in zones {
            var instant = Date(timeIntervalSince1970: 1_546_300_800)  // 2019-01-01
            while let change = zone.nextDaylightSavingTimeTransition(after: instant), change.timeIntervalSince1970 < 1_924_905_600
            {
                transitions += 1
                var scenario = Scenario(zone: zone, start: change.addingTimeInterval(-2 * 86_400))
                scenario.runAwake(until: change.addingTimeInterval(2 * 86_400))
                if let failure = scenario.failures.first { failures.append("\(scenario.summary): \(failure)") }
                if scenario.fired < 8 { failures.append("\(scenario.summary): only \(scenario.fired) fired") }
                instant = change
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failed; first ones:\n\(failures.prefix(5).joined(separator: "\n"))")
        #expect(transitions > 150, "walked \(transitions) transitions")
    }
}

/// SplitMix64: small, fast and reproducible from a seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct Scenario {
    var random: SeededGenerator
    let schedule: Schedule
    let start: Date
    // What the journal would hold.
    var through: Date?
    var paused: Date?
    var waiting: [Int64: WaitingPrompt] = [:]
    var recorded: Set<Occurrence> = []
    var nextID: Int64 = 1
    // What was observed.
    var failures: [String] = []
    var steps = 0
    var fired = 0
    var summary: String

    init(seed: UInt64) {
        random = SeededGenerator(state: seed)
        var config = Configuration.defaults
        let zone = PromptPlannerPropertyTests.zones.randomElement(using: &random)!
        config.breaks.enabled = Int.random(in: 0..<4, using: &random) == 0
        if Bool.random(using: &random) {
            let from = Int.random(in: 0..<24, using: &random)
            let to = (from + Int.random(in: 1..<14, using: &random)) % 24
            config.quietHours = TimeWindow(String(format: "%02d:00-%02d:30", from, to))
        }
        if Bool.random(using: &random) {
            config.nudge.validity = .for(ConfigDuration(seconds: Int.random(in: 1...8, using: &random) * 1800)!)
        }
        schedule = Schedule(configuration: config, timeZone: zone)
        // 2019 to 2030: every kind of DST year in the zones above.
        start = Date(timeIntervalSince1970: Double.random(in: 1_546_300_800...1_924_905_600, using: &random).rounded())
        summary =
            "\(zone.identifier), from \(start), quiet \(config.quietHours.map { "\($0)" } ?? "none"), breaks \(config.breaks.enabled)"
    }

    /// The default practice with breaks, no quiet hours, in `zone` from `start`.
    init(zone: TimeZone, start: Date) {
        random = SeededGenerator(state: UInt64(start.timeIntervalSince1970))
        var config = Configuration.defaults
        config.breaks.enabled = true
        schedule = Schedule(configuration: config, timeZone: zone)
        self.start = start
        summary = "\(zone.identifier) around \(start.addingTimeInterval(2 * 86_400))"
    }

    /// Wakes only at the planner's deadlines, as a daemon left alone does.
    mutating func runAwake(until end: Date) {
        var now = start
        _ = tick(now, awake: false, previous: nil)
        while let next = lastDeadline, next <= end {
            _ = tick(next, awake: true, previous: now)
            now = next
        }
    }

    mutating func run() {
        var now = start
        _ = tick(now, awake: false, previous: nil)
        while now < start.addingTimeInterval(21 * 86_400) && steps < 120 {
            steps += 1
            let roll = Int.random(in: 0..<100, using: &random)
            let previous = now
            switch roll {
            case 0..<72:  // awake: the timer fires at the planner's deadline
                guard let next = lastDeadline else { return }
                now = next
                _ = tick(now, awake: true, previous: previous)
            case 72..<80:  // asleep or switched off, for up to ten days
                now = now.addingTimeInterval(Double.random(in: 60...(10 * 86_400), using: &random).rounded())
                _ = tick(now, awake: false, previous: previous)
            case 80..<84:  // the clock is set back
                now = now.addingTimeInterval(-Double.random(in: 60...(2 * 86_400), using: &random).rounded())
                _ = tick(now, awake: false, previous: previous)
            case 84..<94:  // the person answers or snoozes something waiting
                if let id = waiting.keys.sorted().randomElement(using: &random) {
                    if Bool.random(using: &random) {
                        waiting[id] = nil
                    } else {
                        waiting[id]?.snoozedUntil = now.addingTimeInterval(Double(Int.random(in: 5...120, using: &random) * 60))
                    }
                }
                _ = tick(now, awake: false, previous: previous)
            default:  // pause, or resume
                if paused == nil {
                    paused =
                        Int.random(in: 0..<4, using: &random) == 0
                        ? .distantFuture
                        : now.addingTimeInterval(Double.random(in: 3600...(3 * 86_400), using: &random).rounded())
                } else {
                    paused = nil
                }
                _ = tick(now, awake: false, previous: previous)
            }
        }
    }

    var lastDeadline: Date?

    /// Plans at `now`, checks the plan, applies it. `awake`: the previous tick was at `previous`
    /// and nothing happened in between, so everything between them must be handled now.
    mutating func tick(_ now: Date, awake: Bool, previous: Date?) -> Plan {
        let known = recorded
        let before = waiting
        let wasPaused = paused
        let plan = PromptPlanner.plan(
            now: now, schedule: schedule, waiting: waiting.values.sorted { $0.id < $1.id }, plannedThrough: through,
            pausedUntil: paused, isRecorded: { known.contains($0) })
        check(plan, now: now, awake: awake, previous: previous, known: known, before: before, wasPaused: wasPaused)
        for action in plan.actions { apply(action) }
        through = plan.plannedThrough
        lastDeadline = plan.nextDeadline
        for prompt in waiting.values where prompt.expiresAt <= now {
            failures.append("at \(now): prompt \(prompt.id) still waits past its expiry \(prompt.expiresAt)")
        }
        return plan
    }

    mutating func apply(_ action: PlannedAction) {
        switch action {
        case .endPause: paused = nil
        case .expire(let id): waiting[id] = nil
        case .returnSnoozed(let id): waiting[id]?.snoozedUntil = nil
        case .holdSnoozed(let id, let until): waiting[id]?.snoozedUntil = until
        case .fire(let o, let expiresAt):
            fired += 1
            waiting[record(o)] = WaitingPrompt(id: nextID - 1, slot: o.slot, expiresAt: expiresAt)
        case .hold(let o, let expiresAt, let until):
            waiting[record(o)] = WaitingPrompt(id: nextID - 1, slot: o.slot, expiresAt: expiresAt, snoozedUntil: until)
        case .miss(let o, _, _), .skipWhilePaused(let o, _):
            _ = record(o)
        }
    }

    mutating func record(_ o: Occurrence) -> Int64 {
        recorded.insert(o)
        nextID += 1
        return nextID - 1
    }

    mutating func check(
        _ plan: Plan, now: Date, awake: Bool, previous: Date?, known: Set<Occurrence>, before: [Int64: WaitingPrompt],
        wasPaused: Date?
    ) {
        let acted = plan.actions.compactMap(\.occurrence)
        let quiet = schedule.quietHoursEnd(at: now) != nil
        let pausedNow = wasPaused.map { $0 > now } ?? false

        // Never twice: nothing acted on was recorded before, nor twice in one plan.
        for o in acted where known.contains(o) { failures.append("at \(now): \(o) acted on a second time") }
        if Set(acted).count != acted.count { failures.append("at \(now): one occurrence twice in one plan") }
        // Never ahead of time, and a pause's end comes first.
        for o in acted where o.at > now { failures.append("at \(now): \(o) is in the future") }
        if let index = plan.actions.firstIndex(of: .endPause), index != 0 { failures.append("at \(now): endPause not first") }
        if (wasPaused.map { $0 <= now } ?? false) != plan.actions.contains(.endPause) {
            failures.append("at \(now): pause ending at \(String(describing: wasPaused)) handled wrongly")
        }
        // Nothing shown during a pause or quiet hours.
        for action in plan.actions {
            switch action {
            case .fire, .returnSnoozed:
                if pausedNow { failures.append("at \(now): \(action) while paused") }
                if quiet { failures.append("at \(now): \(action) inside quiet hours") }
            default: break
            }
            if case .returnSnoozed(let id) = action, (before[id]?.snoozedUntil ?? .distantFuture) > now {
                failures.append("at \(now): prompt \(id) returned before its time")
            }
        }
        // At most one occurrence of a slot a plan: never a burst after downtime; the latest one.
        var bySlot: [String: Int] = [:]
        for o in acted { bySlot[o.slot, default: 0] += 1 }
        if bySlot.values.contains(where: { $0 > 1 }) { failures.append("at \(now): a burst \(acted)") }
        if let through, through < now {
            let due = schedule.occurrences(
                after: max(through, now.addingTimeInterval(-PromptPlanner.catchUpWindow)), through: now)
            for o in acted where due.last(where: { $0.slot == o.slot }) != o {
                failures.append("at \(now): \(o) is not its slot's latest since \(through)")
            }
        }
        // Awake: the timer fired at the deadline, so every occurrence since the previous tick is
        // exactly now and is handled now; with nothing holding it, it fires on time.
        if awake, let previous {
            for o in schedule.occurrences(after: previous, through: now) where !known.contains(o) {
                if o.at != now { failures.append("woke at \(now), after \(o) at \(o.at): late") }
                let action = plan.actions.first { $0.occurrence == o }
                guard let action else {
                    failures.append("at \(now): \(o) was not handled")
                    continue
                }
                if !pausedNow, !quiet, case .fire = action {
                } else if !pausedNow, !quiet {
                    failures.append("at \(now): \(o) was \(action), not fired")
                }
            }
            for case .expire(let id) in plan.actions where before[id]?.expiresAt != now {
                failures.append("at \(now): prompt \(id) expired late (due \(String(describing: before[id]?.expiresAt)))")
            }
        }
    }
}
