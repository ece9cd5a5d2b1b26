/// What a client may ask of the daemon: one ``ControlVerb`` type per verb, nested here
/// (`Request.Status`, `Request.Fire`, ...), and ``verbs``, the one list of them all.
public enum Request {
    /// Every verb of the protocol. The daemon reads requests through this list and answers
    /// each verb in it; a verb left out of it is one the daemon calls unknown.
    public static let verbs: [any ControlVerb.Type] = [
        Status.self, Reload.self, Next.self, Pending.self, Watch.self, Fire.self, Respond.self, Snooze.self, Skip.self,
        Pause.self, Resume.self, Breathe.self, Note.self, Entry.self, Edit.self, Delete.self, Erase.self, Journal.self,
        Stats.self, Week.self, Report.self, Backup.self, Restore.self, Export.self, Import.self, PromptList.self,
        PromptHide.self, PromptShow.self, ProgramList.self, ProgramShow.self, ProgramAdd.self, ProgramStart.self,
        ProgramStop.self, ProgramSkip.self, Encrypt.self, Decrypt.self, Unlock.self,
    ]

    /// The verbs by wire name, built on the daemon's first request (a client never reads it).
    private static let verbsByName: [String: any ControlVerb.Type] = Dictionary(
        verbs.map { ($0.wireName, $0) }, uniquingKeysWith: { first, _ in first })

    /// The verb whose wire name is `name`, or nil for an unknown one.
    static func verb(named name: String) -> (any ControlVerb.Type)? {
        verbsByName[name]
    }
}
