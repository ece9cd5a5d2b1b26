/// The few text helpers the CLI took from Foundation, which the thin CLI does without.
extension StringProtocol {
    /// Without white space or line breaks at either end.
    func trimmed() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }

    /// Without spaces and tabs at either end; line breaks stay.
    func trimmingSpaces() -> String {
        func isSpace(_ character: Character) -> Bool { character.isWhitespace && !character.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// Padded with spaces at the end to `length` characters (cut to it when longer), for columns.
    func padded(to length: Int) -> String {
        count >= length ? String(prefix(length)) : String(self) + String(repeating: " ", count: length - count)
    }

    /// With its first character in upper case ("mon" → "Mon").
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    /// Every `target` replaced by `replacement`, left to right, byte for byte as Foundation's
    /// literal `replacingOccurrences` did. The standard library's `replacing(_:with:)` compares
    /// whole characters: a quote with a combining mark after it would not be doubled in a CSV
    /// field, nor escaped for the answer window.
    func replacingEvery(_ target: String, with replacement: String) -> String {
        let text = Array(utf8)
        let target = Array(target.utf8)
        precondition(!target.isEmpty)
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        // Byte by byte: UTF-8 never has one character's bytes inside another's, so a match of
        // the whole target's bytes is a match of its characters.
        while index < text.count {
            if text[index] == target[0], text[index...].starts(with: target) {
                out += replacement.utf8
                index += target.count
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
