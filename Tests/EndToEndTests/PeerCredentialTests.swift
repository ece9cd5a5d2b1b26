import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Another user cannot use someone's daemon: the socket's directory and mode keep them out,
/// and should those be loosened, SO_PEERCRED still answers `forbidden`.
@Suite(.serialized) struct PeerCredentialTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// Runs `kindling ARGS` as uid/gid 65534 (nobody) through setpriv.
    func asNobody(_ sandbox: Sandbox, _ arguments: [String]) throws -> Outcome {
        try run(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binDirectory + "/kindling"] + arguments,
            environment: sandbox.environment)
    }

    @Test func anotherUserIsKeptOutOfTheSocket() throws {
        guard getuid() == 0 else {
            throw TestSetupError("this test switches to another uid with setpriv and must run as root (CI does)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is missing")
        let sandbox = try Sandbox()
        // A socket in a directory anyone may enter, so only the socket itself guards it.
        let open = try makePrivateDirectory("kindling-peer")
        defer { try? FileManager.default.removeItem(atPath: open) }
        chmod(open, 0o755)
        chmod(sandbox.root, 0o755)
        chmod(binDirectory, 0o755)
        let socket = open + "/control.sock"
        let daemon = try sandbox.startDaemon(["--socket", socket])
        defer { daemon.stopAndWait() }

        // The socket is 0600: the kernel refuses the connection outright.
        let denied = try asNobody(sandbox, ["status", "--socket", socket])
        #expect(denied.status == 3, "\(denied)")
        #expect(denied.stderr.contains("Permission denied"), "\(denied.stderr)")

        // Loosened by mistake, the socket lets the connection through. Both ends check: the
        // CLI sees the daemon is not its user's and sends nothing (exit 3) ...
        chmod(socket, 0o666)
        let refused = try asNobody(sandbox, ["status", "--socket", socket])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("runs as uid 0, not as you (uid 65534)"), "\(refused.stderr)")
        // ... and the daemon answers any other client of that uid `forbidden`, then closes.
        let raw = try run(
            "/usr/bin/setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
                """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(sys.argv[1])
                s.settimeout(10)
                try:
                    s.sendall(b'{"v":1,"id":1,"cmd":"status"}\\n')
                except OSError:
                    pass
                print(s.recv(65536).decode())
                """,
                socket,
            ], environment: sandbox.environment)
        #expect(raw.stdout.contains("\"forbidden\""), "\(raw)")
        #expect(raw.stdout.contains("belongs to another user"), "\(raw)")
        // The owner is still served.
        #expect(try sandbox.kindling("status", "--socket", socket).status == 0)
    }
}
