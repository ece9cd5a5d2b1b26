import Foundation
import KindlingControl
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the daemon reports as saved survives `kill -9` at any moment.
@Suite(.serialized) struct DurabilityTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// The daemon's pid, shared between the writer and the thread that kills it.
    final class Current: @unchecked Sendable {
        private let lock = NSLock()
        private var _process: TestProcess?
        var process: TestProcess? {
            get { lock.withLock { _process } }
            set { lock.withLock { _process = newValue } }
        }
    }

    @Test func everyAnswerAndNoteReportedSavedSurvivesSIGKILL() throws {
        let sandbox = try Sandbox()
        let socket = sandbox.socket
        let current = Current()
        current.process = try sandbox.startDaemon()
        let total = 1000
        let kills = 20

        // The killer: SIGKILL at random moments, then a new daemon, `kills` times.
        let killer = Thread {
            for _ in 0..<kills {
                usleep(UInt32.random(in: 20_000...250_000))
                guard let process = current.process else { continue }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                current.process = try? sandbox.startDaemon()
            }
        }
        killer.start()

        var saved: [Int: Int64] = [:]  // write number -> entry id the daemon reported
        var failures = 0
        // Even numbers answer a prompt fired for them; odd numbers are quick notes.
        var prompt: Int64?
        for number in 0..<total {
            // Retry until the daemon (perhaps a new one) answers; an unanswered write may or
            // may not have landed, but only answered ones are promised.
            for _ in 0..<500 {
                let client = ControlClient(socketPath: socket)
                if number % 2 == 0 {
                    if prompt == nil,
                        let fired = try? client.send(Request.Fire(slot: "reflection")),
                        case .success(let delivery) = fired
                    {
                        prompt = delivery.id
                    }
                    if let id = prompt,
                        let result = try? client.send(
                            Request.Respond(id: id, text: "kindness #\(number)", mood: 3, energy: nil, channel: "cli"))
                    {
                        switch result {
                        case .success(let entry):
                            saved[number] = entry.id
                            prompt = nil
                        case .failure(let error) where error.code == .conflict:
                            prompt = nil  // answered by the attempt whose reply was lost: fire anew
                            continue
                        case .failure:
                            break
                        }
                        if saved[number] != nil { break }
                    }
                } else if let result = try? client.send(
                    Request.Note(text: "kindness #\(number)", kind: "given")),
                    case .success(let entry) = result
                {
                    saved[number] = entry.id
                    break
                }
                failures += 1
                usleep(10_000)
            }
        }
        while killer.isExecuting { usleep(10_000) }
        if let last = current.process {
            last.terminate()
            last.waitUntilExit()
        }
        print(
            "measured: \(saved.count) of \(total) answers and notes acknowledged across \(kills) SIGKILLs (\(failures) writes retried)"
        )
        #expect(saved.count == total)

        let check = try run(
            "/usr/bin/python3",
            [
                "-c",
                """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                print(db.execute('PRAGMA integrity_check').fetchone()[0])
                print(' '.join(str(r[0]) for r in db.execute('SELECT id FROM notes UNION SELECT id FROM answers')))
                """,
                sandbox.journal,
            ], environment: sandbox.environment)
        let lines = check.stdout.split(separator: "\n")
        #expect(lines.first == "ok", "integrity_check: \(check)")
        let stored = Set((lines.dropFirst().first ?? "").split(separator: " ").compactMap { Int64($0) })
        let missing = saved.filter { !stored.contains($0.value) }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.keys.sorted().prefix(10))")
    }
}
