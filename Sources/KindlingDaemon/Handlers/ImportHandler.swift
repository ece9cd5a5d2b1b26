import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `import`: a batch of exported entries; those the journal already has (same type, instant and text)
/// are skipped, the others saved with their original times. The CLI sends a file in requests of
/// at most 64 KiB each, marked `more` until the last: the daemon holds their entries on the
/// connection and saves them together, one transaction per ``HeldImport/entriesPerTransaction``
/// entries, so that a large file costs a few commits rather than one per request.
///
/// What a failure leaves: every transaction is whole or absent. A refused batch (an invalid entry)
/// saves nothing of itself nor of what was held, and what earlier transactions saved stays; the
/// replies count only what was saved, so the CLI always knows how much that was. A connection
/// that closes mid-import takes what it held with it, unsaved.
enum ImportHandler {
    static func handle(_ daemon: Daemon, entries: [ExportEntry], more: Bool = false, connection: Connection? = nil)
        -> Result<ImportResult, ControlError>
    {
        var held = connection?.heldImport ?? HeldImport()
        connection?.heldImport = HeldImport()
        for (index, entry) in entries.enumerated() {
            switch ImportRules.record(entry) {
            case .success(let record): held.append(record)
            case .failure(let invalid):
                return .failure(
                    ControlError(.badRequest, "nothing was imported: entry \(index + 1) of the batch \(invalid.reason)"))
            }
        }
        if more, let connection, !held.isFull {
            connection.heldImport = held
            return .success(ImportResult(added: 0, skipped: 0))
        }
        do throws(StoreError) {
            // A large batch on a slow disk can take a while: SQLite's progress reports keep the
            // watchdog fed while the statements move, and a stuck one stops feeding it.
            let counts = try daemon.journal.importEntries(
                held.records, at: daemon.clock.now, progress: { [notifier = daemon.notifier] in notifier.keepAlive() })
            return .success(ImportResult(added: counts.added, skipped: counts.skipped))
        } catch {
            return .failure(daemon.journalWriteFailure(error, "nothing was imported"))
        }
    }
}

/// Entries of an import under way, validated and not yet saved (see ``ImportHandler``).
struct HeldImport {
    /// A transaction this large takes well under a second, and a 100,000-entry file ten of them.
    static let entriesPerTransaction = 10_000
    /// Entries may hold 32 KiB each: the held text is bounded too.
    static let bytesPerTransaction = 8 * 1024 * 1024

    private(set) var records: [EntryRecord] = []
    private var bytes = 0

    mutating func append(_ record: EntryRecord) {
        records.append(record)
        bytes += record.text.utf8.count + 256
        if case .answer(let answer) = record { bytes += answer.promptText?.utf8.count ?? 0 }
    }

    var isFull: Bool { records.count >= Self.entriesPerTransaction || bytes >= Self.bytesPerTransaction }
}
