import Foundation
import KeyringFixture
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the encrypted pass of the end-to-end tests (KINDLING_TEST_JOURNAL=encrypted) found,
/// kept as tests of their own so that every `make test` runs them. They belong to the
/// serialized DaemonProcessTests: an idle window must not overlap its storm of clock sets, during
/// which a daemon with a keyring on its session bus woke about once a second (the storm test's
/// own daemon, on no bus, sleeps through it).
extension DaemonProcessTests {
    typealias Encryption = EncryptionEndToEndTests

    /// An encrypted journal leaves the daemon as idle as a plaintext one, after the first start
    /// encrypts a new journal (what a new install on a desktop with a keyring does) and after
    /// each `kindling decrypt` and `encrypt`. Each closes the journal it had, and GRDB's pool
    /// freed its reader connections then: the first dispatch queue freed started libdispatch's
    /// 1 Hz worker-pool monitor, which woke the daemon every second until it stopped.
    @Test func theDaemonSleepsAfterEachChangeOfKey() throws {
        try withEncryptedDaemon { sandbox, daemon, started in
            // This bus has no notification server, so the scheduler starts once the daemon's
            // wait for the desktop to settle ends (2 s after the start): a wakeup of its own.
            let settled = started.addingTimeInterval(3).timeIntervalSinceNow
            if settled > 0 { usleep(UInt32(settled * 1e6)) }
            expectAsleep(daemon, "after the first start encrypted the new journal")

            let decrypt = try sandbox.kindling("decrypt", "--yes")
            #expect(decrypt.status == 0, "\(decrypt)")
            #expect(try Encryption.waitForJournal("plaintext", sandbox)["journal"] as? String == "plaintext")
            expectAsleep(daemon, "after decrypt")

            let encrypt = try sandbox.kindling("encrypt")
            #expect(encrypt.status == 0, "\(encrypt)")
            #expect(try Encryption.waitForJournal("encrypted", sandbox)["journal"] as? String == "encrypted")
            expectAsleep(daemon, "after encrypt")
        }
    }

    /// A second kindlingd on the same socket says one line and leaves the journal alone: it
    /// used to open the journal first (on an encrypted one, a line about looking for its key;
    /// beside a journal the first daemon was converting, key records it took for leftovers).
    @Test func aSecondDaemonSaysOneLineAndTouchesNothing() throws {
        try withEncryptedDaemon { sandbox, _, _ in
            let folder = (sandbox.journal as NSString).deletingLastPathComponent
            let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()

            let second = try sandbox.kindlingd()
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
            #expect(second.stderr.contains("already running"), "\(second.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
            #expect(try Encryption.encryption(sandbox)["journal"] as? String == "encrypted")
        }
    }

    /// Runs `body` with a daemon whose first start encrypted its new journal, the key in a
    /// real keyring on a bus of its own; `started` is when the daemon answered.
    private func withEncryptedDaemon(_ body: (Sandbox, TestProcess, _ started: Date) throws -> Void) throws {
        try Encryption.requireTools()
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let sandbox = try Encryption.sandbox(on: keyring)
        let daemon = try sandbox.startDaemon()
        let started = Date()
        defer { daemon.stopAndWait() }
        #expect(try Encryption.waitForJournal("encrypted", sandbox)["journal"] as? String == "encrypted")
        try body(sandbox, daemon, started)
    }

    /// The window starts a second after the last request (issue 12's measure), past the
    /// daemon's own work after a change of key (snapshots brought in line).
    private func expectAsleep(_ daemon: TestProcess, _ when: String) {
        sleep(1)
        let (woken, threads) = wakeups(of: daemon.processIdentifier, in: 3)
        print("measured: \(woken) context switches in 3 s idle \(when)")
        #expect(woken <= 1, "the idle daemon woke up \(woken) times in 3 s \(when): \(threads)")
    }
}
