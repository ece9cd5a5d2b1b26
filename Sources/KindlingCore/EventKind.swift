/// Every kind of event Kindling knows, in one place: the journal's event log stores these names
/// and the `watch` stream sends them (DESIGN.md gives the wire names; they never change).
///
/// Not every kind appears in both: `pending` exists only on the wire (a new watcher's first
/// lines), and the entry kinds (`noted`, `edited`...) only in the log.
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
    /// Sent to a new watcher for each prompt already waiting (never stored).
    case pending

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

    /// Whether a prompt no longer waits after this event (its notification is closed).
    public var settlesPrompt: Bool {
        switch self {
        case .answered, .skipped, .snoozed, .expired, .missed: true
        default: false
        }
    }
}
