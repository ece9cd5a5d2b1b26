import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `import`: a batch of exported entries; those the journal already has (same type, instant and text)
/// are skipped, the others saved with their original times. The CLI sends a file in batches.
enum ImportHandler {
    static func handle(_ daemon: Daemon, entries: [ExportEntry]) -> Result<ImportResult, ControlError> {
        var records: [EntryRecord] = []
        for (index, entry) in entries.enumerated() {
            switch ImportRules.record(entry) {
            case .success(let record): records.append(record)
            case .failure(let invalid):
                return .failure(
                    ControlError(.badRequest, "nothing was imported: entry \(index + 1) of the batch \(invalid.reason)"))
            }
        }
        do throws(StoreError) {
            let counts = try daemon.journal.importEntries(records, at: daemon.clock.now)
            return .success(ImportResult(added: counts.added, skipped: counts.skipped))
        } catch {
            return .failure(daemon.journalWriteFailure(error, "nothing was imported"))
        }
    }
}
