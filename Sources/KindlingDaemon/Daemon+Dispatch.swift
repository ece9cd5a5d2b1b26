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
            if let refusal = refusal(of: envelope.request) {
                return encode(ResponseEnvelope<EmptyResult>(id: envelope.id, error: refusal))
            }
            switch envelope.request {
            case .status: return Data(StatusHandler.responseLine(self, id: envelope.id))
            case .reload: return encode(envelope.id, ReloadHandler.handle(self))
            case .next(let count, let from): return encode(envelope.id, NextHandler.handle(self, count: count, from: from))
            case .pending: return PendingHandler.responseLine(self, id: envelope.id)
            case .watch: return encode(envelope.id, WatchHandler.handle(self, connection: connection))
            case .fire(let slot): return encode(envelope.id, FireHandler.handle(lifecycle, slot: slot))
            case .respond(let id, let text, let mood, let energy, let channel):
                return encode(
                    envelope.id,
                    RespondHandler.handle(lifecycle, id: id, text: text, mood: mood, energy: energy, channel: channel))
            case .snooze(let id, let duration):
                return encode(envelope.id, SnoozeHandler.handle(lifecycle, id: id, duration: duration))
            case .skip(let id): return encode(envelope.id, SkipHandler.handle(lifecycle, id: id))
            case .pause(let duration, let until):
                return encode(envelope.id, PauseHandler.handle(lifecycle, duration: duration, until: until))
            case .resume: return encode(envelope.id, ResumeHandler.handle(lifecycle))
            case .note(let text, let kind, let mood, let energy):
                return encode(envelope.id, NoteHandler.handle(self, text: text, kind: kind, mood: mood, energy: energy))
            case .entry(let id): return encode(envelope.id, EntryHandler.handle(self, id: id))
            case .edit(let id, let text, let mood, let energy, let expected):
                return encode(
                    envelope.id, EditHandler.handle(self, id: id, text: text, mood: mood, energy: energy, expected: expected))
            case .delete(let id): return encode(envelope.id, DeleteHandler.handle(self, id: id))
            case .eraseAll: return encode(envelope.id, EraseHandler.handle(self))
            case .journal(let since, let until, let slot, let search, let limit):
                return JournalHandler.responseLine(
                    self, id: envelope.id, since: since, until: until, slot: slot, search: search, limit: limit)
            case .stats(let weeks): return StatsHandler.responseLine(self, id: envelope.id, weeks: weeks)
            case .backup(let output, let replace):
                return encode(envelope.id, BackupHandler.handle(self, output: output, replace: replace))
            case .restore(let path): return encode(envelope.id, RestoreHandler.handle(self, path: path))
            case .export: return encode(envelope.id, ExportHandler.handle(self, connection: connection))
            case .import(let entries, let more):
                return encode(envelope.id, ImportHandler.handle(self, entries: entries, more: more, connection: connection))
            case .week(let date): return encode(envelope.id, WeekHandler.handle(self, date: date))
            case .breathe: return encode(envelope.id, BreatheHandler.handle(self))
            case .promptList: return encode(envelope.id, PromptHandler.list(self))
            case .promptVisibility(let key, let hidden):
                return encode(envelope.id, PromptHandler.setHidden(self, key: key, hidden: hidden))
            case .report(let since, let until, let withText, let entries):
                return encode(
                    envelope.id, ReportHandler.handle(self, since: since, until: until, withText: withText, entries: entries))
            case .programList: return encode(envelope.id, ProgramHandler.list(self))
            case .programShow(let name): return encode(envelope.id, ProgramHandler.show(self, name: name))
            case .programAdd(let path, let replace):
                return encode(envelope.id, ProgramHandler.add(self, path: path, replace: replace))
            case .programStart(let name, let over):
                return encode(envelope.id, ProgramHandler.start(self, name: name, over: over))
            case .programStop: return encode(envelope.id, ProgramHandler.stop(self))
            case .programSkip(let step): return encode(envelope.id, ProgramHandler.skip(self, step: step))
            }
        }
    }

    /// Why `request` is refused now (the journal is unavailable and it needs it), or nil. The
    /// notification buttons ask the same question (Daemon+Desktop).
    func refusal(of request: Request) -> ControlError? {
        journalProblem.flatMap { request.refusal(journalProblem: $0) }
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
