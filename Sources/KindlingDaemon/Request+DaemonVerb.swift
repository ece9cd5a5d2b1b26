import Foundation
import KindlingControl

// Each verb's handler and degraded-mode refusal, one conformance a verb. A verb of
// ``Request/verbs`` without one here is answered `unknown_command` (and fails DaemonVerbTests).

extension Request.Status: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<StatusResult, ControlError> {
        StatusHandler.handle(daemon)
    }
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        Data(StatusHandler.responseLine(daemon, id: id))
    }
}

extension Request.Reload: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ReloadResult, ControlError> {
        ReloadHandler.handle(daemon)
    }
}

extension Request.Next: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<NextResult, ControlError> {
        NextHandler.handle(daemon, count: count, from: from)
    }
}

extension Request.Pending: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PendingResult, ControlError> {
        PendingHandler.handle(daemon)
    }
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        PendingHandler.responseLine(daemon, id: id)
    }
}

extension Request.Watch: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<WatchResult, ControlError> {
        guard let connection else { return .failure(ControlError(.badRequest, "watch needs a connection")) }
        return WatchHandler.handle(daemon, connection: connection)
    }
}

extension Request.Fire: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptResult, ControlError> {
        FireHandler.handle(daemon.lifecycle, slot: slot)
    }
}

extension Request.Respond: DaemonVerb {
    static let journalRefusal: String? = "your answer was NOT saved"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<RespondResult, ControlError> {
        RespondHandler.handle(daemon.lifecycle, id: id, text: text, mood: mood, energy: energy, channel: channel)
    }
}

extension Request.Snooze: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptResult, ControlError> {
        SnoozeHandler.handle(daemon.lifecycle, id: id, duration: duration)
    }
}

extension Request.Skip: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptResult, ControlError> {
        SkipHandler.handle(daemon.lifecycle, id: id)
    }
}

extension Request.Pause: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PauseResult, ControlError> {
        PauseHandler.handle(daemon.lifecycle, duration: duration, until: until)
    }
}

extension Request.Resume: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PauseResult, ControlError> {
        ResumeHandler.handle(daemon.lifecycle)
    }
}

extension Request.Breathe: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<BreatheResult, ControlError> {
        BreatheHandler.handle(daemon)
    }
}

extension Request.Note: DaemonVerb {
    static let journalRefusal: String? = "your note was NOT saved"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<JournalEntry, ControlError> {
        NoteHandler.handle(daemon, text: text, kind: kind, mood: mood, energy: energy)
    }
}

extension Request.Entry: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be read"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<JournalEntry, ControlError> {
        EntryHandler.handle(daemon, id: id)
    }
}

extension Request.Edit: DaemonVerb {
    static let journalRefusal: String? = "your edit was NOT saved"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<JournalEntry, ControlError> {
        EditHandler.handle(daemon, id: id, text: text, mood: mood, energy: energy, expected: expected)
    }
}

extension Request.Delete: DaemonVerb {
    static let journalRefusal: String? = "nothing was deleted"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<DeleteResult, ControlError> {
        DeleteHandler.handle(daemon, id: id)
    }
}

extension Request.Erase: DaemonVerb {
    // Erasing is how a person gets rid of a journal that cannot be opened.
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<EraseResult, ControlError> {
        EraseHandler.handle(daemon)
    }
}

extension Request.Journal: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be read"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<JournalResult, ControlError> {
        JournalHandler.handle(daemon, since: since, until: until, slot: slot, search: search, limit: limit)
    }
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        JournalHandler.responseLine(daemon, id: id, since: since, until: until, slot: slot, search: search, limit: limit)
    }
}

extension Request.Stats: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be read"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<StatsResult, ControlError> {
        StatsHandler.handle(daemon, weeks: weeks)
    }
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        StatsHandler.responseLine(daemon, id: id, weeks: weeks)
    }
}

extension Request.Week: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be read"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<WeekResult, ControlError> {
        WeekHandler.handle(daemon, date: date)
    }
}

extension Request.Report: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be read"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ReportResult, ControlError> {
        ReportHandler.handle(daemon, since: since, until: until, withText: withText, entries: entries)
    }
}

extension Request.Backup: DaemonVerb {
    static let journalRefusal: String? = "no backup was taken"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<BackupResult, ControlError> {
        BackupHandler.handle(daemon, output: output, replace: replace)
    }
}

extension Request.Restore: DaemonVerb {
    // Restoring is how a person replaces a journal that cannot be opened.
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<RestoreResult, ControlError> {
        RestoreHandler.handle(daemon, path: path)
    }
}

extension Request.Export: DaemonVerb {
    static let journalRefusal: String? = "the journal cannot be exported"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ExportHeader, ControlError> {
        guard let connection else { return .failure(ControlError(.badRequest, "export needs a connection")) }
        return ExportHandler.handle(daemon, connection: connection)
    }
}

extension Request.Import: DaemonVerb {
    static let journalRefusal: String? = "nothing was imported"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ImportResult, ControlError> {
        ImportHandler.handle(daemon, entries: entries, more: more, connection: connection)
    }
}

extension Request.PromptList: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptListResult, ControlError> {
        PromptHandler.list(daemon)
    }
}

extension Request.PromptHide: DaemonVerb {
    static let journalRefusal: String? = "nothing was changed"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptVisibilityResult, ControlError> {
        PromptHandler.setHidden(daemon, key: key, hidden: true)
    }
}

extension Request.PromptShow: DaemonVerb {
    static let journalRefusal: String? = "nothing was changed"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<PromptVisibilityResult, ControlError> {
        PromptHandler.setHidden(daemon, key: key, hidden: false)
    }
}

extension Request.ProgramList: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramListResult, ControlError> {
        ProgramHandler.list(daemon)
    }
}

extension Request.ProgramShow: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramShowResult, ControlError> {
        ProgramHandler.show(daemon, name: name)
    }
}

extension Request.ProgramAdd: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramAddResult, ControlError> {
        ProgramHandler.add(daemon, path: path, replace: replace)
    }
}

extension Request.ProgramStart: DaemonVerb {
    static let journalRefusal: String? = "nothing was changed"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramStateResult, ControlError> {
        ProgramHandler.start(daemon, name: name, over: over)
    }
}

extension Request.ProgramStop: DaemonVerb {
    static let journalRefusal: String? = "nothing was changed"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramStateResult, ControlError> {
        ProgramHandler.stop(daemon)
    }
}

extension Request.ProgramSkip: DaemonVerb {
    static let journalRefusal: String? = "nothing was changed"
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<ProgramStateResult, ControlError> {
        ProgramHandler.skip(daemon, step: step)
    }
}

extension Request.Encrypt: DaemonVerb {
    // The handler refuses for itself, naming what stands in the way (a locked journal, one
    // already encrypted, or one that cannot be opened).
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<EncryptionResult, ControlError> {
        guard let passphrase else {
            return .failure(ControlError(.badRequest, "the keyring answers later: this request needs a connection"))
        }
        return EncryptionHandler.encrypt(daemon, passphrase: passphrase)
    }

    /// With the keyring, the reply comes once the keyring has kept the key (the connection's
    /// later requests wait for it).
    func responseLine(_ daemon: Daemon, id: Int, connection: Connection?) -> Data {
        guard passphrase == nil, let connection else {
            return defaultResponseLine(daemon, id: id, connection: connection)
        }
        var immediate: Data?
        var deferred = false
        EncryptionHandler.encryptWithKeyring(daemon) { [weak connection] result in
            let line =
                switch result {
                case .success(let value): daemon.encode(ResponseEnvelope(id: id, result: value))
                case .failure(let error): daemon.encode(ResponseEnvelope<EncryptionResult>(id: id, error: error))
                }
            if deferred { connection?.sendDeferredReply(line) } else { immediate = line }
        }
        if let immediate { return immediate }
        deferred = true
        return Connection.deferredReply
    }
}

extension Request.Decrypt: DaemonVerb {
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<EncryptionResult, ControlError> {
        EncryptionHandler.decrypt(daemon)
    }
}

extension Request.Unlock: DaemonVerb {
    // Unlocking is how a locked journal becomes available.
    static let journalRefusal: String? = nil
    func answer(_ daemon: Daemon, connection: Connection?) -> Swift.Result<EncryptionResult, ControlError> {
        EncryptionHandler.unlock(daemon, passphrase: passphrase)
    }
}
