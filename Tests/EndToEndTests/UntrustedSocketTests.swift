import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Another user plants a listener where `kindling` looks for its daemon. The CLI must refuse it
/// before writing a byte (exit 3, one line): the person's words never reach a stranger.
@Suite(.serialized) struct UntrustedSocketTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// A listener that appends every byte it receives to `log` and answers each line with a
    /// made-up "saved" reply, as an impostor would. `folderMode` creates the socket's folder
    /// first with that mode; `dropTo` binds as the caller, then runs as that uid before listening
    /// (SO_PEERCRED reports the uid at listen time).
    static let listenerScript = """
        import os, socket, sys
        path, log, folder_mode, drop_to = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        if folder_mode != "-":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.chmod(os.path.dirname(path), int(folder_mode, 8))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        os.chmod(path, 0o777)
        if drop_to != "-":
            os.setgroups([])
            os.setresgid(int(drop_to), int(drop_to), int(drop_to))
            os.setresuid(int(drop_to), int(drop_to), int(drop_to))
        s.listen(8)
        print("listening", flush=True)
        while True:
            c, _ = s.accept()
            c.settimeout(5)
            try:
                while True:
                    data = c.recv(65536)
                    if not data:
                        break
                    with open(log, "ab") as f:
                        f.write(data)
                    for _ in range(data.count(b"\\n")):
                        c.sendall(b'{"v":1,"id":1,"ok":true,"result":{"id":4242,"type":"note","text":"x","at":"2026-01-01T00:00:00.000+00:00","local_date":"2026-01-01"}}\\n')
            except Exception:
                pass
            c.close()
        """

    private struct Listener {
        let pid: pid_t
        let log: String
        var received: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        func stop() { stopSessionLeader(pid) }
    }

    private func requireRoot() throws {
        guard getuid() == 0 else {
            throw TestSetupError("this test runs processes as other users with setpriv and must run as root (CI does)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is missing")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is missing")
    }

    /// Starts the listener (through `prefix`, e.g. setpriv) and waits until it listens.
    private func startListener(
        prefix: [String], socket: String, folderMode: String, dropTo: String, scratch: String
    ) throws -> Listener {
        let script = scratch + "/listener.py"
        try Self.listenerScript.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        let log = scratch + "/received"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        chmod(log, 0o666)
        let command = prefix + ["/usr/bin/python3", script, socket, log, folderMode, dropTo]
        let pid = try spawnSessionLeader(
            command[0], Array(command.dropFirst()), environment: ["PATH": "/usr/bin:/bin"], logPath: scratch + "/listener.out")
        let ready = { ((try? String(contentsOfFile: scratch + "/listener.out", encoding: .utf8)) ?? "").contains("listening") }
        guard waitUntil(timeout: 10, ready) else {
            stopSessionLeader(pid)
            throw TestSetupError("the test's listener did not start at \(socket)")
        }
        return Listener(pid: pid, log: log)
    }

    /// The refusal DESIGN.md asks for: exit 3, one line naming what was wrong, nothing on stdout.
    /// A command that saves then gives the person's text back (it truly was not sent).
    private func expectRefused(
        _ outcome: Outcome, saying words: String, keeping text: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(outcome.status == 3, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, "\(outcome)", sourceLocation: sourceLocation)
        #expect(!outcome.stderr.contains("4242"), "\(outcome)", sourceLocation: sourceLocation)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.first?.contains(words) == true, "\(outcome.stderr)", sourceLocation: sourceLocation)
        if let text {
            #expect(lines.count == 3, "\(outcome.stderr)", sourceLocation: sourceLocation)
            #expect(lines.dropFirst().first?.contains("NOT saved") == true, "\(outcome.stderr)", sourceLocation: sourceLocation)
            #expect(lines.last.map(String.init) == text, "\(outcome.stderr)", sourceLocation: sourceLocation)
        } else {
            #expect(lines.count == 1, "\(outcome.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func aSocketFolderPlantedByAnotherUserIsRefusedBeforeAByteIsSent() throws {
        try requireRoot()
        // The person is uid 65533 with no XDG_RUNTIME_DIR; the stranger (65534) got to their
        // fallback folder first, made it 0755 and listens there.
        let folder = "/tmp/kindling-65533"
        try? FileManager.default.removeItem(atPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scratch = try makePrivateDirectory("kindling-impostor")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        chmod(scratch, 0o755)
        chmod(binDirectory, 0o755)
        // A home that does not exist, in a folder the person may search: "/nonexistent" can exist
        // on a machine (made by some other program as root, mode 0700), and an unreadable config
        // rightly stops the daemon before it ever looks at the socket folder.
        let home = scratch + "/no-home"
        let listener = try startListener(
            prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            socket: folder + "/control.sock", folderMode: "755", dropTo: "-", scratch: scratch)
        defer { listener.stop() }

        let note = try run(
            "/usr/bin/setpriv",
            ["--reuid=65533", "--regid=65533", "--clear-groups", binDirectory + "/kindling", "note", "a secret kindness"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": home])
        expectRefused(note, saying: folder, keeping: "a secret kindness")
        #expect(listener.received.isEmpty, "the listener received: \(listener.received)")

        // Even at mode 0700 the folder is not the person's: still refused.
        chmod(folder, 0o700)
        let status = try run(
            "/usr/bin/setpriv", ["--reuid=65533", "--regid=65533", "--clear-groups", binDirectory + "/kindling", "status"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": home])
        expectRefused(status, saying: "belongs to uid 65534")
        #expect(listener.received.isEmpty, "the listener received: \(listener.received)")

        // The person's daemon will not use that folder either: it refuses to start there.
        let daemon = try run(
            "/usr/bin/setpriv", ["--reuid=65533", "--regid=65533", "--clear-groups", binDirectory + "/kindlingd"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": home, "SWIFT_BACKTRACE": "enable=no"], timeout: 20)
        #expect(daemon.status == 1, "\(daemon)")
        #expect(daemon.stderr.contains("the socket directory \(folder) belongs to uid 65534"), "\(daemon)")
    }

    @Test func aListenerRunningAsAnotherUserIsRefusedBeforeAByteIsSent() throws {
        try requireRoot()
        // The folder is the person's own and private, yet the process behind the socket is not
        // theirs (here: bound by root, then run as 65534): only SO_PEERCRED can tell.
        let sandbox = try Sandbox()
        let folder = sandbox.root + "/run/kindling"
        #expect(mkdir(folder, 0o700) == 0)
        let scratch = try makePrivateDirectory("kindling-impostor")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        chmod(scratch, 0o755)
        let listener = try startListener(
            prefix: [], socket: sandbox.socket, folderMode: "-", dropTo: "65534", scratch: scratch)
        defer { listener.stop() }

        for (arguments, text) in [
            (["note", "a secret kindness"], "a secret kindness"), (["status"], nil), (["edit", "3", "new words"], "new words"),
        ] {
            let outcome = try run(binDirectory + "/kindling", arguments, environment: sandbox.environment)
            expectRefused(outcome, saying: "uid 65534", keeping: text)
        }
        // The shell-prompt marker never prints an error: it stays silent, and sends nothing either.
        let marker = try run(binDirectory + "/kindling", ["pending", "--short"], environment: sandbox.environment)
        #expect(marker.stdout.isEmpty && marker.stderr.isEmpty, "\(marker)")
        // An explicit --socket gets the same check.
        let explicit = try run(
            binDirectory + "/kindling", ["note", "--socket", sandbox.socket, "another secret"], environment: sandbox.environment)
        expectRefused(explicit, saying: "uid 65534", keeping: "another secret")
        #expect(listener.received.isEmpty, "the listener received: \(listener.received)")
    }
}
