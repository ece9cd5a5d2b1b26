import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `pending`: prompts delivered and still waiting for an answer, oldest first.
/// Shell prompts ask for it before every line they draw: it answers from the snapshot
/// `status` keeps (see ``StatusSnapshot``), written without JSONEncoder.
enum PendingHandler {
    static func handle(_ daemon: Daemon) -> Result<PendingResult, ControlError> {
        let snapshot = daemon.statusSnapshot(at: daemon.clock.now)
        if let error = snapshot.pendingError {
            return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
        }
        return .success(PendingResult(pending: snapshot.pending))
    }

    /// The response line for request `id`.
    static func responseLine(_ daemon: Daemon, id: Int) -> Data {
        switch handle(daemon) {
        case .success(let result): Data(result.responseLine(id: id))
        case .failure(let error): daemon.encode(ResponseEnvelope<PendingResult>(id: id, error: error))
        }
    }
}

extension Daemon {
    /// How many bytes of prompt text `status` and `pending` carry at most, so that their
    /// response stays well inside the protocol's 64 KiB line (escaping may double a text).
    static let pendingTextBudget = 24 * 1024

    /// Waiting prompts as the protocol shows them, oldest first: the newest ones that fit in
    /// ``pendingTextBudget`` (only `kindling fire` run hundreds of times piles up that many).
    func pendingPrompts() throws(StoreError) -> [StatusResult.Pending] {
        let zone = timeZone
        var spent = 0
        let fitting = try journal.pendingDeliveries().reversed().prefix { delivery in
            spent += delivery.promptText.utf8.count + 100
            return spent <= Self.pendingTextBudget
        }
        return fitting.reversed().compactMap { delivery in
            delivery.id.map {
                StatusResult.Pending(
                    id: $0, slot: delivery.slot, text: delivery.promptText,
                    firedAt: Timestamp.string(delivery.firedAt, in: zone),
                    expiresAt: Timestamp.string(delivery.expiresAt, in: zone),
                    status: delivery.status == .snoozed ? "snoozed" : "waiting",
                    until: delivery.status == .snoozed ? delivery.snoozedUntil.map { Timestamp.string($0, in: zone) } : nil,
                    askMood: config.slot(named: delivery.slot)?.askMood ?? false)
            }
        }
    }
}
