import Foundation
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Prompts fire on time to `kindling watch --json`, and downtime is caught up once.
@Suite(.serialized) struct SchedulingTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// A config with only custom slots, due at the given offsets from now (UTC, to the second).
    static func config(_ slots: [(name: String, offset: Int, validFor: String)]) -> String {
        var text = "timezone = \"UTC\"\n"
        for slot in ["intention", "nudge", "reflection", "review"] { text += "[\(slot)]\nenabled = false\n" }
        let calendar = Calendar(identifier: .gregorian)
        for slot in slots {
            var utc = calendar
            utc.timeZone = TimeZone(identifier: "UTC")!
            let c = utc.dateComponents([.hour, .minute, .second], from: Date().addingTimeInterval(TimeInterval(slot.offset)))
            let at = String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
            text +=
                "[[custom]]\nname = \"\(slot.name)\"\nat = \"\(at)\"\nvalid_for = \"\(slot.validFor)\"\ntext = \"A small kindness for \(slot.name).\"\n"
        }
        return text
    }

    /// Runs `kindling watch --json` and collects its lines (in a file: no pipe to drain).
    final class Watcher: @unchecked Sendable {
        let process: TestProcess
        private let output: String

        /// `prefix`: a command that runs `kindling` (e.g. setpriv, to watch as another user).
        init(_ sandbox: Sandbox, prefix: [String] = []) throws {
            let command = prefix + [binDirectory + "/kindling", "watch", "--json"]
            output = sandbox.root + "/watch-\(UUID().uuidString).jsonl"
            process = TestProcess(
                command[0], Array(command.dropFirst()), environment: sandbox.environment, standardOutput: .file(output),
                standardError: .null)
            try process.run()
        }

        deinit {
            process.stopAndWait()
            try? FileManager.default.removeItem(atPath: output)
        }

        var events: [[String: Any]] {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            // A line still being written is left for the next look.
            return text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        func fired(_ slot: String) -> [[String: Any]] {
            events.filter { $0["event"] as? String == "fired" && $0["slot"] as? String == slot }
        }
    }

    @Test func slotsFireOnTimeToAWatcher() throws {
        let sandbox = try Sandbox()
        try Self.config([("first", 5, "1h"), ("second", 6, "1h")]).write(
            toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let watcher = try Watcher(sandbox)
        let both = waitUntil(timeout: 15) { !watcher.fired("first").isEmpty && !watcher.fired("second").isEmpty }
        #expect(both, "events: \(watcher.events)")
        for slot in ["first", "second"] {
            guard let event = watcher.fired(slot).first,
                let scheduled = (event["scheduled_at"] as? String).flatMap(parseTimestamp),
                let fired = (event["fired_at"] as? String).flatMap(parseTimestamp)
            else { continue }
            print(
                "measured: \(slot) fired \(String(format: "%.1f", fired.timeIntervalSince(scheduled) * 1000)) ms after its time")
            #expect(fired >= scheduled)
            #expect(event["text"] as? String == "A small kindness for \(slot).")
            #expect(watcher.fired(slot).count == 1, "fired twice: \(watcher.events)")
        }
        let pending = try sandbox.kindling("pending", "--json")
        #expect(pending.stdout.contains("\"slot\" : \"first\"") && pending.stdout.contains("\"slot\" : \"second\""), "\(pending)")
        // The shell-prompt marker (its own fast path) agrees, with the socket given either way.
        #expect(try sandbox.kindling("pending", "--short").stdout == "✦2\n")
        #expect(try sandbox.kindling("pending", "--short", "--socket", sandbox.socket).stdout == "✦2\n")
        #expect(try sandbox.kindling("pending", "--short", "--socket", sandbox.root + "/nowhere.sock").stdout.isEmpty)
    }

    @Test func downtimeOverASlotDeliversItOnceOrRecordsItMissed() throws {
        let sandbox = try Sandbox()
        try Self.config([("kept", 4, "1h"), ("lapsed", 4, "1s")]).write(
            toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        // A first run marks where the schedule stands, then the daemon is down over both slots
        // (due 4 s from now: a loaded machine still has the first daemon stopped by then).
        let first = try sandbox.startDaemon()
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        sleep(6)

        let second = try sandbox.startDaemon()
        let pending = try sandbox.kindling("pending", "--json")
        #expect(pending.stdout.contains("A small kindness for kept."), "the still-valid slot was not caught up: \(pending)")
        #expect(!pending.stdout.contains("lapsed"), "an expired slot was delivered: \(pending)")
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()

        // A further restart delivers nothing again.
        let third = try sandbox.startDaemon()
        defer { third.stopAndWait() }
        let again = try sandbox.kindling("pending", "--json")
        #expect(again.stdout.components(separatedBy: "A small kindness for kept.").count == 2, "delivered twice: \(again)")
        let rows = try run(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3,sys; print(sorted(sqlite3.connect(sys.argv[1]).execute('select slot, status from deliveries').fetchall()))",
                sandbox.journal,
            ],
            environment: sandbox.environment)
        #expect(rows.stdout.contains("('kept', 'pending')") && rows.stdout.contains("('lapsed', 'missed')"), "\(rows)")
    }

    @Test func nextPreviewsAWeekOfTheDefaultPractice() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let next = try sandbox.kindling("next", "--count", "22", "--from", "2026-11-23T00:00:00Z", "--json")
        #expect(next.status == 0, "\(next)")
        let object = try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any]
        let slots = (object?["occurrences"] as? [[String: Any]] ?? []).compactMap { $0["slot"] as? String }
        // Seven days: an intention, a nudge and a reflection each day, and one weekly review.
        #expect(slots.count == 22)
        #expect(slots.filter { $0 == "intention" }.count == 7)
        #expect(slots.filter { $0 == "nudge" }.count == 7)
        #expect(slots.filter { $0 == "reflection" }.count == 7)
        #expect(slots.filter { $0 == "review" }.count == 1)
    }
}

private func parseTimestamp(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
