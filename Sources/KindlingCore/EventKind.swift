/// Every kind of event the journal's event log records, by the names it stores.
///
/// The `watch` stream has its own list in KindlingControl (`Event.Kind`), since the control
/// protocol depends on nothing of ours: the kinds both have carry the same names (a daemon test
/// checks it); `pending` exists only on the wire (a new watcher's first lines), and the entry
/// kinds (`noted`, `edited`...) only in the log.
public enum EventKind: String, Codable, Sendable, Hashable, CaseIterable {
    // MARK: A prompt's life

    /// A prompt reached the person (on time, on request, or back from a snooze).
    case fired
    /// The person answered it.
    case answered
    /// The person asked for it later.
    case snoozed
    /// The person let it go, or it fell inside a pause.
    case skipped
    /// It could not be shown while it could still be answered (downtime, quiet hours).
    case missed
    /// Its time to be answered passed.
    case expired
    /// Recorded and held back until quiet hours end.
    case deferred
    // MARK: The daemon

    case paused
    case resumed
    case reloaded
    /// The journal was replaced from a snapshot or a backup.
    case restored
    case started
    case stopped

    // MARK: Entries

    case noted
    case edited
    case deleted
    case imported
}
