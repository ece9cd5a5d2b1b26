import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A scheduled prompt is announced before its commit. A `kill -9` between the two (the daemon's
/// test-only fault point) costs exactly what the README promises: the prompt was delivered but
/// not recorded, and the next daemon delivers it once more, once, and records it.
@Suite(.serialized) struct AnnounceThenCommitTests {
    typealias Sandbox = DaemonProcessTests.Sandbox
    typealias Watcher = SchedulingTests.Watcher

    /// Each delivery's slot, status and the kinds of its events in order, from the journal itself.
    static func journalRows(_ sandbox: Sandbox) throws -> [(slot: String, status: String, events: [String])] {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for id, slot, status in db.execute('select id, slot, status from deliveries order by id'):
                kinds = [k for (k,) in db.execute('select kind from events where delivery_id = ? order by id', (id,))]
                print(slot, status, ','.join(kinds))
            """
        let outcome = try run("/usr/bin/python3", ["-c", script, sandbox.journal], environment: sandbox.environment)
        guard outcome.status == 0 else { throw TestSetupError("reading the journal failed: \(outcome)") }
        return outcome.stdout.split(separator: "\n").map {
            let words = $0.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return (words[0], words[1], words.count > 2 ? words[2].split(separator: ",").map(String.init) : [])
        }
    }

    /// Starts a daemon that kills itself at its fault point, with its prompt due a few seconds on.
    /// The fault point lies on the prepared instant's road only: a daemon that starts after the
    /// instant (a catch-up) or whose timer runs more than a second late (a loaded machine) takes
    /// the ordinary road and lives on. Such an attempt is told, stopped and begun again with a
    /// fresh journal, up to three times; the test fails when none reaches the point.
    static func crashAtTheFaultPoint(_ sandbox: Sandbox, hook: String) throws -> Watcher {
        var attempts: [String] = []
        for _ in 1...3 {
            try? FileManager.default.removeItem(atPath: sandbox.root + "/data/kindling")
            try (SchedulingTests.config([("crash", 6, "1h")]) + "[delivery]\ncommand = \"\(hook)\"\n").write(
                toFile: sandbox.configFile, atomically: true, encoding: .utf8)
            let daemon = try sandbox.startDaemon(extraEnvironment: ["KINDLING_TEST_FAULT": "kill-after-announce"])
            let watcher = try Watcher(sandbox)
            if waitUntil(timeout: 15, { !daemon.isRunning }) {
                daemon.waitUntilExit()
                #expect(daemon.terminationReason == .uncaughtSignal && daemon.terminationStatus == SIGKILL)
                return watcher
            }
            // Took the ordinary road: say how late its tick came, from the journal it wrote.
            let rows = (try? journalTimes(sandbox)) ?? []
            daemon.terminate()
            daemon.waitUntilExit()
            let log = (try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? ""
            // A regression that never uses the prepared instant fails all three attempts, and
            // the rows say so: fired on time, yet the ordinary way.
            let onTime = rows.contains { $0.firedAt - $0.scheduledAt < 1000 }
            let why = rows.isEmpty ? "started after the instant" : onTime ? "ON TIME, the ordinary way" : "timer late"
            attempts.append("\(why); journal: \(rows); log: \(log.suffix(1500))")
            print("measured: the fault point was not reached (\(why): \(rows)); trying again")
            try? FileManager.default.removeItem(atPath: sandbox.root + "/hook.log")
        }
        throw TestSetupError("no attempt reached the fault point: \(attempts)")
    }

    /// Each delivery's scheduled and fired times (ms), to tell how late an ordinary tick came.
    static func journalTimes(_ sandbox: Sandbox) throws -> [(slot: String, scheduledAt: Int64, firedAt: Int64)] {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for slot, scheduled, fired in db.execute('select slot, scheduled_at, fired_at from deliveries'):
                print(slot, scheduled, fired)
            """
        let outcome = try run("/usr/bin/python3", ["-c", script, sandbox.journal], environment: sandbox.environment)
        guard outcome.status == 0 else { throw TestSetupError("reading the journal failed: \(outcome)") }
        return outcome.stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count == 3, let scheduled = Int64(words[1]), let fired = Int64(words[2]) else { return nil }
            return (String(words[0]), scheduled, fired)
        }
    }

    @Test func killedBetweenAnnouncingAndCommittingThePromptIsDeliveredOnceMoreAndRecordedOnce() throws {
        let sandbox = try Sandbox()
        let hookLog = sandbox.root + "/hook.log"
        let hook = sandbox.root + "/hook.sh"
        try "#!/bin/sh\necho \"$KINDLING_ID\" >> \(hookLog)\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o700)
        func hookRuns() -> [String] {
            ((try? String(contentsOfFile: hookLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        // The first daemon announces the prompt, then kills itself before the commit.
        let watcher = try Self.crashAtTheFaultPoint(sandbox, hook: hook)
        #expect(waitUntil(timeout: 5) { !watcher.fired("crash").isEmpty && hookRuns().count == 1 })
        let announced = watcher.fired("crash")
        #expect(announced.count == 1, "\(watcher.events)")
        let id = try #require(announced.first?["id"] as? Int)
        #expect(hookRuns() == ["\(id)"])
        // Announced, not recorded: nothing of it reached the journal.
        #expect(try Self.journalRows(sandbox).isEmpty)

        // The next daemon's catch-up delivers it again, once, through every channel, and records
        // it. Its id is the one announced: the lost commit never used it up.
        let second = try sandbox.startDaemon()
        defer { second.stopAndWait() }
        let again = try Watcher(sandbox)
        #expect(waitUntil(timeout: 10) { hookRuns().count == 2 }, "not delivered again: \(hookRuns())")
        #expect(waitUntil(timeout: 5) { !again.events.isEmpty })
        // A watcher connected to the new daemon hears of it once: live, or as already waiting.
        let heard = again.events.filter { ($0["event"] as? String).map { ["fired", "pending"].contains($0) } ?? false }
        #expect(heard.count == 1 && heard.first?["id"] as? Int == id, "\(again.events)")
        // Nothing more on either side after a while.
        sleep(1)
        #expect(hookRuns() == ["\(id)", "\(id)"])
        #expect(watcher.fired("crash").count == 1)

        let rows = try Self.journalRows(sandbox)
        #expect(rows.count == 1, "\(rows)")
        #expect(rows.first?.slot == "crash" && rows.first?.status == "pending" && rows.first?.events == ["fired"], "\(rows)")
        // Each delivery's status agrees with its last event.
        let agrees = ["fired": "pending", "snoozed": "snoozed", "skipped": "skipped", "expired": "expired", "missed": "missed"]
        for row in rows { #expect(row.events.last.flatMap { agrees[$0] } == row.status, "\(row)") }
        let pending = try sandbox.kindling("pending", "--json")
        #expect(pending.stdout.components(separatedBy: "\"slot\" : \"crash\"").count == 2, "\(pending)")
    }
}
