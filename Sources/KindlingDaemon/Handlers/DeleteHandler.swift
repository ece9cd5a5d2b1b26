import Foundation
import KindlingControl
import KindlingStore

/// `delete`: removes an entry for good (the CLI asks first).
enum DeleteHandler {
    static func handle(_ daemon: Daemon, id: Int64) -> Result<DeleteResult, ControlError> {
        let now = daemon.clock.now
        do throws(StoreError) {
            let entry = try daemon.journal.deleteEntry(id: id)
            let type = if case .answer = entry { "answer" } else { "note" }
            // The entry is gone, so the event names it in its detail (an id, never the text).
            _ = try? daemon.journal.recordEvent(.deleted, at: now, detail: ["entry_id": String(id), "type": type])
            let uncleared = daemon.eraseOldWords(EntryChange(entry: entry, replacement: nil))
            return .success(DeleteResult(id: id, type: type, uncleared: uncleared))
        } catch {
            return .failure(daemon.journalWriteFailure(error, id: id, "nothing was deleted"))
        }
    }
}
