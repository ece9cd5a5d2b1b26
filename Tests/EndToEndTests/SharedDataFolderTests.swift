import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// KINDLING_DATA_DIR pointed at a folder others share, where another user planted the journal or a
/// file beside it: the daemon runs in degraded mode and says why; it never writes the person's words
/// there and never changes another user's file. Runs as root (CI does), to own files as uid 65534.
@Suite(.serialized) struct SharedDataFolderTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    private func requireRoot() throws {
        guard getuid() == 0 else { throw TestSetupError("this test changes file owners and must run as root (CI does)") }
    }

    private func owner(_ path: String) -> (uid: uid_t, mode: mode_t)? {
        var info = stat()
        return lstat(path, &info) == 0 ? (info.st_uid, info.st_mode & 0o7777) : nil
    }

    /// Starts a daemon on `folder` and checks that it refuses the journal, saying `says`.
    private func expectDegraded(_ folder: String, says: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sandbox = try Sandbox(extraEnvironment: ["KINDLING_DATA_DIR": folder])
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let status = try sandbox.kindling("status", "--json")
        #expect(status.status == 0, "\(status)", sourceLocation: sourceLocation)
        #expect(status.stdout.contains("is not private"), "\(status.stdout)", sourceLocation: sourceLocation)
        #expect(status.stdout.contains(says), "\(status.stdout)", sourceLocation: sourceLocation)
        let note = try sandbox.kindling("note", "for my eyes only")
        #expect(note.status == 1 && note.stderr.contains("NOT saved"), "\(note)", sourceLocation: sourceLocation)
    }

    @Test func aJournalPlantedByAnotherUserInAStickyFolderIsNotUsed() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let shared = sandbox.root + "/shared"
        #expect(mkdir(shared, 0o777) == 0)
        chmod(shared, 0o1777)
        let planted = shared + "/journal.sqlite"
        #expect(FileManager.default.createFile(atPath: planted, contents: Data()))
        chmod(planted, 0o666)
        #expect(chown(planted, 65534, 65534) == 0)

        // The folder is the person's own but sticky and open to all, like /tmp.
        try expectDegraded(shared, says: "belongs to uid 65534")
        #expect(owner(planted)?.uid == 65534 && owner(planted)?.mode == 0o666, "another user's file was changed")
        #expect(try Data(contentsOf: URL(fileURLWithPath: planted)).isEmpty, "something was written into it")
        for sidecar in ["-wal", "-shm"] {
            #expect(owner(planted + sidecar) == nil, "\(sidecar) was created beside another user's journal")
        }

        // Without the planted file, the sticky folder itself is refused.
        #expect(unlink(planted) == 0)
        try expectDegraded(shared, says: "is shared (mode 01777)")
        #expect(owner(planted) == nil, "a journal was created in a shared folder")

        // A folder that belongs to someone else, however private.
        let foreign = sandbox.root + "/foreign"
        #expect(mkdir(foreign, 0o700) == 0)
        #expect(chown(foreign, 65534, 65534) == 0)
        try expectDegraded(foreign, says: "belongs to uid 65534")
        #expect(owner(foreign + "/journal.sqlite") == nil)
    }

    @Test func aSidecarPlantedBesideThePersonsOwnJournalIsNotUsed() throws {
        try requireRoot()
        let sandbox = try Sandbox()
        let folder = sandbox.root + "/mine"
        let first = try Sandbox(extraEnvironment: ["KINDLING_DATA_DIR": folder])
        let daemon = try first.startDaemon()
        #expect(try first.kindling("note", "kept").status == 0)
        daemon.terminate()
        daemon.waitUntilExit()
        _ = unlink(folder + "/journal.sqlite-shm")
        _ = unlink(folder + "/journal.sqlite-wal")

        // Another user's -wal, readable by all.
        #expect(FileManager.default.createFile(atPath: folder + "/journal.sqlite-wal", contents: Data()))
        chmod(folder + "/journal.sqlite-wal", 0o666)
        #expect(chown(folder + "/journal.sqlite-wal", 65534, 65534) == 0)
        try expectDegraded(folder, says: "journal.sqlite-wal belongs to uid 65534")
        #expect(owner(folder + "/journal.sqlite-wal")?.mode == 0o666)
        #expect(unlink(folder + "/journal.sqlite-wal") == 0)

        // A symlink where the -shm goes.
        #expect(symlink(sandbox.root + "/elsewhere", folder + "/journal.sqlite-shm") == 0)
        try expectDegraded(folder, says: "journal.sqlite-shm is not a regular file")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root + "/elsewhere"), "the link was followed")
    }
}
