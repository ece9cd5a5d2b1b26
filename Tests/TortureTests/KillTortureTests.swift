import Foundation
import GRDB
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Stopping the daemon in the middle of its work, hard (SIGKILL) and politely (SIGTERM):
/// nothing acknowledged is lost, the journal stays sound, and no occurrence reaches the
/// person twice.
@Suite(.serialized) struct KillTortureTests {
    // MARK: - SIGKILL

    /// `encrypted`: the same on a journal encrypted with a passphrase (each new daemon finds the
    /// key the kernel keeps for the boot); decrypted at the end, by a daemon, for the checks.
    @Test(arguments: [false, true])
    func fiftyKillsLoseNoAnswerAndDeliverNoOccurrenceTwice(encrypted: Bool) throws {
        // A custom slot due every second for the whole run, so kills land before, during and
        // after deliveries, and restarts have occurrences to catch up.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let first = Date().addingTimeInterval(5)
        let times = (0..<90).map { second -> String in
            let parts = utc.dateComponents([.hour, .minute, .second], from: first.addingTimeInterval(Double(second)))
            return String(format: "\"%02d:%02d:%02d\"", parts.hour!, parts.minute!, parts.second!)
        }
        let daemon = try TortureDaemon(
            config: """
                [[custom]]
                name = "tick"
                at = [\(times.joined(separator: ", "))]
                text = "A breath, on purpose."

                """)
        try daemon.start()
        if encrypted {
            let result = try ControlClient(socketPath: daemon.socket).send(Request.Encrypt(passphrase: "a torture phrase")).get()
            #expect(result.journal == "encrypted")
        }
        let kills = 50

        let watcher = EventCollector(socket: daemon.socket)
        watcher.start()

        // The killer: SIGKILL after a random moment, then a new daemon, `kills` times.
        let killerDone = ThreadFlag()
        let killer = Thread {
            defer { killerDone.set() }
            var random = SystemRandomNumberGenerator()
            for _ in 0..<kills {
                usleep(UInt32.random(in: 150_000...1_200_000, using: &random))
                daemon.killHard()
                do { try daemon.start() } catch { Issue.record("restart failed: \(error)") }
            }
        }
        killer.start()

        // The writer: answers and notes until the killer is done, each retried until acknowledged.
        var saved: [Int64] = []
        var retries = 0
        var prompt: Int64?
        var number = 0
        while !killerDone.isSet {
            number += 1
            let client = ControlClient(socketPath: daemon.socket)
            if number % 2 == 0 {
                if prompt == nil,
                    case .success(let fired)? = try? client.send(Request.Fire(slot: "reflection"))
                {
                    prompt = fired.id
                }
                guard let id = prompt else {
                    retries += 1
                    usleep(10_000)
                    continue
                }
                switch try? client.send(
                    Request.Respond(id: id, text: "kindness #\(number)", mood: 3, energy: nil, channel: "cli"))
                {
                case .success(let entry)?:
                    saved.append(entry.id)
                    prompt = nil
                case .failure(let error)? where error.code == .conflict:
                    prompt = nil  // answered by an attempt whose reply was lost
                default:
                    retries += 1
                    usleep(10_000)
                }
            } else if case .success(let entry)? = try? client.send(
                Request.Note(text: "kindness #\(number)", kind: "given"))
            {
                saved.append(entry.id)
            } else {
                retries += 1
                usleep(10_000)
            }
        }
        // Let the last daemon deliver a few more ticks to a connected watcher.
        usleep(2_000_000)
        watcher.stop()
        #expect(daemon.terminate() == 0, "the last daemon did not stop cleanly")
        if encrypted {
            // Every new daemon opened the journal with the key kept for the boot; one more
            // takes the encryption off, so that the checks below can read the file.
            try daemon.start()
            let status = try ControlClient(socketPath: daemon.socket).send(Request.Status()).get()
            #expect(status.encryption?.journal == "encrypted", "after the kills: \(status.journal)")
            let result = try ControlClient(socketPath: daemon.socket).send(Request.Decrypt()).get()
            #expect(result.journal == "plaintext")
            #expect(daemon.terminate() == 0)
        }

        let journal = try daemon.readJournal()
        #expect(journal.integrity == "ok", "integrity_check: \(journal.integrity)")
        let lost = saved.filter { !journal.entryIDs.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost after SIGKILL: \(lost.prefix(10))")

        // Each occurrence of "tick" reached the watcher at most once, and each one that did
        // was recorded first (a delivery without its row would be delivered again).
        let fired = watcher.events.filter { $0.event == .fired && $0.slot == "tick" }
        let occurrences = fired.compactMap(\.scheduledAt).compactMap(Self.milliseconds)
        let twice = Dictionary(grouping: occurrences, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(twice.isEmpty, "delivered twice: occurrences at \(twice.sorted().prefix(5)) (ms)")
        let rows = try Self.tickDeliveries(daemon.journal)
        let unrecorded = Set(occurrences).subtracting(rows.map(\.scheduledAt))
        #expect(unrecorded.isEmpty, "delivered but not in the journal: \(unrecorded.sorted().prefix(5))")
        let firedTwiceInJournal = rows.filter { $0.firedEvents > 1 }
        #expect(firedTwiceInJournal.isEmpty, "the journal logs a delivery fired twice: \(firedTwiceInJournal.prefix(5))")
        let statuses = Dictionary(grouping: rows, by: \.status).mapValues(\.count)
        print(
            "measured: \(kills) SIGKILLs; \(saved.count) answers and notes acknowledged, all present (\(retries) retries);"
                + " tick occurrences in the journal \(rows.count) \(statuses), \(fired.count) fired events seen by watchers"
                + " (\(watcher.connections) connections), none twice")
        #expect(fired.count > 10, "too few deliveries seen to say anything: \(fired.count)")
    }

    /// One row of `deliveries` for the "tick" slot, with how many "fired" events the log has for it.
    struct TickDelivery: CustomStringConvertible {
        var scheduledAt: Int64
        var status: String
        var firedEvents: Int
        var description: String { "\(scheduledAt) \(status) fired \(firedEvents)x" }
    }

    static func tickDeliveries(_ path: String) throws -> [TickDelivery] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.scheduled_at, d.status,
                           (SELECT COUNT(*) FROM events e WHERE e.delivery_id = d.id AND e.kind = 'fired') AS fired
                    FROM deliveries d WHERE d.slot = 'tick' ORDER BY d.scheduled_at
                    """
            ).map { TickDelivery(scheduledAt: $0["scheduled_at"], status: $0["status"], firedEvents: $0["fired"]) }
        }
    }

    /// An ISO 8601 timestamp with milliseconds, as milliseconds since 1970 (the journal's unit).
    static func milliseconds(_ timestamp: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: timestamp).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    // MARK: - SIGTERM

    @Test func sigtermDuringWritesStopsCleanlyAndKeepsEveryAcknowledgedWrite() throws {
        let daemon = try TortureDaemon()
        let rounds = 20
        let writers = 3
        let acknowledged = LockedArray<Int64>()
        var exits: [Int32?] = []
        var stopTimes: [Double] = []
        for round in 0..<rounds {
            try daemon.start()
            let stop = ThreadFlag()
            let finished = LockedArray<Int>()
            for writer in 0..<writers {
                Thread {
                    defer { finished.append(writer) }
                    let client = ControlClient(socketPath: daemon.socket)
                    var number = 0
                    while !stop.isSet {
                        number += 1
                        let text = "round \(round) writer \(writer) note \(number)"
                        guard
                            case .success(let entry)? = try? client.send(
                                Request.Note(text: text, kind: nil))
                        else { return }  // the daemon is stopping: this connection is done
                        acknowledged.append(entry.id)
                    }
                }.start()
            }
            usleep(UInt32.random(in: 100_000...600_000))
            let start = Date()
            exits.append(daemon.terminate())
            stopTimes.append(Date().timeIntervalSince(start))
            stop.set()
            _ = waitUntil(timeout: 10) { finished.items.count == writers }
            #expect(!FileManager.default.fileExists(atPath: daemon.socket), "round \(round): the socket was left behind")
        }
        #expect(exits.allSatisfy { $0 == 0 }, "exit statuses after SIGTERM: \(exits)")
        let journal = try daemon.readJournal()
        #expect(journal.integrity == "ok", "integrity_check: \(journal.integrity)")
        let lost = acknowledged.items.filter { !journal.entryIDs.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost after SIGTERM: \(lost.prefix(10))")
        let slowest = stopTimes.max() ?? 0
        print(
            "measured: \(rounds) SIGTERMs during \(writers) streams of writes: \(acknowledged.items.count) writes acknowledged,"
                + " all present; exit 0 every time; slowest stop \(String(format: "%.0f", slowest * 1000)) ms")
    }
}

// MARK: - Helpers

/// A flag one thread sets and others read.
final class ThreadFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// A `watch` client that reconnects whenever the daemon goes away, keeping every event.
final class EventCollector: @unchecked Sendable {
    private let socket: String
    private let stopped = ThreadFlag()
    private let collected = LockedArray<Event>()
    private let lock = NSLock()
    private var _connections = 0
    private var thread: Thread?

    init(socket: String) {
        self.socket = socket
    }

    func start() {
        let thread = Thread { [self] in
            let decoder = ControlProtocol.makeDecoder()
            while !stopped.isSet {
                let client = ControlClient(socketPath: socket)
                guard case .success? = try? client.send(Request.Watch()) else {
                    usleep(20_000)
                    continue
                }
                lock.withLock { _connections += 1 }
                while !stopped.isSet {
                    // Wait at most 200 ms for the next line, so that stop() is noticed.
                    var ready = pollfd(fd: client.fileDescriptor, events: Int16(POLLIN), revents: 0)
                    if !client.hasBufferedLine && poll(&ready, 1, 200) == 0 { continue }
                    guard let line = try? client.readLine() else { break }  // the daemon went away: reconnect
                    if let event = try? decoder.decode(Event.self, from: Data(line)) { collected.append(event) }
                }
            }
        }
        thread.start()
        self.thread = thread
    }

    func stop() {
        stopped.set()
        while thread?.isFinished == false { usleep(10_000) }
    }

    var events: [Event] { collected.items }
    var connections: Int { lock.withLock { _connections } }
}
