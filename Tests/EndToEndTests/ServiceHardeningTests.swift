import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, case 18: the unit's sandbox. Every setting it keeps must leave the daemon
/// working under a real user manager: answering, saving to its journal, starting hooks
/// (through systemd-run, outside the sandbox).
@Suite(.serialized) struct ServiceHardeningTests {
    /// `systemd-analyze --user security` for the unit was 6.1 before the issue.
    static let highestExposure = 5.7

    @Test func theHardenedUnitVerifiesRunsHooksKeepsTheJournalAndScoresBetter() throws {
        let manager = try UserManager()
        defer { manager.stop() }
        let marker = manager.root + "/hook-ran"
        try manager.writeConfig("[delivery]\ndesktop = false\ncommand = \"/bin/sh -c 'echo $KINDLING_ID >> \(marker)'\"\n")
        try ServiceLifecycleTests.installService(manager)
        #expect(try manager.property("ActiveState") == "active")

        let unit = manager.configHome + "/systemd/user/kindling.service"
        let verify = try run("/usr/bin/systemd-analyze", ["verify", "--user", unit], environment: manager.environment)
        #expect(verify.status == 0 && !verify.stderr.contains("kindling.service:"), "\(verify)")

        // The settings are in force on the running daemon.
        let pid = try manager.property("MainPID")
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.contains("Seccomp:\t2"), "no seccomp filter on kindlingd")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")

        // And the daemon still does its work inside them.
        let note = try manager.kindling("note", "held the door")
        #expect(note.status == 0, "\(note)")
        let fired = try manager.kindling("fire", "nudge")
        #expect(fired.status == 0, "\(fired)")
        let hookRan = waitUntil(timeout: 15, interval: 0.1) { FileManager.default.fileExists(atPath: marker) }
        #expect(hookRan, "the hook did not run; the daemon's log:\n\(manager.daemonLogText.suffix(1500))")

        let security = try run(
            "/usr/bin/systemd-analyze", ["security", "--user", "--no-pager", "kindling.service"], environment: manager.environment
        )
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first
        print("measured: \(line)")
        #expect(score != nil && score! <= Self.highestExposure, "\(line)")
    }
}
