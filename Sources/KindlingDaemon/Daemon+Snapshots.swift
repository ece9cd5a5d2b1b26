import Foundation
import KindlingCore
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// Snapshots: a copy of the journal each day in `<data dir>/snapshots` (0700), the last
/// ``snapshotsKept`` kept, and one before every restore.
extension Daemon {
    /// Daily snapshots kept; older ones are removed when a new one is taken.
    static let snapshotsKept = 7

    var snapshotDirectory: String { paths.snapshotDirectory }

    /// `journal-YYYY-MM-DD.sqlite` for the local date of `instant`.
    func dailySnapshotPath(at instant: Date) -> String {
        snapshotDirectory + "/journal-\(journalDate(of: instant).description).sqlite"
    }

    /// Called on every scheduler tick: takes today's snapshot unless it exists (one stat).
    /// In degraded mode there is nothing sound to copy.
    func snapshotIfDue(now: Date) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard journalProblem == nil, journal.path != nil else { return }
        let path = dailySnapshotPath(at: now)
        guard access(path, F_OK) != 0 else { return }
        do throws(StoreError) {
            try takeSnapshot(to: path)
            log.info("took the daily snapshot \(path)")
        } catch {
            recordProblem("the daily snapshot could not be taken: \(error.description)")
        }
    }

    /// Copies the journal to `path` (in the snapshots folder, created 0700) and prunes old daily snapshots.
    @discardableResult
    func takeSnapshot(to path: String) throws(StoreError) -> String {
        try createSnapshotDirectory()
        let written = try journal.backup(to: path)
        pruneSnapshots()
        return written
    }

    func createSnapshotDirectory() throws(StoreError) {
        let directory = snapshotDirectory
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .unwritable(path: directory, reason: "cannot create the snapshots folder: \(String(cString: strerror(errno)))")
        }
        _ = chmod(directory, 0o700)
    }

    /// Removes all but the newest ``snapshotsKept`` daily snapshots, and the snapshots taken
    /// before a restore once they are older than ``snapshotsKept`` days (they are kept to undo a
    /// restore, which matters in the days after it). Other files are left alone.
    func pruneSnapshots() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: snapshotDirectory)) ?? []
        let daily = names.filter(Self.isDailySnapshot).sorted()
        for name in daily.dropLast(Self.snapshotsKept) {
            _ = unlink(snapshotDirectory + "/" + name)
        }
        // By the date in the name: scrubbing an edit out of a snapshot changes its mtime.
        let cutoff = RestoreHandler.stamp(clock.now.addingTimeInterval(-Double(Self.snapshotsKept) * 86_400), in: timeZone)
            .prefix(8)
        for name in names {
            guard let taken = Self.beforeRestoreDate(name), taken < cutoff else { continue }
            _ = unlink(snapshotDirectory + "/" + name)
            _ = unlink(snapshotDirectory + "/" + name + "-wal")
        }
    }

    /// The name of the snapshot `restore` takes first: `journal-before-restore-STAMP[-N].sqlite`,
    /// STAMP being `YYYYMMDD-HHMMSS` and N (from 2) telling apart two restores in one second.
    static func beforeRestoreSnapshotName(stamp: String, suffix: Int? = nil) -> String {
        beforeRestorePrefix + stamp + (suffix.map { "-\($0)" } ?? "") + ".sqlite"
    }

    private static let beforeRestorePrefix = "journal-before-restore-"

    /// `YYYYMMDD` of a name made by ``beforeRestoreSnapshotName(stamp:suffix:)``.
    static func beforeRestoreDate(_ name: String) -> Substring? {
        let prefix = beforeRestorePrefix
        guard name.hasPrefix(prefix), name.hasSuffix(".sqlite") else { return nil }
        let date = name.dropFirst(prefix.count).prefix(8)
        return date.count == 8 && date.allSatisfy({ $0.isASCII && $0.isNumber }) ? date : nil
    }

    /// `journal-YYYY-MM-DD.sqlite`.
    static func isDailySnapshot(_ name: String) -> Bool {
        guard name.hasPrefix("journal-"), name.hasSuffix(".sqlite") else { return false }
        let date = name.dropFirst("journal-".count).dropLast(".sqlite".count)
        return date.count == 10
            && date.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
            }
    }
}
