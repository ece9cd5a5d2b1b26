import Foundation
import KindlingControl

/// A ``ControlVerb`` as the daemon answers it. Every type in ``Request/verbs`` conforms
/// (Request+DaemonVerb; a test holds the two lists together), so the list that reads a request is
/// also the daemon's table of handlers: there is no second switch to keep in step.
protocol DaemonVerb: ControlVerb {
    /// What the person is told first when the journal is unavailable (that their words were
    /// not saved, or that nothing could be read), or nil when the verb does without it:
    /// prompts still flow, so fire, snooze, skip, pause and resume work on the in-memory
    /// stand-in.
    static var journalRefusal: String? { get }

    /// Runs the verb's handler on the daemon's queue.
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<Result, ControlError>

    /// The response line for request `id`: by default ``answer(_:connection:)`` through
    /// JSONEncoder; the verbs that scripts poll write theirs by hand.
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data
}

extension DaemonVerb {
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        defaultResponseLine(daemon, id: id, connection: connection)
    }

    /// ``answer(_:connection:)`` through JSONEncoder.
    func defaultResponseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        switch answer(daemon, connection: connection) {
        case .success(let value): daemon.encode(ResponseEnvelope(id: id, result: value))
        case .failure(let error): daemon.encode(ResponseEnvelope<Result>(id: id, error: error))
        }
    }

    /// Whether the verb reads or writes the journal, and so is refused while it is unavailable.
    var needsJournal: Bool { Self.journalRefusal != nil }

    /// The one place degraded mode is refused: the answer to this verb while the journal is
    /// unavailable for `problem`, or nil when the verb does not need the journal.
    func refusal(journalProblem problem: String) -> ControlError? {
        Self.journalRefusal.map { ControlError(.storage, "\($0): \(problem)") }
    }
}
