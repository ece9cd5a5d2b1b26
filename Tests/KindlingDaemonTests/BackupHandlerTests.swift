import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import Testing

@testable import KindlingDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// backup, restore and the daily snapshot against a real in-process daemon and journal. The harness
/// starts on Saturday 2026-11-21, 12:00 UTC.
@Suite(.serialized) struct BackupHandlerTests {
    typealias Harness = DaemonTests.Harness

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o7777
    }

    private func snapshots(_ harness: Harness) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: harness.root + "/data/kindling/snapshots")) ?? []).sorted()
    }

    private func noteTexts(_ harness: Harness) throws -> [String] {
        try harness.call(Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil)).get()
            .days.flatMap(\.notes).map(\.text).sorted()
    }

    @Test func theFirstTickOfEachDayTakesADailySnapshotAndOnlySevenAreKept() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        let folder = harness.root + "/data/kindling/snapshots"
        #expect(snapshots(harness) == ["journal-2026-11-21.sqlite"])
        #expect(mode(folder) == 0o700)
        #expect(mode(folder + "/journal-2026-11-21.sqlite") == 0o600)

        // Later the same day: nothing new.
        harness.clock.advance(by: 3600)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        #expect(snapshots(harness).count == 1)

        // Older snapshots, and a file that is not one, in the folder.
        for day in 10...17 {
            _ = FileManager.default.createFile(atPath: folder + "/journal-2026-11-\(day).sqlite", contents: Data())
        }
        _ = FileManager.default.createFile(atPath: folder + "/keep-me.txt", contents: Data())
        harness.clock.advance(by: 86_400)
        harness.daemon.queue.sync { harness.daemon.scheduler.tick() }
        // The newest seven daily snapshots stay; other files are not Kindling's to remove.
        #expect(
            snapshots(harness) == [
                "journal-2026-11-13.sqlite", "journal-2026-11-14.sqlite", "journal-2026-11-15.sqlite",
                "journal-2026-11-16.sqlite", "journal-2026-11-17.sqlite", "journal-2026-11-21.sqlite",
                "journal-2026-11-22.sqlite", "keep-me.txt",
            ])
        #expect(try harness.call(Request.Status()).get().lastError == nil)
    }

    @Test func backupWritesTheFileAskedForOrTodaysSnapshot() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        _ = try harness.call(Request.Note(text: "held the door", kind: "given")).get()
        let target = harness.root + "/my-backup.sqlite"
        let result = try harness.call(Request.Backup(output: target)).get()
        #expect(result.path == target)
        #expect(mode(target) == 0o600)
        try AppDatabase.checkRestorable(path: target)

        let snapshot = try harness.call(Request.Backup(output: nil)).get()
        #expect(snapshot.path == harness.root + "/data/kindling/snapshots/journal-2026-11-21.sqlite")

        guard case .failure(let itself) = try harness.call(Request.Backup(output: harness.daemon.paths.databaseFile))
        else {
            Issue.record("a backup over the journal itself was taken")
            return
        }
        #expect(itself.code == .badRequest)
        guard
            case .failure(let nowhere) = try harness.call(
                Request.Backup(output: harness.root + "/no/such/dir/x.sqlite"))
        else {
            Issue.record("a backup into a missing folder succeeded")
            return
        }
        #expect(nowhere.code == .storage)
        #expect(nowhere.message.contains("no backup was taken"), "\(nowhere.message)")
    }

    @Test func restoreSwapsTheJournalAndKeepsTheOldOneAsASnapshot() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        _ = try harness.call(Request.Note(text: "before the backup", kind: nil)).get()
        let backup = harness.root + "/backup.sqlite"
        _ = try harness.call(Request.Backup(output: backup)).get()
        _ = try harness.call(Request.Note(text: "after the backup", kind: nil)).get()

        let restored = try harness.call(Request.Restore(path: backup)).get()
        #expect(restored.path == harness.daemon.paths.databaseFile)
        let previous = try #require(restored.previousSnapshot)
        #expect(previous.hasPrefix(harness.root + "/data/kindling/snapshots/journal-before-restore-20261121-120000"))
        #expect(mode(previous) == 0o600)
        #expect(try noteTexts(harness) == ["before the backup"])
        // The journal is live: it takes new entries.
        _ = try harness.call(Request.Note(text: "after the restore", kind: nil)).get()
        #expect(try noteTexts(harness) == ["after the restore", "before the backup"])

        // And the snapshot holds what was there before.
        let again = try harness.call(Request.Restore(path: previous)).get()
        #expect(again.previousSnapshot != previous)
        #expect(try noteTexts(harness) == ["after the backup", "before the backup"])
        #expect(try harness.call(Request.Status()).get().journal == "ok")
    }

    @Test func restoreRefusesWhatIsNotASoundJournalAndChangesNothing() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        _ = try harness.call(Request.Note(text: "kept", kind: nil)).get()
        let garbage = harness.root + "/garbage.sqlite"
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let before = snapshots(harness)
        for path in [garbage, harness.root + "/missing.sqlite", harness.daemon.paths.databaseFile] {
            guard case .failure(let error) = try harness.call(Request.Restore(path: path)) else {
                Issue.record("\(path) was restored")
                continue
            }
            #expect(error.code == .badRequest, "\(error)")
            #expect(error.message.contains(path), "\(error.message)")
        }
        #expect(snapshots(harness) == before)
        #expect(try noteTexts(harness) == ["kept"])
    }

    @Test func restoreRepairsADamagedJournalAndLeavesDegradedMode() throws {
        let harness = try Harness(config: JournalHandlerTests.config)
        _ = try harness.call(Request.Note(text: "worth keeping", kind: nil)).get()
        let backup = harness.root + "/backup.sqlite"
        _ = try harness.call(Request.Backup(output: backup)).get()

        // The journal is damaged under a running daemon, as it would be found at start.
        let journal = harness.daemon.paths.databaseFile
        try harness.daemon.queue.sync {
            try harness.daemon.journal.close()
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: journal))
            harness.daemon.journalProblem = "the journal at \(journal) is damaged"
            harness.daemon.journalSummary = "the journal is damaged"
            harness.daemon.journal = AppDatabase.inMemory()
        }
        #expect(try harness.call(Request.Status()).get().journal != "ok")

        let restored = try harness.call(Request.Restore(path: backup)).get()
        let previous = try #require(restored.previousSnapshot)
        // The damaged file is kept byte for byte.
        #expect(try Data(contentsOf: URL(fileURLWithPath: previous)) == Data(repeating: 0x5A, count: 8192))
        let status = try harness.call(Request.Status()).get()
        #expect(status.journal == "ok")
        #expect(!status.statusLine.contains("not being saved"), "\(status.statusLine)")
        #expect(harness.daemon.queue.sync { harness.daemon.journalProblem } == nil)
        #expect(try noteTexts(harness) == ["worth keeping"])
        _ = try harness.call(Request.Note(text: "saved again", kind: nil)).get()
    }

    @Test func backupAndRestoreArgumentsAreChecked() throws {
        for (line, message) in [
            (#"{"v":1,"id":1,"cmd":"backup","output":"relative.sqlite"}"#, "absolute"),
            (#"{"v":1,"id":2,"cmd":"restore"}"#, "path"),
            (#"{"v":1,"id":3,"cmd":"restore","path":"x.sqlite"}"#, "absolute"),
        ] {
            guard case .failure(let failure) = RequestEnvelope.decode(Data(line.utf8)) else {
                Issue.record("\(line) was accepted")
                continue
            }
            #expect(failure.error.code == .badRequest)
            #expect(failure.error.message.contains(message), "\(failure.error.message)")
        }
        let request = Request.Backup(output: "/tmp/x.sqlite")
        #expect(
            try RequestEnvelope.decode(RequestEnvelope(id: 4, request: request).encoded()).get().request as? Request.Backup
                == request)
        let restore = Request.Restore(path: "/tmp/x.sqlite")
        #expect(
            try RequestEnvelope.decode(RequestEnvelope(id: 5, request: restore).encoded()).get().request as? Request.Restore
                == restore)
    }
}
