import Foundation
import KindlingControl

extension Daemon {
    /// Decodes one request line, runs its handler and encodes the response line.
    /// The one `switch` that maps every request to its handler.
    func respond(to line: [UInt8], from connection: Connection) -> Data {
        dispatchPrecondition(condition: .onQueue(queue))
        switch RequestEnvelope.decode(bytes: line) {
        case .failure(let failure):
            return encode(ResponseEnvelope<EmptyResult>(id: failure.id, error: failure.error))
        case .success(let envelope):
            // A save that would be refused tries the journal again first (rate-limited).
            if journalProblem != nil, envelope.request.needsJournal { retryJournal(force: false) }
            switch envelope.request {
            case .status: return Data(StatusHandler.responseLine(self, id: envelope.id))
            case .reload: return encode(envelope.id, ReloadHandler.handle(self))
            case .next(let count, let from): return encode(envelope.id, NextHandler.handle(self, count: count, from: from))
            case .pending: return PendingHandler.responseLine(self, id: envelope.id)
            case .watch: return encode(envelope.id, WatchHandler.handle(self, connection: connection))
            case .fire(let slot): return encode(envelope.id, FireHandler.handle(self, slot: slot))
            case .respond(let id, let text, let mood, let energy, let channel):
                return encode(
                    envelope.id, RespondHandler.handle(self, id: id, text: text, mood: mood, energy: energy, channel: channel))
            case .snooze(let id, let duration): return encode(envelope.id, SnoozeHandler.handle(self, id: id, duration: duration))
            case .skip(let id): return encode(envelope.id, SkipHandler.handle(self, id: id))
            case .pause(let duration, let until):
                return encode(envelope.id, PauseHandler.handle(self, duration: duration, until: until))
            case .resume: return encode(envelope.id, ResumeHandler.handle(self))
            case .note(let text, let kind): return encode(envelope.id, NoteHandler.handle(self, text: text, kind: kind))
            case .entry(let id): return encode(envelope.id, EntryHandler.handle(self, id: id))
            case .edit(let id, let text, let mood, let energy, let expected):
                return encode(
                    envelope.id, EditHandler.handle(self, id: id, text: text, mood: mood, energy: energy, expected: expected))
            case .delete(let id): return encode(envelope.id, DeleteHandler.handle(self, id: id))
            case .eraseAll: return encode(envelope.id, EraseHandler.handle(self))
            case .journal(let since, let until, let slot, let search, let limit):
                return encode(
                    envelope.id, JournalHandler.handle(self, since: since, until: until, slot: slot, search: search, limit: limit)
                )
            case .stats(let weeks): return encode(envelope.id, StatsHandler.handle(self, weeks: weeks))
            case .backup(let output, let replace):
                return encode(envelope.id, BackupHandler.handle(self, output: output, replace: replace))
            case .restore(let path): return encode(envelope.id, RestoreHandler.handle(self, path: path))
            case .export: return encode(envelope.id, ExportHandler.handle(self, connection: connection))
            case .import(let entries): return encode(envelope.id, ImportHandler.handle(self, entries: entries))
            case .week(let date): return encode(envelope.id, WeekHandler.handle(self, date: date))
            case .breathe: return encode(envelope.id, BreatheHandler.handle(self))
            case .promptList: return encode(envelope.id, PromptHandler.list(self))
            case .promptVisibility(let key, let hidden):
                return encode(envelope.id, PromptHandler.setHidden(self, key: key, hidden: hidden))
            }
        }
    }

    private func encode<R: Codable & Sendable>(_ id: Int, _ result: Result<R, ControlError>) -> Data {
        switch result {
        case .success(let value): encode(ResponseEnvelope(id: id, result: value))
        case .failure(let error): encode(ResponseEnvelope<R>(id: id, error: error))
        }
    }

    func encode<R>(_ envelope: ResponseEnvelope<R>) -> Data {
        do {
            return try ControlProtocol.makeEncoder().encode(envelope)
        } catch {
            log.error("could not encode a response: \(error)")
            let fallback = ResponseEnvelope<EmptyResult>(
                id: envelope.id, error: ControlError(.badRequest, "the response could not be encoded"))
            return (try? ControlProtocol.makeEncoder().encode(fallback)) ?? Data()
        }
    }
}
