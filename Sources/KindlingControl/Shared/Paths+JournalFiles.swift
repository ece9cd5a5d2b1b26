import FoundationEssentials

extension Paths {
    /// The snapshots folder inside ``dataDirectory`` (daily and before-restore copies).
    public var snapshotDirectory: String { dataDirectory + "/snapshots" }

    /// Every file that holds (or may hold) the journal's words, as it is on disk now: the
    /// journal, its SQLite sidecars, copies left half-made by a restore or a backup that was
    /// interrupted, and everything in the snapshots folder. `erase --all` and
    /// `uninstall --purge` remove exactly these; other files in the data folder are not the
    /// journal's and stay.
    public func journalFiles() -> [String] {
        let journal = databaseFile
        var files = [journal, journal + "-wal", journal + "-shm", journal + "-journal"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory)) ?? []
        // `.journal-restore-PID.sqlite`, a copy's temporary `..journal-restore-PID.sqlite.tmp-…`
        // and a backup's `.journal.sqlite.tmp-…`, each with its sidecars: the journal's own names.
        let leftovers = names.filter { $0.hasPrefix(".journal") || $0.hasPrefix("..journal") }
        files += leftovers.sorted().map { dataDirectory + "/" + $0 }
        let snapshots = ((try? FileManager.default.contentsOfDirectory(atPath: snapshotDirectory)) ?? []).sorted()
        files += snapshots.map { snapshotDirectory + "/" + $0 }
        return files.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// What says where an encrypted journal's key is kept (a passphrase's Argon2id record,
    /// Kindling's keyring mark), as it is on disk now. Never the key itself. `erase --all`
    /// keeps these, so that the fresh journal is encrypted as the old one was;
    /// `uninstall --purge` removes them with the journal.
    public func keyFiles() -> [String] {
        [databaseFile + ".key-params", databaseFile + ".keyring"].filter { FileManager.default.fileExists(atPath: $0) }
    }
}
