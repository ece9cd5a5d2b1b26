// Reading the values of one table of a config or program document: each typed read reports
// a wrong type or a bad value, with its key, and gives nil.
import Foundation

// MARK: - Reading values

/// Describes a TOML value for "must be X, not Y" messages.
func describe(_ value: TOMLNodeValue) -> String {
    switch value {
    case .string(let text): "the text " + quoted(text)
    case .integer(let number): "the number \(number)"
    case .float(let number): "the number \(number)"
    case .boolean(let bool): bool ? "true" : "false"
    case .array: "a list"
    case .table: "a table"
    case .localDate: "a date"
    case .localTime: "a time without quotes"
    case .localDateTime, .offsetDateTime: "a date and time"
    }
}

/// The value of each kind, or nil when it is of another: what the readers below ask.
extension TOMLNodeValue {
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var int: Int? { if case .integer(let number) = self { Int(exactly: number) } else { nil } }
    var bool: Bool? { if case .boolean(let bool) = self { bool } else { nil } }
    var array: [TOMLNodeValue]? { if case .array(let elements) = self { elements.map(\.value) } else { nil } }
    var table: TOMLMap? { if case .table(let table) = self { table } else { nil } }
    var time: TOMLLocalTime? { if case .localTime(let time) = self { time } else { nil } }
    var date: TOMLLocalDate? { if case .localDate(let date) = self { date } else { nil } }
}

extension TOMLMap {
    /// The value under `key`, if it is written.
    func value(_ key: String) -> TOMLNodeValue? { self[key]?.value }
}

/// One TOML table being read: reports unknown keys up front, then hands out typed values.
struct TableReader {
    let table: TOMLMap
    let path: ConfigKeyPath
    let diagnostics: Diagnostics

    /// The longest list Kindling accepts anywhere.
    static let maximumListLength = 96
    /// The longest text value Kindling accepts.
    static let maximumTextLength = 1000

    /// Reports every key not in `knownKeys`; nil skips the check (the document root does
    /// its own, see ``ConfigReader/checkTopLevel(_:)``).
    init(_ table: TOMLMap, at path: ConfigKeyPath, knownKeys: [String]?, diagnostics: Diagnostics) {
        self.table = table
        self.path = path
        self.diagnostics = diagnostics
        guard let knownKeys else { return }
        for key in table.keys where !knownKeys.contains(key) {
            var message = "is not a setting of \(path.tableName)"
            if key == "ask_mood", path.tableName == "[break]" {
                message += "; a break asks nothing back, not even how you feel, so remove it"
            } else if let near = closestMatch(to: key, among: knownKeys) {
                message += "; did you mean \"\(near)\"?"
            } else {
                message += "; it takes " + listed(knownKeys)
            }
            diagnostics.report(path.appending(key), message)
        }
    }

    func value(_ key: String) -> TOMLNodeValue? { table.value(key) }

    func wrongType(_ key: String, expected: String, found: TOMLNodeValue) {
        diagnostics.report(path.appending(key), "must be \(expected), not \(describe(found))")
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else {
            wrongType(key, expected: "true or false (without quotes)", found: value)
            return nil
        }
        return bool
    }

    /// A list of strings (`["a", "b"]`); reports a value that is not one, and each bad item.
    func strings(_ key: String, expected: String) -> [String]? {
        guard let value = value(key) else { return nil }
        guard let items = value.array else {
            wrongType(key, expected: expected, found: value)
            return nil
        }
        var out: [String] = []
        for item in items {
            guard let text = item.string else {
                wrongType(key, expected: expected, found: item)
                return nil
            }
            guard let checked = checkedText(text, at: path.appending(key), allowNewlines: false) else { return nil }
            out.append(checked)
        }
        return out
    }

    /// A string value; reports wrong types, overlong text and invisible control characters.
    func string(_ key: String, expected: String, allowNewlines: Bool = false) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else {
            wrongType(key, expected: expected, found: value)
            return nil
        }
        return checkedText(string, at: path.appending(key), allowNewlines: allowNewlines)
    }

    func checkedText(_ text: String, at keyPath: ConfigKeyPath, allowNewlines: Bool) -> String? {
        if text.count > TableReader.maximumTextLength {
            diagnostics.report(
                keyPath, "is \(text.count) characters long; keep it under \(TableReader.maximumTextLength)"
            )
            return nil
        }
        if let bad = text.unicodeScalars.first(where: {
            $0.properties.generalCategory == .control && !(allowNewlines && ($0 == "\n" || $0 == "\t"))
        }) {
            let name = "\\u{" + String(bad.value, radix: 16, uppercase: true) + "}"
            diagnostics.report(keyPath, "\(quoted(text)) contains the control character \(name); remove it")
            return nil
        }
        return text
    }

    /// A string parsed by a value type; reports the value type's own message.
    func parsed<T>(
        _ key: String, expected: String, _ parse: (String) throws(ConfigValueError) -> T
    ) -> T? {
        guard let text = string(key, expected: expected) else { return nil }
        do {
            return try parse(text)
        } catch {
            diagnostics.report(path.appending(key), error.message)
            return nil
        }
    }

    /// Whether `command` splits into words (see ``CommandWords``); reports it when not.
    func commandWords(_ key: String, _ command: String) -> Bool {
        do {
            _ = try CommandWords.split(command)
            return true
        } catch {
            diagnostics.report(path.appending(key), error.message)
            return false
        }
    }

    static let timeExpected = "a time in quotes, like \"08:00\""

    /// A time of day: a string, or a TOML local time without fractions of a second.
    func timeOfDay(_ value: TOMLNodeValue, at keyPath: ConfigKeyPath, expected: String) -> TimeOfDay? {
        if let time = value.time {
            if time.nanosecond == 0, let result = TimeOfDay(hour: time.hour, minute: time.minute, second: time.second) {
                return result
            }
            diagnostics.report(keyPath, "must be a whole second; write it in quotes as HH:MM, e.g. \"08:00\"")
            return nil
        }
        guard let text = value.string else {
            diagnostics.report(keyPath, "must be \(expected), not \(describe(value))")
            return nil
        }
        do {
            return try TimeOfDay(parsing: text)
        } catch {
            diagnostics.report(keyPath, error.message)
            return nil
        }
    }

    func timeOfDay(_ key: String) -> TimeOfDay? {
        guard let value = value(key) else { return nil }
        return timeOfDay(value, at: path.appending(key), expected: TableReader.timeExpected)
    }

    /// `at`: one time or a list of them, returned sorted.
    func times(_ key: String) -> [TimeOfDay]? {
        guard let value = value(key) else { return nil }
        let keyPath = path.appending(key)
        let expected = "a time like \"08:00\" or a list of times like [\"08:00\", \"13:00\"]"
        guard let array = value.array else {
            return timeOfDay(value, at: keyPath, expected: expected).map { [$0] }
        }
        guard !array.isEmpty else {
            diagnostics.report(
                keyPath, "is an empty list, so it would never come; give at least one time like \"08:00\", or use enabled = false"
            )
            return nil
        }
        guard array.count <= TableReader.maximumListLength else {
            diagnostics.report(
                keyPath, "lists \(array.count) times; at most \(TableReader.maximumListLength) are allowed"
            )
            return nil
        }
        var result: [TimeOfDay] = []
        var ok = true
        for index in 0..<array.count {
            let entryPath = keyPath.appending(index: index + 1)
            guard let time = timeOfDay(array[index], at: entryPath, expected: TableReader.timeExpected) else {
                ok = false
                continue
            }
            if result.contains(time) {
                diagnostics.report(entryPath, "\"\(time)\" is listed twice; list each time once")
                ok = false
                continue
            }
            result.append(time)
        }
        return ok ? result.sorted() : nil
    }

    /// `days`: `"daily"`, `"weekdays"`, `"weekends"` or a list of day names.
    func days(_ key: String) -> DaySet? {
        guard let value = value(key) else { return nil }
        let keyPath = path.appending(key)
        let expected = "\"daily\", \"weekdays\", \"weekends\" or a list of days like [\"mon\", \"thu\"]"
        do {
            if let text = value.string { return try DaySet(parsing: text) }
            guard let array = value.array else {
                diagnostics.report(keyPath, "must be \(expected), not \(describe(value))")
                return nil
            }
            guard array.count <= TableReader.maximumListLength else {
                diagnostics.report(
                    keyPath, "lists \(array.count) days; there are only 7, so list each at most once"
                )
                return nil
            }
            var names: [String] = []
            for index in 0..<array.count {
                guard let name = array[index].string else {
                    diagnostics.report(
                        keyPath.appending(index: index + 1),
                        "must be a day in quotes, like \"mon\", not \(describe(array[index]))"
                    )
                    return nil
                }
                names.append(name)
            }
            return try DaySet(parsingList: names)
        } catch {
            diagnostics.report(keyPath, error.message)
            return nil
        }
    }

    func duration(_ key: String) -> ConfigDuration? {
        if let number = value(key)?.int {
            diagnostics.report(
                path.appending(key),
                "must be a duration in quotes with a unit, like \"\(max(number, 1))m\" for minutes, not the number \(number)"
            )
            return nil
        }
        return parsed(key, expected: "a duration in quotes, like \"10m\"") { text throws(ConfigValueError) in
            try ConfigDuration(parsing: text)
        }
    }

    func window(_ key: String) -> TimeWindow? {
        parsed(key, expected: "a time window in quotes, like \"09:00-17:00\"") { text throws(ConfigValueError) in
            try TimeWindow(parsing: text)
        }
    }

    /// `answer_until` / `valid_for`: at most one of them.
    func validity() -> SlotValidity? {
        let until = timeOfDay("answer_until")
        let duration = duration("valid_for")
        if value("answer_until") != nil && value("valid_for") != nil {
            diagnostics.report(
                path.appending("valid_for"),
                "set either answer_until (a time of day) or valid_for (a duration), not both; remove one"
            )
            return nil
        }
        if let until { return .until(until) }
        if let duration { return .for(duration) }
        if value("answer_until") != nil || value("valid_for") != nil { return nil }
        return .slotDefault
    }
}

/// `a, b and c` (or `a, b or c`).
func listed(_ items: [String], conjunction: String = "and") -> String {
    switch items.count {
    case 0: ""
    case 1: items[0]
    default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }
}
