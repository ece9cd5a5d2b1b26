import Foundation
import KindlingControl
import KindlingStore

/// `encrypt`, `decrypt` and `unlock`: the journal kept encrypted at rest, or not, and the
/// passphrase of one kept with a passphrase. The conversions themselves are
/// ``Daemon/rekeyJournal(to:)``'s; where the key lives is ``JournalKeys``'s.
enum EncryptionHandler {
    /// Why the journal cannot be encrypted now, or nil.
    private static func encryptRefusal(_ daemon: Daemon) -> ControlError? {
        if daemon.journalKey != nil || daemon.journalLock != nil {
            return ControlError(
                .badRequest,
                "the journal is encrypted already (its key is kept \(daemon.keyKeeper?.place ?? "elsewhere")); "
                    + "changing its key is not offered yet")
        }
        if let problem = daemon.journalProblem {
            return ControlError(.storage, "nothing was encrypted: \(problem)")
        }
        if daemon.encryptionInFlight {
            return ControlError(
                .badRequest, "an encryption is under way already (waiting for your keyring); try again in a moment")
        }
        return nil
    }

    /// Encrypts with a new random key kept in the keyring. The keyring answers later, so does
    /// this: `completion` runs on the queue, at once when there is nothing to ask.
    static func encryptWithKeyring(_ daemon: Daemon, completion: @escaping (Result<EncryptionResult, ControlError>) -> Void) {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        if let refusal = encryptRefusal(daemon) { return completion(.failure(refusal)) }
        let key = JournalKey.random()
        let keyID = SecretKeys.newKeyID()
        daemon.encryptionInFlight = true
        daemon.secrets.keep(key, id: keyID) { [weak daemon] problem in
            guard let daemon else { return }
            daemon.encryptionInFlight = false
            if let problem {
                return completion(
                    .failure(
                        ControlError(
                            .storage,
                            "nothing was encrypted: the key could not be kept in your keyring (\(problem)); "
                                + "unlock your keyring and try again, or encrypt with a passphrase: "
                                + "`kindling encrypt --passphrase`")))
            }
            // The journal may have changed hands while the keyring answered.
            if let refusal = encryptRefusal(daemon) {
                daemon.secrets.forget(keyID: keyID)
                return completion(.failure(refusal))
            }
            completion(daemon.encrypt(with: key, keptBy: .keyring(keyID)).map { result(daemon, $0) })
        }
    }

    /// Encrypts with a key derived from `passphrase`.
    static func encrypt(_ daemon: Daemon, passphrase: String) -> Result<EncryptionResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        if let refusal = encryptRefusal(daemon) { return .failure(refusal) }
        let key: JournalKey
        do throws(JournalKeys.Refusal) {
            key = try daemon.keys.newPassphraseKey(passphrase)
        } catch {
            return .failure(ControlError(.storage, "nothing was encrypted: \(error.description)"))
        }
        return daemon.encrypt(with: key, keptBy: .passphrase).map { result(daemon, $0) }
    }

    static func decrypt(_ daemon: Daemon) -> Result<EncryptionResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        if daemon.journalLock != nil {
            return .failure(
                ControlError(
                    .badRequest,
                    "the journal is locked: unlock it first (\(daemon.journalProblem ?? "its key is not at hand"))"))
        }
        guard daemon.journalKey != nil else {
            return .failure(ControlError(.badRequest, "the journal is not encrypted; nothing was changed"))
        }
        if let problem = daemon.journalProblem {
            return .failure(ControlError(.storage, "nothing was decrypted: \(problem)"))
        }
        switch daemon.rekeyJournal(to: nil) {
        case .failure(let error):
            return .failure(error)
        case .success(let snapshots):
            daemon.keys.forgetPassphrase()
            daemon.keys.forgetKeyringMark()
            // The keyring's item stays: copies made while the journal was encrypted need it.
            daemon.keyKeeper = nil
            daemon.log.notice("decrypted the journal (and \(snapshots.converted) snapshot(s)); it is kept in plaintext now")
            return .success(result(daemon, snapshots))
        }
    }

    static func unlock(_ daemon: Daemon, passphrase: String) -> Result<EncryptionResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(daemon.queue))
        guard daemon.journalLock != nil else {
            switch (daemon.journalKey, daemon.keyKeeper) {
            case (nil, _):
                return .failure(ControlError(.badRequest, "the journal is not encrypted; there is nothing to unlock"))
            case (_, .keyring?):
                return .failure(
                    ControlError(
                        .badRequest, "the journal is open, and its key is kept in your keyring: there is no passphrase to give"))
            case (let key?, _):
                // Open already: the passphrase is still checked, so that a wrong one is never
                // answered with "unlocked" (a script learns whether it holds the right one).
                do throws(JournalKeys.Refusal) {
                    guard try daemon.keys.key(fromPassphrase: passphrase) == key else {
                        return .failure(
                            ControlError(.badRequest, "that passphrase does not open the journal; nothing was changed"))
                    }
                } catch {
                    return .failure(ControlError(.badRequest, error.description))
                }
                return .success(result(daemon))
            }
        }
        let key: JournalKey
        do throws(JournalKeys.Refusal) {
            key = try daemon.keys.key(fromPassphrase: passphrase)
        } catch {
            return .failure(ControlError(.badRequest, error.description))
        }
        if let problem = daemon.unlockJournal(with: key, keptBy: .passphrase, verified: true) {
            daemon.keys.cache(key)
            return .failure(ControlError(.storage, "the passphrase is right, but the journal could not be opened: \(problem)"))
        }
        daemon.keys.cache(key)
        return .success(result(daemon))
    }

    private static func result(_ daemon: Daemon, _ conversion: Daemon.Conversion = .init()) -> EncryptionResult {
        EncryptionResult(
            path: daemon.paths.databaseFile, journal: daemon.journalKey == nil ? "plaintext" : "encrypted",
            key: daemon.keyKeeper?.rawValue, snapshots: conversion.converted, unconverted: conversion.unconverted)
    }
}

extension Daemon.KeyKeeper {
    /// Where the key is, for messages.
    var place: String {
        switch self {
        case .keyring: "in your keyring"
        case .passphrase: "with a passphrase"
        }
    }
}
