/// A short fingerprint of a text: `edit` sends the fingerprint of the text its editor started
/// from rather than the text itself, so that an edit of a long entry still fits in one request
/// line (two copies of a 32 KiB text, escaped, would not). FNV-1a over the UTF-8 bytes, 64 bits:
/// it tells an accidental change apart, which is all a lost-update check needs.
public enum TextDigest {
    public static func of(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
