import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Writes that fail: the person is told the answer was NOT saved and gets the text back,
/// prompts keep coming, and once space returns answers are saved again. CI runs as root,
/// which ignores permission bits: a full disk is a small tmpfs, a read-only directory a
/// read-only bind mount.
@Suite(.serialized) struct StorageFailureTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func mount(_ arguments: [String]) throws {
        let outcome = try run("/usr/bin/mount", arguments, environment: ["PATH": "/usr/bin:/bin"])
        guard outcome.status == 0 else {
            throw TestSetupError("mount \(arguments.joined(separator: " ")) failed: \(outcome.stderr)")
        }
    }

    private func unmount(_ path: String) {
        _ = try? run("/usr/bin/umount", ["-l", path], environment: ["PATH": "/usr/bin:/bin"])
    }

    private func requireRoot() throws {
        guard getuid() == 0 else { throw TestSetupError("this test mounts file systems and must run as root (CI does)") }
    }

    @Test func aFullDiskRefusesTheAnswerKeepsItsTextAndRecovers() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let data = sandbox.root + "/data"
        try mount(["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", data])
        defer { unmount(data) }
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("fire", "nudge").status == 0)

        // Fill what is left of the disk.
        let filler = data + "/filler"
        let fill = try run("/usr/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(fill.stderr.contains("No space left"), "\(fill)")

        let words = "held the door for a neighbour, and it felt good"
        let refused = try sandbox.kindling("respond", words)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("NOT saved"), "\(refused.stderr)")
        #expect(refused.stderr.contains(words), "the text must be given back: \(refused.stderr)")
        let status = try sandbox.kindling("status", "--json")
        #expect(status.status == 0, "the daemon must keep running")
        #expect(status.stdout.contains("could not be saved"), "status should report the failed write: \(status.stdout)")

        // Space returns: the same answer is saved, without a restart.
        try FileManager.default.removeItem(atPath: filler)
        let saved = try sandbox.kindling("respond", words)
        #expect(saved.status == 0, "\(saved)")
        #expect(saved.stdout.hasPrefix("Saved as entry"))
    }

    @Test func aReadOnlyDataDirectoryRunsDegradedAndGivesTheTextBack() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let data = sandbox.root + "/data"
        // A journal that exists, then its directory mounted read-only.
        let first = try sandbox.startDaemon()
        first.terminate()
        first.waitUntilExit()
        try mount(["--bind", data, data])
        defer { unmount(data) }
        try mount(["-o", "remount,ro,bind", data])
        let before = try Data(contentsOf: URL(fileURLWithPath: sandbox.journal))

        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let status = try sandbox.kindling("status", "--json")
        #expect(status.stdout.contains("Read-only file system"), "\(status.stdout)")
        // Prompts still come; answers are refused with the words given back.
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        let refused = try sandbox.kindling("respond", "call my sister")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("NOT saved") && refused.stderr.contains("call my sister"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.journal)) == before, "the journal must be untouched")
    }

    @Test func aDiskFullAtStartRecoversAfterSpaceReturnsWithoutARestart() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let data = sandbox.root + "/data"
        try mount(["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", data])
        defer { unmount(data) }
        // The disk is full before the journal is ever created.
        let filler = data + "/filler"
        let fill = try run("/usr/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(fill.stderr.contains("No space left"), "\(fill)")
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let degraded = try sandbox.kindling("status", "--json")
        #expect(!degraded.stdout.contains(#""journal" : "ok""#), "\(degraded.stdout)")
        #expect(try sandbox.kindling("fire", "intention").status == 0)
        let refused = try sandbox.kindling("note", "while the disk is full")
        #expect(refused.status == 1 && refused.stderr.contains("NOT saved"), "\(refused)")

        // Space returns. The save just refused tried the journal a moment ago: within 30 s a save
        // does not try again, but reload does, at once.
        try FileManager.default.removeItem(atPath: filler)
        let tooSoon = try sandbox.kindling("note", "too soon")
        #expect(tooSoon.status == 1, "\(tooSoon)")
        let reload = try sandbox.kindling("reload")
        #expect(reload.status == 0, "\(reload)")
        let status = try sandbox.kindling("status", "--json")
        #expect(status.stdout.contains(#""journal" : "ok""#), "\(status.stdout)")
        let saved = try sandbox.kindling("note", "space again")
        #expect(saved.status == 0 && saved.stdout.hasPrefix("Saved as entry"), "\(saved)")
        // The prompt delivered while the disk was full still waits, and is answered into the journal.
        let answered = try sandbox.kindling("respond", "be patient")
        #expect(answered.status == 0, "\(answered)")
        #expect(daemon.isRunning)
    }
}
