import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A clinician's day against a real kindlingd: a prompt due during a session waits for its end,
/// a break follows the session within a second, and an edited calendar changes the plan.
@Suite(.serialized) struct CalendarTests {
    typealias Sandbox = DaemonProcessTests.Sandbox
    typealias Watcher = SchedulingTests.Watcher

    /// `YYYYMMDDTHHMMSSZ` for `date`.
    static func icalTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// One calendar with a busy event for each `(start, end)`.
    static func calendar(_ events: [(Date, Date)]) -> String {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kindling tests//EN\r\n"
        for (index, event) in events.enumerated() {
            text += "BEGIN:VEVENT\r\nUID:session-\(index)@kindling.test\r\nDTSTAMP:20260101T000000Z\r\n"
            text += "DTSTART:\(icalTime(event.0))\r\nDTEND:\(icalTime(event.1))\r\nSUMMARY:Session\r\nEND:VEVENT\r\n"
        }
        return text + "END:VCALENDAR\r\n"
    }

    static func timestamp(_ event: [String: Any], _ key: String) -> Date? {
        guard let text = event[key] as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    @Test func aPromptInASessionWaitsForItsEndAndABreakFollowsAndAnEditChangesThePlan() throws {
        let sandbox = try Sandbox()
        let calendarFile = sandbox.root + "/sessions.ics"
        // Whole seconds, so the event's end in the file is the instant the break is due.
        let now = Date().timeIntervalSince1970.rounded(.up)
        let start = Date(timeIntervalSince1970: now + 4)
        let end = Date(timeIntervalSince1970: now + 11)
        try Self.calendar([(start, end)]).write(toFile: calendarFile, atomically: true, encoding: .utf8)
        // A custom slot due 7 s from now, inside the session; timed breaks off, breaks after events on.
        var config = SchedulingTests.config([("kind", 7, "1h")])
        config += "[break]\nafter_events = true\n[calendar]\npath = \"\(calendarFile)\"\n"
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)

        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let watcher = try Watcher(sandbox)
        let doctor = try sandbox.kindling("doctor")
        #expect(doctor.stdout.contains("\(calendarFile): 1 file read, 1 busy event today"), "\(doctor.stdout)")

        #expect(waitUntil(timeout: 25) { !watcher.fired("kind").isEmpty && !watcher.fired("break").isEmpty }, "\(watcher.events)")
        let kind = try #require(watcher.fired("kind").first)
        let firstBreak = try #require(watcher.fired("break").first)
        let kindFired = try #require(Self.timestamp(kind, "fired_at"))
        let breakFired = try #require(Self.timestamp(firstBreak, "fired_at"))
        #expect(kindFired >= end, "the prompt came during the session: \(kind)")
        #expect(
            breakFired >= end && breakFired.timeIntervalSince(end) < 1,
            "the break came \(breakFired.timeIntervalSince(end)) s after the end")
        print(
            "measured: break 1 of 2 came \(String(format: "%.1f", breakFired.timeIntervalSince(end) * 1000)) ms after the session ended"
        )

        // Edited while running: a new session a few seconds ahead brings its own break.
        let later = Date().timeIntervalSince1970.rounded(.up)
        let secondEnd = Date(timeIntervalSince1970: later + 5)
        try Self.calendar([(start, end), (Date(timeIntervalSince1970: later + 2), secondEnd)]).write(
            toFile: calendarFile, atomically: true, encoding: .utf8)
        let planned = try waitUntil(timeout: 3) {
            try sandbox.kindling("next", "--json", "--count", "3").stdout.contains("break")
        }
        #expect(planned, "the new session's break is not planned")
        #expect(waitUntil(timeout: 15) { watcher.fired("break").count == 2 }, "\(watcher.events)")
        if let second = watcher.fired("break").last, let fired = Self.timestamp(second, "fired_at") {
            #expect(fired >= secondEnd && fired.timeIntervalSince(secondEnd) < 1, "\(second)")
            print(
                "measured: break 2 of 2 came \(String(format: "%.1f", fired.timeIntervalSince(secondEnd) * 1000)) ms after the session ended"
            )
        }
    }

    @Test func nextShowsTheSessionsThatHoldPromptsAndTheBreaksAfterThem() throws {
        let sandbox = try Sandbox()
        let calendarFile = sandbox.root + "/sessions.ics"
        let now = Date().timeIntervalSince1970.rounded(.up)
        let first = (Date(timeIntervalSince1970: now + 3600), Date(timeIntervalSince1970: now + 5400))
        let second = (Date(timeIntervalSince1970: now + 7200), Date(timeIntervalSince1970: now + 9000))
        // An all-day event and a free one beside the two sessions: neither holds anything.
        let day = String(Self.icalTime(Date(timeIntervalSince1970: now + 86_400)).prefix(8))
        let others =
            "BEGIN:VEVENT\r\nUID:day@kindling.test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:\(day)\r\n"
            + "SUMMARY:Conference\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:free@kindling.test\r\nDTSTAMP:20260101T000000Z\r\n"
            + "DTSTART:\(Self.icalTime(Date(timeIntervalSince1970: now + 600)))\r\n"
            + "DTEND:\(Self.icalTime(Date(timeIntervalSince1970: now + 1200)))\r\nTRANSP:TRANSPARENT\r\nSUMMARY:Free\r\nEND:VEVENT\r\n"
        let text = Self.calendar([first, second]).replacingOccurrences(of: "END:VCALENDAR", with: others + "END:VCALENDAR")
        try text.write(toFile: calendarFile, atomically: true, encoding: .utf8)
        // A custom slot due inside the first session.
        var config = SchedulingTests.config([("kind", 4000, "1h")])
        config += "[break]\nafter_events = true\n[calendar]\npath = \"\(calendarFile)\"\n"
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }

        let json = try sandbox.kindling("next", "--json", "--count", "4")
        #expect(json.status == 0, "\(json.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let held = try #require(result["held"] as? [[String: Any]], "\(json.stdout)")
        #expect(
            held.map { [Self.timestamp($0, "start"), Self.timestamp($0, "end")] } == [[first.0, first.1], [second.0, second.1]])
        let items = try #require(result["occurrences"] as? [[String: Any]])
        let kind = try #require(items.first { $0["slot"] as? String == "kind" }, "\(json.stdout)")
        #expect(Self.timestamp(kind, "held_until") == first.1, "\(kind)")
        #expect(kind["after_session"] == nil, "\(kind)")
        let breaks = items.filter { $0["slot"] as? String == "break" }
        #expect(breaks.map { Self.timestamp($0, "at") } == [first.1, second.1], "\(json.stdout)")
        #expect(breaks.allSatisfy { $0["after_session"] as? Bool == true && $0["held_until"] == nil }, "\(breaks)")

        let plain = try sandbox.kindling("next", "--count", "4")
        #expect(plain.stdout.contains("breathing-space break after a session"), "\(plain.stdout)")
        #expect(plain.stdout.contains("kind (held by a session until "), "\(plain.stdout)")
        #expect(
            plain.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && $0.contains(" to ") }.count == 2,
            "\(plain.stdout)")
        // A month ahead is past what was read of the calendar: no guess that nothing holds.
        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(30 * 86_400))
        let far = try sandbox.kindling("next", "--json", "--from", later)
        let farResult = try #require(try JSONSerialization.jsonObject(with: Data(far.stdout.utf8)) as? [String: Any])
        #expect(farResult["held"] == nil, "\(far.stdout)")
        let farPlain = try sandbox.kindling("next", "--from", later)
        #expect(!farPlain.stdout.contains("No session holds"), "\(farPlain.stdout)")
        let help = try sandbox.kindling("next", "--help")
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("lists the sessions that hold prompts today and tomorrow"), "\(help.stdout)")
    }

    @Test func aMalformedCalendarIsReportedAndPromptsStillCome() throws {
        let sandbox = try Sandbox()
        let calendarFile = sandbox.root + "/broken.ics"
        try "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026031\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".write(
            toFile: calendarFile, atomically: true, encoding: .utf8)
        var config = SchedulingTests.config([("kind", 4, "1h")])
        config += "[calendar]\npath = \"\(calendarFile)\"\n"
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let watcher = try Watcher(sandbox)
        let doctor = try sandbox.kindling("doctor")
        #expect(doctor.stdout.contains("left out: \(calendarFile):3: is malformed"), "\(doctor.stdout)")
        #expect(waitUntil(timeout: 15) { !watcher.fired("kind").isEmpty }, "\(watcher.events)")
        let log = (try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? ""
        #expect(log.components(separatedBy: "\(calendarFile):3: is malformed").count == 2, "reported once: \(log)")
    }

    /// How many times `text` is in the daemon's log.
    static func logCount(_ sandbox: Sandbox, _ text: String) -> Int {
        let log = (try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? ""
        return log.components(separatedBy: text).count - 1
    }

    @Test func aCalendarFolderThatVanishesIsReportedOnceAndReadAgainWhenItComesBack() throws {
        let sandbox = try Sandbox()
        let folder = sandbox.root + "/calendars"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let now = Date().timeIntervalSince1970.rounded(.up)
        let session = (Date(timeIntervalSince1970: now + 3600), Date(timeIntervalSince1970: now + 5400))
        try Self.calendar([session]).write(toFile: folder + "/work.ics", atomically: true, encoding: .utf8)
        var config = SchedulingTests.config([("kind", 8, "1h")])
        config += "[calendar]\npath = \"\(folder)\"\n"
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let watcher = try Watcher(sandbox)
        #expect(try sandbox.kindling("doctor").stdout.contains("\(folder): 1 file read"))

        // The whole folder goes (a sync tool, a careless rm -rf) while the daemon runs.
        try FileManager.default.removeItem(atPath: folder)
        let missing = "\(folder): no such file or folder"
        let reported = try waitUntil(timeout: 5) { try sandbox.kindling("doctor").stdout.contains("left out: \(missing)") }
        #expect(reported, "\((try? sandbox.kindling("doctor"))?.stdout ?? "")")
        #expect(waitUntil(timeout: 20) { !watcher.fired("kind").isEmpty }, "no prompt without the folder: \(watcher.events)")
        #expect(daemon.isRunning)
        // Read again (each reload reads the calendar) while still missing: logged once, not per read.
        for _ in 0..<2 { #expect(try sandbox.kindling("reload").status == 0) }
        #expect(Self.logCount(sandbox, "calendar: 0 file(s)") >= 3, "the reloads did not read the calendar again")
        #expect(Self.logCount(sandbox, missing) == 1, "reported once")

        // Back again, with a file: read without a restart, and watched again for the next change.
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try Self.calendar([session]).write(toFile: folder + "/work.ics", atomically: true, encoding: .utf8)
        let back = try waitUntil(timeout: 5) {
            let doctor = try sandbox.kindling("doctor").stdout
            return doctor.contains("\(folder): 1 file read") && !doctor.contains("left out")
        }
        #expect(back, "the folder came back but was not read: \((try? sandbox.kindling("doctor"))?.stdout ?? "")")
        try Self.calendar([session]).write(toFile: folder + "/home.ics", atomically: true, encoding: .utf8)
        let watched = try waitUntil(timeout: 5) { try sandbox.kindling("doctor").stdout.contains("\(folder): 2 files read") }
        #expect(
            watched, "a file added to the folder that came back was not read: \((try? sandbox.kindling("doctor"))?.stdout ?? "")")
    }

    /// Tests run as root, and root reads any folder: the daemon runs as nobody (65534) here, and
    /// so do the clients that talk to it (a client refuses a daemon of another user).
    private static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]

    @Test func anUnreadableCalendarFolderIsReportedOnceAndReadWhenItBecomesReadable() throws {
        guard getuid() == 0 else {
            throw TestSetupError("this test runs kindlingd as another user with setpriv and must run as root (CI does)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is missing")
        let sandbox = try Sandbox()
        // Root's own, mode 700: nobody cannot list it (nor watch it with inotify).
        let folder = sandbox.root + "/calendars"
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let now = Date().timeIntervalSince1970.rounded(.up)
        let session = (Date(timeIntervalSince1970: now + 3600), Date(timeIntervalSince1970: now + 5400))
        try Self.calendar([session]).write(toFile: folder + "/work.ics", atomically: true, encoding: .utf8)
        chmod(folder + "/work.ics", 0o644)
        var config = SchedulingTests.config([("kind", 8, "1h")])
        config += "[calendar]\npath = \"\(folder)\"\n"
        try config.write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        for path in ["", "/run", "/config", "/config/kindling", "/config/kindling/config.toml", "/data"] {
            #expect(chown(sandbox.root + path, 65534, 65534) == 0)
        }
        func kindling(_ arguments: String...) throws -> Outcome {
            try run(
                Self.asNobody[0], Array(Self.asNobody.dropFirst()) + [binDirectory + "/kindling"] + arguments,
                environment: sandbox.environment)
        }
        let daemon = try spawnSessionLeader(
            Self.asNobody[0], Array(Self.asNobody.dropFirst()) + [binDirectory + "/kindlingd"], environment: sandbox.environment,
            logPath: sandbox.root + "/daemon.log")
        defer { stopSessionLeader(daemon, grace: 1) }
        let up = try waitUntil(timeout: 10) { try kindling("status").status == 0 }
        try #require(
            up,
            "kindlingd (as nobody) did not answer: \((try? String(contentsOfFile: sandbox.root + "/daemon.log", encoding: .utf8)) ?? "")"
        )
        let watcher = try Watcher(sandbox, prefix: Self.asNobody)

        let unreadable = "\(folder): the folder cannot be read"
        let doctor = try kindling("doctor").stdout
        let lines = doctor.split(separator: "\n").filter { $0.contains(unreadable) }
        #expect(lines.count == 1 && lines[0].contains("left out"), "\(doctor)")
        #expect(
            waitUntil(timeout: 20) { !watcher.fired("kind").isEmpty }, "no prompt with the folder unreadable: \(watcher.events)")
        #expect(isAlive(daemon))
        // Read again (a reload, and a change of mode that still does not let nobody list it): once in the log.
        #expect(try kindling("reload").status == 0)
        chmod(folder, 0o711)
        let reread = waitUntil(timeout: 5) { Self.logCount(sandbox, "calendar: 0 file(s)") >= 3 }
        #expect(reread, "the calendar was not read again")
        #expect(Self.logCount(sandbox, unreadable) == 1, "reported once")

        // Made readable: read without a restart, and watched from then on.
        chmod(folder, 0o755)
        let readable = try waitUntil(timeout: 5) {
            let doctor = try kindling("doctor").stdout
            return doctor.contains("\(folder): 1 file read") && !doctor.contains("left out")
        }
        #expect(readable, "the folder became readable but was not read: \((try? kindling("doctor"))?.stdout ?? "")")
        try Self.calendar([session]).write(toFile: folder + "/home.ics", atomically: true, encoding: .utf8)
        chmod(folder + "/home.ics", 0o644)
        let watched = try waitUntil(timeout: 5) { try kindling("doctor").stdout.contains("\(folder): 2 files read") }
        #expect(watched, "a file added once the folder was readable was not read: \((try? kindling("doctor"))?.stdout ?? "")")
    }
}
