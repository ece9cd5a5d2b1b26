import Foundation
import KindlingCore
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// After an edit or a deletion, the old words leave the places the daemon keeps copies of the
/// journal: the WAL (checkpointed and truncated) and every automatic snapshot (scrubbed entry by
/// entry, so a snapshot still restores everything else). Files the person wrote with
/// `backup --output` or `export` are theirs and are not touched.
extension Daemon {
    /// Clears the old words of `change` from the WAL and the snapshots. Returns the places that
    /// could not be cleared (logged and kept as the last error): the edit itself stands.
    @discardableResult
    func eraseOldWords(_ change: EntryChange) -> [String] {
        dispatchPrecondition(condition: .onQueue(queue))
        forgetKeptWords()
        var uncleared: [String] = []
        if !journal.checkpointAndTruncate() {
            uncleared.append("the journal's write-ahead log")
            recordProblem("the journal's WAL could not be emptied after an edit; it will be at the next change")
        }
        var scrubbed = 0
        for path in snapshotFiles() {
            do throws(StoreError) {
                if try AppDatabase.scrubSnapshot(at: path, key: key(forCopy: path), applying: change) { scrubbed += 1 }
            } catch {
                uncleared.append(path)
                recordProblem("a snapshot still holds an edited or deleted entry: \(error.description)")
            }
        }
        if scrubbed > 0 { log.info("changed entry \(change.id) in \(scrubbed) snapshot(s) too") }
        return uncleared
    }

    /// The key to read a copy of the journal at `path` (a snapshot, a backup) with: the
    /// journal's own when the file is encrypted (every copy is made with it, and an encryption
    /// converts the snapshots there were), none when it is plaintext.
    func key(forCopy path: String) -> JournalKey? {
        AppDatabase.looksEncrypted(path) ? journalKey : nil
    }

    /// Forgets every copy of the person's words the daemon keeps in memory to answer quickly:
    /// the journal pages and stats it sent, the status snapshot (this morning's intention), and
    /// the next instant's prompts readied ahead (a reflection quotes the intention). Called when
    /// words are edited or deleted, and when the whole journal is erased or replaced; what is
    /// needed again is made afresh from the journal as it now is.
    func forgetKeptWords() {
        viewCache = ViewCache()
        statusCache = nil
        lifecycle?.forgetPrepared()
    }

    /// Every journal copy in the snapshots folder: daily and before-restore ones.
    func snapshotFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: snapshotDirectory)) ?? []
        return names.filter { $0.hasPrefix("journal-") && $0.hasSuffix(".sqlite") }.sorted().map {
            snapshotDirectory + "/" + $0
        }
    }
}
