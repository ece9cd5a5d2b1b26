import Foundation
import KindlingControl
import KindlingStore

/// `delete`: removes an entry for good (the CLI asks first).
enum DeleteHandler {
    static func handle(_ daemon: Daemon, id: Int64) -> Result<DeleteResult, ControlError> {
        let now = daemon.clock.now
        do throws(StoreError) {
            // The entry and its `deleted` event, in one transaction.
            let entry = try daemon.journal.deleteEntryRecording(id: id, at: now)
            let type = if case .answer = entry { "answer" } else { "note" }
            let uncleared = daemon.eraseOldWords(EntryChange(entry: entry, replacement: nil))
            return .success(DeleteResult(id: id, type: type, uncleared: uncleared))
        } catch {
            return .failure(daemon.journalWriteFailure(error, id: id, "nothing was deleted"))
        }
    }
}
