import FoundationEssentials
import KindlingControl

/// What the commands that save someone's words (respond, note, edit, watch) do around the
/// request, so a failure never loses the words nor misreports what happened to them.
enum SavedText {
    /// Refuses, before anything is sent, a text over the 32 KiB one entry holds (the daemon
    /// would refuse it too; a text over the request frame would not even reach it whole).
    static func checkSize(_ text: String, _ what: String) throws(CLIError) {
        let bytes = text.utf8.count
        let limit = ControlProtocol.maxTextBytes
        guard bytes > limit else { return }
        throw keeping(
            CLIError(
                "your \(what) is \(bytes) bytes, more than the \(limit / 1024) KiB one entry can hold; two shorter entries would fit"
            ),
            text, what)
    }

    /// The failure `error`, with the person's text given back (`what`: "note", "answer", "edit").
    /// When the request may have reached the daemon but no answer came, the outcome is unknown:
    /// saying "NOT saved" could lead to a duplicate, so the message says how to check instead.
    static func keeping(_ error: CLIError, _ text: String, _ what: String) -> CLIError {
        guard !text.trimmed().isEmpty else { return error }
        let said =
            error.outcomeUnknown
            ? "Whether your \(what) was saved is not known: kindlingd received it but its answer did not arrive. "
                + "`kindling journal --since today` shows whether it is there; here it is, in case it is not:"
            : "Your \(what) was NOT saved. Here it is, to keep:"
        var kept = CLIError("\(error.description)\n\(said)\n\(text)", exitCode: error.exitCode)
        kept.outcomeUnknown = error.outcomeUnknown
        return kept
    }
}
