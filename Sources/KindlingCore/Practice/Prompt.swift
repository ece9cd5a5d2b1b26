// One prompt and the stable hash that names the person's own prompts.
// Pure: no I/O, no clock, no randomness.

/// A prompt a slot can show: a stable key and the text the person reads.
///
/// The key is what the journal stores to drive rotation, so it never depends on a
/// prompt's position in a list: built-in prompts carry hand-written keys such as
/// `"intention.encourage-someone"`, the person's own `[[prompt]]`s are keyed by a hash of
/// their text (``PromptRotation/userKey(slot:text:)``), a custom slot's `text` by its name.
public struct Prompt: Sendable, Hashable {
    /// A stable name, e.g. `"nudge.hold-a-door"` or `"user.intention.9f3a…"`.
    public let key: String
    /// What the person reads.
    public let text: String

    /// Creates a prompt.
    public init(key: String, text: String) {
        self.key = key
        self.text = text
    }
}

/// FNV-1a, 64 bits, over bytes: stable across runs and machines (unlike `hashValue`,
/// which Swift seeds randomly per process).
public enum StableHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The FNV-1a 64 hash of `text`'s UTF-8 bytes.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }

    /// `value` as 16 lowercase hex digits.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// SplitMix64's finaliser: spreads a seed's bits so that nearby seeds (consecutive
    /// days) pick unrelated prompts.
    static func mix(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
