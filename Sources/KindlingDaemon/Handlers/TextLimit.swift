import KindlingControl

/// The most one saved text may hold (``ControlProtocol/maxTextBytes``), checked by every
/// handler that saves one: an answer, a note, an edit. Far beyond anything typed, it keeps
/// each entry's echo and its export line within reach of every reader.
enum TextLimit {
    /// `too_large` when `text` is over the limit (`what`: "note", "answer", "edit"), else nil.
    static func refusal(_ text: String, _ what: String) -> ControlError? {
        let bytes = text.utf8.count
        let limit = ControlProtocol.maxTextBytes
        guard bytes > limit else { return nil }
        return ControlError(
            .tooLarge,
            "your \(what) is \(bytes) bytes, more than the \(limit / 1024) KiB one entry can hold; two shorter entries would fit"
        )
    }
}
