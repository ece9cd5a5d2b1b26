import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Where `export -o` and `backup -o` write: only a new or a regular file, replaced only with the
/// person's agreement, and never torn: a failure leaves the old file whole.
@Suite(.serialized)
struct OutputPathTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func info(_ path: String) -> stat? {
        var value = stat()
        return lstat(path, &value) == 0 ? value : nil
    }

    private func requireRoot() throws {
        guard getuid() == 0 else {
            throw TestSetupError("this test makes device nodes and mounts a tmpfs: it must run as root (CI does)")
        }
    }

    /// Leftover temporary files beside a target (named after it, starting with a dot).
    private func leftovers(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func nonRegularTargetsAreRefusedAndLeftAsTheyWere() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "a kept thought").status == 0)
        let device = sandbox.root + "/null-device"
        let fifo = sandbox.root + "/a-fifo"
        let folder = sandbox.root + "/a-folder"
        #expect(try run("/usr/bin/mknod", ["-m", "666", device, "c", "1", "3"], environment: sandbox.environment).status == 0)
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(mkdir(folder, 0o755) == 0)
        for target in [device, fifo, folder] {
            let before = try #require(info(target))
            for arguments in [
                ["export", "-o", target], ["export", "-o", target, "--force"], ["backup", "-o", target, "--force"],
            ] {
                let outcome = try run(binDirectory + "/kindling", arguments, environment: sandbox.environment, timeout: 20)
                #expect(outcome.status == 2, "\(arguments): \(outcome)")
                #expect(outcome.stderr.contains("not a regular file"), "\(arguments): \(outcome.stderr)")
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
                let after = try #require(info(target))
                #expect(after.st_mode == before.st_mode, "\(target): mode \(String(after.st_mode, radix: 8))")
                #expect(after.st_ino == before.st_ino && after.st_rdev == before.st_rdev, "\(target) was replaced")
            }
        }
        #expect(leftovers(in: sandbox.root).isEmpty, "\(leftovers(in: sandbox.root))")
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "a kept thought").status == 0)
        for command in ["export", "backup"] {
            let target = sandbox.root + "/existing-\(command)"
            try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
            chmod(target, 0o644)
            // No terminal to ask on (stdin is /dev/null): refused, exit 2, nothing changed.
            let refused = try run(binDirectory + "/kindling", [command, "-o", target], environment: sandbox.environment)
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
            #expect(info(target).map { $0.st_mode & 0o777 } == 0o644)

            let forced = try run(
                binDirectory + "/kindling", [command, "-o", target, "--force"], environment: sandbox.environment)
            #expect(forced.status == 0, "\(forced)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) != Data("precious\n".utf8))
            #expect(info(target).map { $0.st_mode & 0o777 } == 0o600)
            // A new file needs no --force.
            let fresh = sandbox.root + "/fresh-\(command)"
            let created = try run(binDirectory + "/kindling", [command, "-o", fresh], environment: sandbox.environment)
            #expect(created.status == 0, "\(created)")
            #expect(info(fresh).map { $0.st_mode & 0o777 } == 0o600)
        }
        let exported = try String(contentsOfFile: sandbox.root + "/existing-export", encoding: .utf8)
        #expect(exported.contains("a kept thought"), "\(exported)")
        #expect(leftovers(in: sandbox.root).isEmpty, "\(leftovers(in: sandbox.root))")
    }

    @Test func aFullDiskLeavesTheOldExportWhole() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // About 300 KB of journal, to be exported onto a 128 KiB disk holding a good export.
        for number in 1...10 {
            let text = String(repeating: "note \(number) kindly ", count: 1500)
            #expect(try sandbox.kindling("note", text).status == 0)
        }
        let disk = sandbox.root + "/small-disk"
        #expect(mkdir(disk, 0o700) == 0)
        let mounted = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=128k", "tmpfs", disk], environment: sandbox.environment)
        try #require(mounted.status == 0, "\(mounted)")
        defer { _ = try? run("/bin/umount", [disk], environment: sandbox.environment) }
        let target = disk + "/journal.jsonl"
        let good = "{\"kindling_export\":1}\nthe good export from last week\n"
        try good.write(toFile: target, atomically: false, encoding: .utf8)

        let outcome = try run(binDirectory + "/kindling", ["export", "-o", target, "--force"], environment: sandbox.environment)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stderr.contains("left as it was"), "\(outcome.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == good, "the old export was torn")
        #expect(leftovers(in: disk).isEmpty, "\(leftovers(in: disk))")
    }

    @Test func atATerminalTheCommandAsksBeforeReplacing() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "a kept thought").status == 0)
        let target = sandbox.root + "/asked.jsonl"
        for (answer, replaced) in [("n", false), ("y", true)] {
            try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
            let session = try run(
                "/bin/sh",
                [
                    "-c",
                    "(sleep 0.5; printf '\(answer)\\n'; sleep 0.5) | script -q -e -c '\(binDirectory)/kindling export -o \(target)' /dev/null",
                ], environment: sandbox.environment)
            #expect(session.status == 0, "\(session)")
            #expect(session.stdout.contains("already exists. Replace it with the export? [y/N]"), "\(session)")
            let contents = try String(contentsOfFile: target, encoding: .utf8)
            #expect((contents != "precious\n") == replaced, "answer \(answer): \(contents.prefix(200))")
        }
    }
}

extension OutputPathTests {
    /// An export stopped half-way by SIGTERM, SIGINT or SIGHUP leaves no hidden copy of the
    /// journal beside its target, and the target as it was.
    @Test func anInterruptedExportLeavesNoHiddenCopy() throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        // Enough text that the export streams for a while: 2,000 notes of 30 KB.
        let body = String(repeating: "a long evening of small kindnesses ", count: 850)
        let header = sandbox.root + "/header.jsonl"
        try #require(try sandbox.kindling("export", "--output", header).status == 0)
        var lines = [try String(contentsOfFile: header, encoding: .utf8).split(separator: "\n").map(String.init).first ?? ""]
        for n in 0..<2_000 {
            let minute = String(format: "%02d:%02d", n / 60 % 24, n % 60)
            lines.append(
                #"{"type":"note","at":"2026-11-20T\#(minute):00.000+00:00","local_date":"2026-11-20","text":"\#(n) \#(body)"}"#)
        }
        let source = sandbox.root + "/many.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: source, atomically: true, encoding: .utf8)
        let imported = try run(binDirectory + "/kindling", ["import", source], environment: sandbox.environment, timeout: 120)
        try #require(imported.status == 0, "\(imported.stderr.prefix(300))")

        let folder = sandbox.root + "/out"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var interrupted = 0
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            let pid = try spawnSessionLeader(
                binDirectory + "/kindling", ["export", "--output", folder + "/journal.jsonl", "--force"],
                environment: sandbox.environment, logPath: sandbox.root + "/export.log")
            // The moment the hidden copy appears, the export is under way: stop it there.
            let started = waitUntil(timeout: 20, interval: 0.001) {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains {
                    $0.hasPrefix(".journal.jsonl.")
                }
            }
            kill(pid, signal)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            if started, status & 0x7F == signal { interrupted += 1 }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
            #expect(left.isEmpty, "signal \(signal) left \(left)")
        }
        #expect(interrupted >= 2, "only \(interrupted) of 3 exports were caught mid-way; the test proves nothing")
    }
}
