/// One verb of the control protocol, defined once: its wire name, how its arguments go onto
/// the wire and come back off it, and the result the daemon answers with. ``Request/verbs``
/// lists every one; the client writes a verb through it and the daemon reads it through it,
/// so a verb cannot be known to one end and not the other.
public protocol ControlVerb: Equatable, Sendable {
    /// What the daemon answers with on success (the response's `"result"`).
    associatedtype Result: Codable & Sendable

    /// The name carried as `"cmd"`.
    static var wireName: String { get }

    /// Puts the verb's arguments beside `v`, `id` and `cmd`; an absent value is left out, so
    /// the line carries no more than the verb needs.
    func write(to arguments: inout ArgumentWriter)

    /// Reads the verb's arguments back, refusing a missing or malformed one with the
    /// `bad_request` that names it.
    init(from arguments: ArgumentReader) throws(ControlError)
}

extension ControlVerb {
    /// Whether `other` is the same verb with the same arguments (how ``RequestEnvelope``
    /// compares the verbs it holds, whose types it does not know).
    func isEqual(to other: any ControlVerb) -> Bool {
        (other as? Self) == self
    }
}
