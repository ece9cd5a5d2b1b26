import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// systemd may stop a service the moment it reports READY=1. A SIGTERM sent then must stop
/// kindlingd cleanly, every time (it was once lost before the signal sources were registered).
@Suite(.serialized) struct EarlySignalTests {
    @Test func aSigtermRightAfterReadyStopsTheDaemon() throws {
        for round in 1...10 {
            let sandbox = try DaemonProcessTests.Sandbox()
            let notify = try DatagramSocket(path: sandbox.root + "/notify.sock")
            var environment = sandbox.environment
            environment["NOTIFY_SOCKET"] = notify.path
            let pid = try spawnSessionLeader(
                binDirectory + "/kindlingd", [], environment: environment, logPath: sandbox.root + "/daemon.log")
            defer { stopSessionLeader(pid, grace: 1) }

            var ready = false
            _ = waitUntil(timeout: 10, interval: 0) {
                while let message = notify.receive() {
                    if String(decoding: message, as: UTF8.self).split(separator: "\n").contains("READY=1") { ready = true }
                }
                return ready
            }
            try #require(ready, "round \(round): no READY=1")
            kill(pid, SIGTERM)
            let stopped = waitUntil(timeout: 3) { !isAlive(pid) }
            #expect(stopped, "round \(round): SIGTERM right after READY=1 did not stop kindlingd")
            #expect(!FileManager.default.fileExists(atPath: sandbox.socket), "round \(round): the socket was left behind")
        }
    }
}
