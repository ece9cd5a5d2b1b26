import Foundation
import GRDB
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// README, "Recorded, then announced": SIGKILL at random moments while prompts fire every 200 ms
/// and answers, snoozes and skips stream in. Afterwards every prompt's state agrees with its last
/// event, no event lacks its change or the reverse, the journal is sound, and the watch stream
/// heard of nothing the journal does not hold, while every prompt still waiting was heard of;
/// every change acknowledged to a client is in the journal.
@Suite(.serialized) struct PromptLifecycleTortureTests {
    @Test func fiftyKillsLeaveEveryPromptsStateWithItsEventAndAnnounceOnlyWhatIsRecorded() throws {
        // A custom slot due every second for 90 s (open 3 s, so some expire; at most 96 times a
        // slot), and `fire` every 200 ms for the whole run.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let first = Date().addingTimeInterval(3)
        let times = (0..<90).map { second -> String in
            let parts = utc.dateComponents([.hour, .minute, .second], from: first.addingTimeInterval(Double(second)))
            return String(format: "\"%02d:%02d:%02d\"", parts.hour!, parts.minute!, parts.second!)
        }
        let daemon = try TortureDaemon(
            config: """
                [[custom]]
                name = "tick"
                at = [\(times.joined(separator: ", "))]
                valid_for = "3s"
                text = "A breath, on purpose."

                """)
        try daemon.start()
        let kills = 50
        let watcher = EventCollector(socket: daemon.socket)
        watcher.start()

        let killerDone = ThreadFlag()
        let killer = Thread {
            defer { killerDone.set() }
            var random = SystemRandomNumberGenerator()
            for _ in 0..<kills {
                usleep(UInt32.random(in: 150_000...1_000_000, using: &random))
                daemon.killHard()
                do { try daemon.start() } catch { Issue.record("restart failed: \(error)") }
            }
        }
        killer.start()

        // The firer: a prompt by request every 200 ms.
        let firerDone = ThreadFlag()
        let fires = LockedArray<Int64>()
        Thread {
            defer { firerDone.set() }
            while !killerDone.isSet {
                let client = ControlClient(socketPath: daemon.socket)
                if case .success(let fired)? = try? client.send(Request.Fire(slot: "tick")) {
                    fires.append(fired.id)
                }
                usleep(200_000)
            }
        }.start()

        // The person: answers, snoozes (2 s) and skips the latest waiting prompt, in turn.
        var counts = [String: Int]()
        // Every change acknowledged, as "kind#prompt": each must be in the journal afterwards.
        var acknowledged: [String] = []
        var turn = 0
        while !killerDone.isSet {
            turn += 1
            let client = ControlClient(socketPath: daemon.socket)
            let outcome: String
            switch turn % 3 {
            case 0:
                let reply = try? client.send(
                    Request.Respond(id: nil, text: "kindness #\(turn)", mood: 3, energy: nil, channel: "cli"))
                if case .success(let answer)? = reply, let id = answer.promptId { acknowledged.append("answered#\(id)") }
                outcome = reply.map { if case .success = $0 { "answered" } else { "refused" } } ?? "lost"
            case 1:
                let reply = try? client.send(Request.Snooze(id: nil, duration: "2s"))
                if case .success(let prompt)? = reply { acknowledged.append("snoozed#\(prompt.id)") }
                outcome = reply.map { if case .success = $0 { "snoozed" } else { "refused" } } ?? "lost"
            default:
                let reply = try? client.send(Request.Skip(id: nil))
                if case .success(let prompt)? = reply { acknowledged.append("skipped#\(prompt.id)") }
                outcome = reply.map { if case .success = $0 { "skipped" } else { "refused" } } ?? "lost"
            }
            counts[outcome, default: 0] += 1
            usleep(70_000)
        }
        while !firerDone.isSet { usleep(10_000) }
        // The last daemon runs on with its watcher; prompts fired from now on may still be in
        // flight when the watcher stops, so the "heard of" check ends here.
        let quietFrom = Int64(Date().timeIntervalSince1970 * 1000)
        usleep(2_000_000)
        watcher.stop()
        #expect(daemon.terminate() == 0, "the last daemon did not stop cleanly")

        let journal = try Self.read(daemon.journal)
        #expect(journal.integrity == "ok", "integrity_check: \(journal.integrity)")

        // Every prompt's state is the one its last event says, and every prompt has an event.
        let byDelivery = Dictionary(grouping: journal.events.filter { $0.deliveryID != nil }, by: { $0.deliveryID! })
        var disagreeing: [String] = []
        for delivery in journal.deliveries {
            let last = byDelivery[delivery.id]?.last?.kind
            if !(Self.agreeing[delivery.status] ?? []).contains(last ?? "none") {
                disagreeing.append("#\(delivery.id) is \(delivery.status), last event \(last ?? "none")")
            }
        }
        #expect(disagreeing.isEmpty, "state and last event disagree: \(disagreeing.prefix(10))")
        // No event about a prompt the journal does not hold; every answer event has its answer.
        let ids = Set(journal.deliveries.map(\.id))
        let orphans = journal.events.filter { event in
            Self.promptKinds.contains(event.kind) && (event.deliveryID.map { !ids.contains($0) } ?? true)
        }
        #expect(orphans.isEmpty, "events without their prompt: \(orphans.prefix(10))")
        let answered = Set(journal.deliveries.filter { $0.status == "answered" }.map(\.id))
        let answerEvents = Set(journal.events.filter { $0.kind == "answered" }.compactMap(\.deliveryID))
        #expect(answered == answerEvents, "answers without their event, or the reverse")
        #expect(answered == journal.answeredDeliveries, "answered prompts without an answer row, or the reverse")

        let logged = Dictionary(grouping: journal.events.filter { $0.deliveryID != nil }, by: { "\($0.kind)#\($0.deliveryID!)" })
            .mapValues(\.count)
        // A change acknowledged was committed before its reply: fires, answers, snoozes, skips.
        let notKept = (acknowledged + fires.items.map { "fired#\($0)" }).filter { logged[$0] == nil }
        #expect(notKept.isEmpty, "acknowledged but not in the journal: \(notKept.prefix(10))")

        // What watchers heard is a part of what the journal holds, change by change: a change is
        // announced after its commit, once, or (killed in between) not at all.
        let heard = watcher.events.filter { $0.event != .pending && $0.id != nil }
        let heardCounts = Dictionary(grouping: heard, by: { "\($0.event.rawValue)#\($0.id!)" }).mapValues(\.count)
        let unrecorded = heardCounts.filter { $0.value > (logged[$0.key] ?? 0) }
        #expect(unrecorded.isEmpty, "announced more than recorded: \(unrecorded.sorted { $0.key < $1.key }.prefix(10))")
        let unknownPending = watcher.events.filter { $0.event == .pending }.compactMap(\.id).filter { !ids.contains($0) }
        #expect(unknownPending.isEmpty, "pending prompts the journal does not hold: \(unknownPending.prefix(10))")
        // And nothing recorded is left unheard while it waits: a prompt fired (and not announced
        // before a kill) reaches the next watcher as `pending`.
        let seen = Set(watcher.events.filter { $0.event == .fired || $0.event == .pending }.compactMap(\.id))
        let waitingUnheard = journal.deliveries.filter {
            $0.status == "pending" && $0.firedAt < quietFrom && !seen.contains($0.id)
        }
        #expect(waitingUnheard.isEmpty, "waiting prompts never announced: \(waitingUnheard.prefix(10))")

        let statuses = Dictionary(grouping: journal.deliveries, by: \.status).mapValues(\.count)
        let kinds = Dictionary(grouping: journal.events, by: \.kind).mapValues(\.count)
        print(
            "measured: \(kills) SIGKILLs; \(fires.items.count) fires acknowledged; person's requests \(counts);"
                + " prompts \(journal.deliveries.count) \(statuses); events \(kinds);"
                + " \(heard.count) live events heard over \(watcher.connections) watch connections")
        #expect(journal.deliveries.count > 50, "too few prompts to say anything: \(journal.deliveries.count)")
        #expect(heard.contains { $0.event == .snoozed } && heard.contains { $0.event == .answered })
    }

    /// The last events that may stand for each state.
    static let agreeing: [String: Set<String>] = [
        "pending": ["fired"], "snoozed": ["snoozed", "deferred"], "answered": ["answered"], "skipped": ["skipped"],
        "missed": ["missed"], "expired": ["expired"],
    ]

    /// Events about one prompt.
    static let promptKinds: Set<String> = ["fired", "answered", "snoozed", "skipped", "missed", "expired", "deferred"]

    struct Delivery: CustomStringConvertible {
        var id: Int64
        var status: String
        var firedAt: Int64
        var description: String { "#\(id) \(status)" }
    }

    struct Logged: CustomStringConvertible {
        var kind: String
        var deliveryID: Int64?
        var description: String { "\(kind) #\(deliveryID.map(String.init) ?? "none")" }
    }

    static func read(_ path: String) throws -> (
        integrity: String, deliveries: [Delivery], events: [Logged], answeredDeliveries: Set<Int64>
    ) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer"
            let deliveries = try Row.fetchAll(db, sql: "SELECT id, status, fired_at FROM deliveries ORDER BY id").map {
                Delivery(id: $0["id"], status: $0["status"], firedAt: $0["fired_at"])
            }
            let events = try Row.fetchAll(db, sql: "SELECT kind, delivery_id FROM events ORDER BY id").map {
                Logged(kind: $0["kind"], deliveryID: $0["delivery_id"])
            }
            let answered = try Int64.fetchSet(db, sql: "SELECT delivery_id FROM answers WHERE delivery_id IS NOT NULL")
            return (integrity, deliveries, events, answered)
        }
    }
}
