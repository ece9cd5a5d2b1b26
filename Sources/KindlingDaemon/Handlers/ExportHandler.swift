import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `export`: the response (the file's header), then every entry in the order written, one a line,
/// then `{"end":true,"count":N}`. Constant memory: a batch at a time from a cursor, and the next batch
/// only once the connection's output has drained below ``ExportStream/highWater``, each batch its own
/// turn of the queue, so a huge journal neither blocks the daemon nor piles up in a buffer.
enum ExportHandler {
    static func handle(_ daemon: Daemon, connection: Connection) -> Result<ExportHeader, ControlError> {
        let stream = ExportStream(daemon: daemon, connection: connection)
        // After this response line has gone out, not before it.
        daemon.queue.async { stream.step() }
        let now = Timestamp.string(daemon.clock.now, in: daemon.timeZone)
        return .success(ExportHeader(version: KindlingVersion.string, exportedAt: now))
    }
}

/// One export in flight. Queue-confined; kept alive by the work it has queued.
final class ExportStream: @unchecked Sendable {
    /// Entries read and sent per turn of the queue.
    static let batchSize = 250
    /// Send no more while this many bytes wait for the reader.
    static let highWater = 256 * 1024

    private let daemon: Daemon
    private let connection: Connection
    private var cursor = ExportCursor.start
    private var count = 0
    private let encoder = ControlProtocol.makeEncoder()

    init(daemon: Daemon, connection: Connection) {
        self.daemon = daemon
        self.connection = connection
    }

    func step() {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        guard connection.isOpen else { return }
        guard connection.pendingOutputBytes < Self.highWater else {
            connection.whenDrained = { [self] in daemon.queue.async { self.step() } }
            return
        }
        let batch: [EntryRecord]
        do throws(StoreError) {
            batch = try daemon.journal.exportBatch(after: cursor, limit: Self.batchSize)
        } catch {
            finish(error: "the journal could not be read: \(error.description)")
            return
        }
        // One write for the batch (the lines joined; send adds the last newline), not one
        // system call per entry.
        var lines = Data()
        for record in batch {
            if !lines.isEmpty { lines.append(UInt8(ascii: "\n")) }
            lines.append(contentsOf: daemon.exportEntry(record).jsonLine())
            count += 1
        }
        if !lines.isEmpty { connection.send(lines) }
        guard let last = batch.last, batch.count == Self.batchSize else {
            finish(error: nil)
            return
        }
        cursor = AppDatabase.cursor(after: last)
        daemon.queue.async { self.step() }
    }

    private func finish(error: String?) {
        if let line = try? encoder.encode(ExportEnd(count: count, error: error)) { connection.send(line) }
    }
}

extension Daemon {
    /// An entry as an export line shows it.
    func exportEntry(_ record: EntryRecord) -> ExportEntry {
        let zone = timeZone
        switch record {
        case .answer(let answer):
            return ExportEntry(
                type: "answer", id: record.id, at: Timestamp.string(answer.answeredAt, in: zone), localDate: answer.localDate,
                text: answer.text, slot: answer.slot, prompt: answer.promptText, mood: answer.mood, energy: answer.energy,
                channel: answer.channel.rawValue, editedAt: answer.editedAt.map { Timestamp.string($0, in: zone) })
        case .note(let note):
            return ExportEntry(
                type: "note", id: record.id, at: Timestamp.string(note.createdAt, in: zone), localDate: note.localDate,
                text: note.text, kind: note.kind?.rawValue, mood: note.mood, energy: note.energy,
                editedAt: note.editedAt.map { Timestamp.string($0, in: zone) })
        }
    }
}
