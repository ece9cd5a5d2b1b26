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
}
