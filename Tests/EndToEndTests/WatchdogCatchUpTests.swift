import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A daemon frozen (SIGSTOP) while a prompt comes due: the watchdog of the real user manager
/// kills it, systemd starts a new one, and the new one delivers the missed prompt once.
@Suite(.serialized) struct WatchdogCatchUpTests {
    @Test func aPromptDueWhileFrozenIsDeliveredOnceAfterTheWatchdogRestart() throws {
        let manager = try UserManager()
        defer { manager.stop() }
        try ServiceLifecycleTests.installService(manager)
        let frozen = pid_t(try manager.property("MainPID")) ?? 0
        #expect(frozen > 0)

        // A custom slot due about two seconds from now, put in force by a (synchronous) reload
        // while there is still time to freeze the daemon before it comes due.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        var due = Date()
        for _ in 0..<5 {
            due = Date().addingTimeInterval(2.5)
            let at = calendar.dateComponents([.hour, .minute, .second], from: due)
            due = calendar.date(bySettingHour: at.hour!, minute: at.minute!, second: at.second!, of: due)!
            try manager.writeConfig(
                """
                timezone = "Europe/Berlin"

                [[custom]]
                name = "catchup"
                at = "\(String(format: "%02d:%02d:%02d", at.hour!, at.minute!, at.second!))"
                text = "A moment for yourself, a little late."

                """)
            let reload = try manager.kindling("reload")
            #expect(reload.status == 0, "\(reload)")
            if due.timeIntervalSinceNow > 0.7 { break }
        }
        #expect(try pendingCatchUps(manager).isEmpty, "the prompt fired before the daemon was frozen")
        #expect(kill(frozen, SIGSTOP) == 0)
        let frozenAt = Date()

        let restarted = try waitUntil(timeout: 20, interval: 0.05) {
            let pid = pid_t(try manager.property("MainPID")) ?? 0
            let state = try manager.property("ActiveState")
            return pid > 0 && pid != frozen && state == "active"
        }
        #expect(restarted, "the watchdog did not restart the frozen daemon; log:\n\(manager.daemonLogText.suffix(2000))")
        let restartedAt = Date()
        #expect(restartedAt > due, "the new daemon came up before the prompt was due: no catch-up to test")

        var delivered: [StatusResult.Pending] = []
        _ = try waitUntil(timeout: 10, interval: 0.1) {
            delivered = try pendingCatchUps(manager)
            return !delivered.isEmpty
        }
        #expect(delivered.count == 1, "expected the missed prompt once, got \(delivered)")
        print(
            "measured: frozen \(String(format: "%.1f", restartedAt.timeIntervalSince(frozenAt))) s until the new daemon was active;"
                + " the prompt due \(String(format: "%.1f", due.timeIntervalSince(frozenAt))) s into the freeze was delivered after it"
        )

        #expect(try manager.property("NRestarts") == "1", "the watchdog restart is systemd's, counted once")

        // A further restart delivers nothing again.
        #expect(try manager.systemctl("restart", "kindling.service").status == 0)
        #expect(try pendingCatchUps(manager).map(\.id) == delivered.map(\.id), "a restart delivered the prompt again")
    }

    /// The waiting prompts of the "catchup" slot.
    private func pendingCatchUps(_ manager: UserManager) throws -> [StatusResult.Pending] {
        let outcome = try manager.kindling("pending", "--json")
        guard outcome.status == 0 else { throw TestSetupError("kindling pending failed: \(outcome)") }
        return try ControlProtocol.makeDecoder().decode(PendingResult.self, from: Data(outcome.stdout.utf8)).pending
            .filter { $0.slot == "catchup" }
    }
}
