import Foundation
import Testing

/// `kindling` and `kindling today`, the screen a person opens every day, through the built
/// binaries and a real daemon: the plain forms skip the argument parser (FastPath), and must show
/// what the parsed command shows.
@Suite struct TodayCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func thePlainCommandAndTodayShowOneScreenOfTheDaemonsDay() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        #expect(try sandbox.kindling("respond", "listen before answering").status == 0)
        #expect(try sandbox.kindling("fire", "nudge").status == 0)

        let plain = try run(binDirectory + "/kindling", [], environment: sandbox.environment)
        let today = try sandbox.kindling("today")
        let bySocket = try sandbox.kindling("today", "--socket", sandbox.socket)
        // `--socket=PATH` is the parser's to read: the screen it leads to must be the same.
        let parsed = try sandbox.kindling("today", "--socket=" + sandbox.socket)
        for outcome in [plain, today, bySocket, parsed] {
            #expect(outcome.status == 0 && outcome.stderr.isEmpty, "\(outcome)")
        }
        #expect(Set([plain, today, bySocket, parsed].map(\.stdout)).count == 1, "\(plain)\n\(today)\n\(bySocket)\n\(parsed)")
        #expect(today.stdout.contains("“listen before answering”"), "\(today)")
        #expect(today.stdout.contains("Waiting"), "\(today)")

        // Headed with the daemon's date, named as Foundation's calendar names it.
        let status = try sandbox.kindling("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let day = try #require(object?["today"] as? String, "\(status)")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let date = try #require(formatter.date(from: day))
        formatter.dateFormat = "EEEE d MMMM"
        let heading = today.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(heading == formatter.string(from: date), "\(today)")
    }

    @Test func withoutTheDaemonThePlainCommandSaysSoInOneLine() throws {
        let sandbox = try Sandbox()
        for arguments in [[], ["today"], ["--socket", "/nonexistent/kindling.sock"]] {
            let outcome = try run(binDirectory + "/kindling", arguments, environment: sandbox.environment)
            #expect(outcome.status == 3 && outcome.stdout.isEmpty, "\(arguments): \(outcome)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome)")
            #expect(outcome.stderr.contains("systemctl --user start kindling"), "\(arguments): \(outcome)")
        }
    }
}
