import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A daemon that is stopped (SIGSTOP, a debugger, a frozen machine) accepts connections but never
/// answers. Every command gives up after a bounded wait with one clear line naming the socket,
/// instead of hanging a terminal or systemd's `ExecReload=` for ever.
@Suite(.serialized)
struct StoppedDaemonTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func commandsGiveUpOnAStoppedDaemonAndSavesAreNotCalledLost() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer {
            kill(daemon.processIdentifier, SIGCONT)
            daemon.terminate()
            daemon.waitUntilExit()
        }
        #expect(kill(daemon.processIdentifier, SIGSTOP) == 0)
        var quick = sandbox.environment
        quick["KINDLING_TIMEOUT"] = "2"

        for arguments in [["status"], ["reload"], ["pending"], ["journal"]] {
            let outcome = try run(binDirectory + "/kindling", arguments, environment: quick, timeout: 20)
            #expect(outcome.status == 3, "\(arguments): \(outcome)")
            #expect(outcome.seconds < 6, "\(arguments): \(outcome.seconds) s")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("\(sandbox.socket) did not answer within 2 s"), "\(outcome.stderr)")
        }

        // The note reached the daemon, which will save it once it runs again: "NOT saved" would be
        // untrue (and a retry would save it twice), so the CLI says the outcome is unknown.
        let note = try run(binDirectory + "/kindling", ["note", "patience with a slow machine"], environment: quick, timeout: 20)
        #expect(note.status == 3, "\(note)")
        #expect(!note.stderr.contains("NOT saved"), "\(note.stderr)")
        #expect(note.stderr.contains("is not known"), "\(note.stderr)")
        #expect(note.stderr.contains("kindling journal"), "\(note.stderr)")
        #expect(note.stderr.hasSuffix("patience with a slow machine\n"), "\(note.stderr)")

        // Without KINDLING_TIMEOUT the CLI's own default bounds the wait too.
        let byDefault = try run(binDirectory + "/kindling", ["status"], environment: sandbox.environment, timeout: 30)
        #expect(byDefault.status == 3, "\(byDefault)")
        #expect(byDefault.stderr.contains("did not answer within 10 s"), "\(byDefault.stderr)")
        #expect(byDefault.seconds < 15, "\(byDefault.seconds) s")

        #expect(kill(daemon.processIdentifier, SIGCONT) == 0)
        let journal = try run(binDirectory + "/kindling", ["journal"], environment: quick, timeout: 20)
        #expect(journal.stdout.contains("patience with a slow machine"), "\(journal)")
        print(
            "measured: on a stopped daemon, status/reload/pending/journal/note gave up after ~2 s (KINDLING_TIMEOUT=2), "
                + "status after \(String(format: "%.1f", byDefault.seconds)) s by default")
    }

    @Test func purgeIsRefusedWhileAStoppedDaemonHoldsTheJournal() throws {
        // A real user manager (for `systemctl --user`), with kindlingd started by hand beside it.
        let manager = try UserManager()
        defer { manager.stop() }
        let daemon = try spawnSessionLeader(
            binDirectory + "/kindlingd", [], environment: manager.environment, logPath: manager.root + "/by-hand.log")
        defer {
            kill(daemon, SIGCONT)
            stopSessionLeader(daemon)
        }
        #expect(try waitUntil(timeout: 10) { try manager.kindling("status").status == 0 })
        #expect(kill(daemon, SIGSTOP) == 0)
        var quick = manager.environment
        quick["KINDLING_TIMEOUT"] = "2"
        let purge = try run(binDirectory + "/kindling", ["uninstall", "--purge", "--yes"], environment: quick, timeout: 30)
        // Silent is not gone: the stopped daemon still holds the journal open.
        #expect(purge.status == 1, "\(purge)")
        #expect(purge.stderr.contains("NOT erased"), "\(purge.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: manager.dataHome + "/kindling/journal.sqlite"), "erased under a stopped daemon"
        )
    }

    @Test func watchWaitsForEventsAsLongAsItTakes() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        var quick = sandbox.environment
        quick["KINDLING_TIMEOUT"] = "1"
        let log = sandbox.root + "/watch.log"
        let watcher = try spawnSessionLeader(binDirectory + "/kindling", ["watch", "--json"], environment: quick, logPath: log)
        defer { stopSessionLeader(watcher) }
        // Quiet for three times the request timeout: the stream stays open.
        usleep(3_000_000)
        #expect(isAlive(watcher), "watch ended: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        #expect(try sandbox.kindling("fire", "nudge").status == 0)
        let fired = waitUntil(timeout: 10) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"event\":\"fired\"")
        }
        #expect(fired, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }
}
