import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What another user, or a planted file, could try on kindlingd's files: a symlink or a foreign
/// socket where the socket goes, a loose or foreign socket directory, a journal others can read.
/// Each is refused with a clear message (and nothing outside is touched), or tightened.
@Suite(.serialized) struct FileSecurityTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func requireRoot() throws {
        guard getuid() == 0 else { throw TestSetupError("this test changes file owners and must run as root (CI does)") }
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// kindlingd refuses to start: exit 1, one line saying `says`, and no socket or lock left.
    private func expectRefusal(_ outcome: Outcome, says: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 1, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.contains(says), "\(outcome.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aSymlinkWhereTheSocketGoesIsRefusedAndItsTargetUntouched() throws {
        let sandbox = try Sandbox()
        let victim = sandbox.root + "/victim.txt"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let socket = sandbox.root + "/planted.sock"
        #expect(symlink(victim, socket) == 0)
        let refused = try sandbox.kindlingd("--socket", socket)
        expectRefusal(refused, says: "\(socket) exists and is not a socket")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(mode(socket).map { _ in true } == true, "the planted symlink is the person's to remove")

        // A symlink where the lock file goes: never followed, so nothing is created at its target.
        let other = sandbox.root + "/other.sock"
        let target = sandbox.root + "/created-through-link"
        #expect(symlink(target, other + ".lock") == 0)
        let locked = try sandbox.kindlingd("--socket", other)
        expectRefusal(locked, says: "cannot create the lock file \(other).lock")
        #expect(!FileManager.default.fileExists(atPath: target), "the lock file's symlink was followed")
    }

    @Test func aSocketOwnedByAnotherUserIsRefused() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let path = sandbox.root + "/foreign.sock"
        // A real socket file, left behind by (or planted as) someone else.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        #expect(chown(path, 65534, 65534) == 0)
        let refused = try sandbox.kindlingd("--socket", path)
        expectRefusal(refused, says: "belongs to uid 65534")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_uid == 65534, "the foreign socket must be left alone")
    }

    @Test func aLooseForeignOrSymlinkedSocketDirectoryIsRefused() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let directory = sandbox.root + "/run/kindling"
        #expect(mkdir(directory, 0o755) == 0)
        chmod(directory, 0o755)
        expectRefusal(try sandbox.kindlingd(), says: "run `chmod 700 \(directory)`")

        chmod(directory, 0o700)
        #expect(chown(directory, 65534, 65534) == 0)
        expectRefusal(try sandbox.kindlingd(), says: "belongs to uid 65534")

        #expect(rmdir(directory) == 0)
        let elsewhere = try makePrivateDirectory("kindling-elsewhere")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        #expect(symlink(elsewhere, directory) == 0)
        expectRefusal(try sandbox.kindlingd(), says: "a symlink is refused")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "nothing may be created through the link")
    }

    @Test func theJournalIsPrivateAndLooseModesAreTightened() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let data = sandbox.root + "/data/kindling"
        let first = try sandbox.startDaemon()
        #expect(try sandbox.kindling("note", "a private thought").status == 0)
        #expect(try sandbox.kindling("backup").status == 0)
        #expect(mode(sandbox.root + "/run/kindling") == 0o700)
        #expect(mode(data) == 0o700, "data directory mode \(String(mode(data) ?? 0, radix: 8))")
        // Every file the daemon writes there: the journal, its -wal and -shm, snapshots.
        let files = (FileManager.default.enumerator(atPath: data)?.allObjects as? [String]) ?? []
        #expect(files.contains("journal.sqlite"))
        for file in files {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: data + "/" + file, isDirectory: &isDirectory)
            let expected: mode_t = isDirectory.boolValue ? 0o700 : 0o600
            #expect(mode(data + "/" + file) == expected, "\(file): mode \(String(mode(data + "/" + file) ?? 0, radix: 8))")
        }

        // Another user cannot read it, even with every directory above open to them.
        chmod(sandbox.root, 0o755)
        chmod(sandbox.root + "/data", 0o755)
        let read = try run(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/cat", sandbox.journal],
            environment: sandbox.environment)
        #expect(read.status != 0 && read.stderr.contains("Permission denied"), "\(read)")
        first.terminate()
        first.waitUntilExit()

        // Loosened by mistake (a restore from a backup, a careless chmod): tightened at the next start.
        chmod(data, 0o755)
        chmod(sandbox.journal, 0o644)
        let second = try sandbox.startDaemon()
        defer { second.stopAndWait() }
        // The modes are tightened as the journal opens: at once for a plaintext one, and for an
        // encrypted one once its key is found, a moment after the daemon answers.
        var status = ""
        let opened = try waitUntil(timeout: 15, interval: 0.05) {
            status = try sandbox.kindling("status", "--json").stdout
            let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
            return object?["journal"] as? String == "ok"
        }
        #expect(opened, "the journal did not open: \(status)")
        #expect(mode(data) == 0o700)
        #expect(mode(sandbox.journal) == 0o600)
        print("measured: runtime dir 0700, data dir 0700, journal and every file beside it 0600; loose modes tightened on start")
    }
}
