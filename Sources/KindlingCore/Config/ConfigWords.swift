// Helpers shared by the config and program readers: numbers, quoting values for messages,
// and did-you-mean suggestions.
import Foundation

/// Parses a run of ASCII digits whose length is within `digits`; nil otherwise.
func asciiNumber(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
    guard digits.contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(text)
}

func twoDigits(_ n: Int) -> String {
    n < 10 ? "0\(n)" : String(n)
}

/// Quotes a value for an error message: escapes quotes, backslashes, control and
/// invisible formatting characters, and shortens long text, so the message stays on
/// one readable line whatever the file contained.
func quoted(_ text: String, limit: Int = 40) -> String {
    var out = "\""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        count += 1
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            out += isInvisible(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
        }
    }
    return out + "\""
}

/// Control characters, bidirectional overrides and other characters that would hide or
/// rearrange text on a terminal.
func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return true
    default:
        return false
    }
}

/// Levenshtein distance between two strings, by Unicode scalar, ignoring case.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    guard !word.isEmpty, word.unicodeScalars.count <= 64 else { return nil }
    let length = word.unicodeScalars.count
    let allowed = length <= 3 ? 1 : (length <= 6 ? 2 : 3)
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(word, candidate)
        if d <= allowed, d < candidate.unicodeScalars.count, best == nil || d < best!.1 {
            best = (candidate, d)
        }
    }
    return best?.0
}
