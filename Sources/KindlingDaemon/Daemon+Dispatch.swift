import Foundation
import KindlingControl

extension Daemon {
    /// Decodes one request line, runs its verb's handler and encodes the response line.
    func respond(to line: [UInt8], from connection: Connection) -> Data {
        dispatchPrecondition(condition: .onQueue(queue))
        switch RequestEnvelope.decode(bytes: line) {
        case .failure(let failure):
            return encode(ResponseEnvelope<EmptyResult>(id: failure.id, error: failure.error))
        case .success(let envelope):
            guard let verb = envelope.request as? any DaemonVerb else {
                // Only a verb added to Request.verbs without its handler (DaemonVerbTests).
                let name = type(of: envelope.request).wireName
                return encode(
                    ResponseEnvelope<EmptyResult>(
                        id: envelope.id, error: ControlError(.unknownCommand, "unknown command \"\(name)\"")))
            }
            // A save that would be refused tries the journal again first (rate-limited).
            if journalProblem != nil, verb.needsJournal { retryJournal(force: false) }
            if let refusal = refusal(of: verb) {
                return encode(ResponseEnvelope<EmptyResult>(id: envelope.id, error: refusal))
            }
            return verb.responseLine(self, id: envelope.id, connection: connection)
        }
    }

    /// Why `request` is refused now (the journal is unavailable and it needs it), or nil. The
    /// notification buttons ask the same question (Daemon+Desktop).
    func refusal(of request: some DaemonVerb) -> ControlError? {
        journalProblem.flatMap { request.refusal(journalProblem: $0) }
    }

    func encode<R>(_ envelope: ResponseEnvelope<R>) -> Data {
        do {
            return try ControlProtocol.makeEncoder().encode(envelope)
        } catch {
            log.error("could not encode a response: \(error)")
            let fallback = ResponseEnvelope<EmptyResult>(
                id: envelope.id, error: ControlError(.badRequest, "the response could not be encoded"))
            // Never empty: an empty line means "answered later" to the connection.
            return (try? ControlProtocol.makeEncoder().encode(fallback))
                ?? Data(#"{"error":{"code":"bad_request","message":"the response could not be encoded"},"ok":false,"v":1}"#.utf8)
        }
    }
}
