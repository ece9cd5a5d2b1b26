/// A command written in the config (`[delivery] command`, `respond_command`) split into
/// the words of an argument vector.
///
/// Kindling never hands these to a shell: prompt text reaches a hook only through its
/// environment, so nothing a prompt or an answer says can become part of a command.
/// The splitting follows the familiar shell rules for quoting and nothing else: words are
/// separated by blanks; `'...'` keeps everything literally; `"..."` keeps blanks, with
/// `\"` and `\\` as escapes; a backslash outside quotes keeps the next character. There
/// is no expansion of any kind (`$HOME`, `~`, `*`, `$(...)` stay as written).
public enum CommandWords {
    /// The words of `text`. Throws for an unterminated quote or an empty command.
    public static func split(_ text: String) throws(ConfigValueError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "'" {
                        closed = true
                        break
                    }
                    current.append(q)
                }
                guard closed else { throw unterminated(text, quote: "'") }
            case "\"":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "\"" {
                        closed = true
                        break
                    }
                    if q == "\\", let next = iterator.next() {
                        if next != "\"" && next != "\\" { current.append("\\") }
                        current.append(next)
                    } else {
                        current.append(q)
                    }
                }
                guard closed else { throw unterminated(text, quote: "\"") }
            case "\\":
                inWord = true
                if let next = iterator.next() { current.append(next) }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        guard !words.isEmpty else { throw ConfigValueError("is empty; write a program and its arguments, or \"\" for none") }
        return words
    }

    private static func unterminated(_ text: String, quote: Character) -> ConfigValueError {
        ConfigValueError("\(text) has a \(quote) that is never closed; close it, or escape it with a backslash")
    }
}
