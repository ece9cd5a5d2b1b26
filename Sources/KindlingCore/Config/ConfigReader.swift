// Reading config.toml's document into a Configuration: the top level, the built-in tables
// and the checks on the whole. Slots are in ConfigReader+Slots.swift, the time zone, program
// and delivery in ConfigReader+Settings.swift.
import Foundation

// MARK: - Reading the document

struct ConfigReader {
    let diagnostics: Diagnostics

    static let commonKeys = ["enabled", "builtin_prompts", "answer_until", "valid_for"]
    static let rootKeys = ["timezone", "quiet_hours", "affirmations", "streaks"]
    static let tables = ["intention", "nudge", "reflection", "review", "break", "program", "delivery", "calendar", "calls"]
    static let arrays = ["prompt", "custom"]
    static let intentionKeys = ["at", "days", "ask_mood"] + commonKeys
    static let nudgeKeys = ["window", "ask_mood"] + commonKeys
    static let reflectionKeys = ["at", "days", "ask_mood"] + commonKeys
    static let reviewKeys = ["at", "ask_mood"] + commonKeys
    static let breakKeys = ["every", "during", "days", "after_events", "min_gap"] + commonKeys
    static let calendarKeys = ["path", "hold"]
    static let callsKeys = ["hold", "ignore"]
    static let programKeys = ["name", "start", "skip"]
    static let deliveryKeys = [
        "desktop", "terminal", "command", "respond_command", "snooze", "discreet", "keep_in_history",
    ]
    static let promptKeys = ["slot", "text"]
    static let customKeys = ["name", "at", "days", "text", "ask_mood"] + commonKeys

    static let maximumPrompts = 1000
    static let maximumCustoms = 96

    func read(_ document: TOMLMap, base: Configuration) -> Configuration {
        var config = base
        config.prompts = []
        config.customs = []
        checkTopLevel(document)
        let root = TableReader(document, at: .root, knownKeys: nil, diagnostics: diagnostics)

        if let zone = root.string("timezone", expected: "text in quotes, like \"local\" or \"America/Chicago\"") {
            if let setting = timeZone(zone, at: ConfigKeyPath.root.appending("timezone")) {
                config.timezone = setting
            }
        }
        if let quiet = root.string("quiet_hours", expected: "a time window in quotes, like \"22:00-07:00\", or \"\"") {
            if quiet.trimmingCharacters(in: .whitespaces).isEmpty {
                config.quietHours = nil
            } else {
                do {
                    config.quietHours = try TimeWindow(parsing: quiet)
                } catch {
                    diagnostics.report(ConfigKeyPath.root.appending("quiet_hours"), error.message + "; or \"\" for none")
                }
            }
        }
        if let on = root.bool("affirmations") { config.affirmations = on }
        if let streaks = root.bool("streaks") { config.streaks = streaks }

        if let t = table(document, "intention", knownKeys: ConfigReader.intentionKeys) {
            readCommon(t, into: &config.intention)
            if let at = t.times("at") { config.intention.at = at }
            if let days = t.days("days") { config.intention.days = days }
            if let ask = t.bool("ask_mood") { config.intention.askMood = ask }
        }
        if let t = table(document, "nudge", knownKeys: ConfigReader.nudgeKeys) {
            readCommon(t, into: &config.nudge)
            if let window = t.window("window") { config.nudge.window = window }
            if let ask = t.bool("ask_mood") { config.nudge.askMood = ask }
        }
        if let t = table(document, "reflection", knownKeys: ConfigReader.reflectionKeys) {
            readCommon(t, into: &config.reflection)
            if let at = t.times("at") { config.reflection.at = at }
            if let days = t.days("days") { config.reflection.days = days }
            if let ask = t.bool("ask_mood") { config.reflection.askMood = ask }
        }
        if let t = table(document, "review", knownKeys: ConfigReader.reviewKeys) {
            readCommon(t, into: &config.review)
            if let at = t.parsed(
                "at", expected: "a day and a time in quotes, like \"sun 19:00\"",
                {
                    text throws(ConfigValueError) in try WeeklyTime(parsing: text)
                })
            {
                config.review.at = at
            }
            if let ask = t.bool("ask_mood") { config.review.askMood = ask }
        }
        if let t = table(document, "break", knownKeys: ConfigReader.breakKeys) {
            readCommon(t, into: &config.breaks)
            if let every = t.duration(
                "every", atLeast: ConfigIntervalLimits.breakEvery, "so a break comes at most every five minutes")
            {
                config.breaks.every = every
            }
            if let during = t.window("during") { config.breaks.during = during }
            if let days = t.days("days") { config.breaks.days = days }
            if let after = t.bool("after_events") { config.breaks.afterEvents = after }
            if let gap = t.duration("min_gap") { config.breaks.minGap = gap }
            if config.breaks.every.seconds >= config.breaks.during.lengthInSeconds,
                t.value("every") != nil || t.value("during") != nil
            {
                diagnostics.report(
                    t.path.appending(t.value("every") != nil ? "every" : "during"),
                    "a break every \(config.breaks.every) would never come inside \(config.breaks.during); make every shorter than the window"
                )
            }
        }
        if let t = table(document, "program", knownKeys: ConfigReader.programKeys) {
            readProgram(t, into: &config.program)
        }
        if let t = table(document, "delivery", knownKeys: ConfigReader.deliveryKeys) {
            readDelivery(t, into: &config.delivery)
        }
        if let t = table(document, "calendar", knownKeys: ConfigReader.calendarKeys) {
            if let path = t.string("path", expected: "a file or folder in quotes, or \"\" for none") {
                config.calendar.path = path.trimmingCharacters(in: .whitespaces).isEmpty ? nil : path
            }
            if let hold = t.bool("hold") { config.calendar.hold = hold }
        }
        if let t = table(document, "calls", knownKeys: ConfigReader.callsKeys) {
            if let hold = t.bool("hold") { config.calls.hold = hold }
            if let ignore = t.strings("ignore", expected: "a list of program names in quotes, like [\"pavucontrol\"]") {
                config.calls.ignore = ignore
            }
        }

        let customs = readCustoms(document)
        config.customs = customs.slots
        config.prompts = readPrompts(document, slotNames: Configuration.builtinSlotNames + customs.rawNames)
        checkPromptSources(config)
        checkPromptsPerDay(config)
        return config
    }

    // MARK: Structure

    /// Reports unknown top-level keys and tables, with a suggestion or a list of what is known.
    func checkTopLevel(_ document: TOMLMap) {
        let known = ConfigReader.rootKeys + ConfigReader.tables + ConfigReader.arrays
        let tableKeys: [(String, [String])] = [
            ("[intention]", ConfigReader.intentionKeys), ("[nudge]", ConfigReader.nudgeKeys),
            ("[reflection]", ConfigReader.reflectionKeys), ("[review]", ConfigReader.reviewKeys),
            ("[break]", ConfigReader.breakKeys), ("[program]", ConfigReader.programKeys),
            ("[delivery]", ConfigReader.deliveryKeys), ("[calendar]", ConfigReader.calendarKeys),
            ("[calls]", ConfigReader.callsKeys),
            ("[[prompt]]", ConfigReader.promptKeys),
            ("[[custom]]", ConfigReader.customKeys),
        ]
        for key in document.keys where !known.contains(key) {
            let path = ConfigKeyPath.root.appending(key)
            let isTable = document.value(key)?.table != nil
            let isArrayOfTables = document.value(key)?.array.map { !$0.isEmpty && $0[0].table != nil } ?? false
            if isTable || isArrayOfTables {
                var message = "is not a Kindling table"
                if let near = closestMatch(to: key, among: ConfigReader.tables + ConfigReader.arrays) {
                    let bracketed = ConfigReader.arrays.contains(near) ? "[[\(near)]]" : "[\(near)]"
                    message += "; did you mean \(bracketed)?"
                } else {
                    message +=
                        "; the tables are "
                        + listed(
                            ConfigReader.tables.map { "[\($0)]" } + ConfigReader.arrays.map { "[[\($0)]]" }
                        )
                }
                diagnostics.report(path, message)
            } else if let near = closestMatch(to: key, among: ConfigReader.rootKeys) {
                diagnostics.report(path, "is not a top-level setting; did you mean \"\(near)\"?")
            } else {
                let homes = tableKeys.filter { $0.1.contains(key) }.map(\.0)
                if homes.isEmpty {
                    diagnostics.report(
                        path,
                        "is not a setting; the top level takes timezone, quiet_hours, affirmations and streaks, and everything else goes in a table such as [intention]"
                    )
                } else {
                    diagnostics.report(
                        path,
                        "belongs inside a table, not at the top level; put it under \(listed(homes, conjunction: "or"))"
                    )
                }
            }
        }
    }

    /// A built-in table, or nil (with a report) when it is written as something else.
    func table(_ document: TOMLMap, _ name: String, knownKeys: [String]) -> TableReader? {
        guard let value = document.value(name) else { return nil }
        let path = ConfigKeyPath.root.appending(name)
        if let table = value.table {
            return TableReader(table, at: path, knownKeys: knownKeys, diagnostics: diagnostics)
        }
        if let array = value.array, !array.isEmpty, array[0].table != nil {
            diagnostics.report(path, "write [\(name)] with single brackets: there is only one \(name) table")
        } else {
            diagnostics.report(
                path, "must be a table, not \(describe(value)): write [\(name)] on a line of its own, with its settings below it"
            )
        }
        return nil
    }

    /// The tables of a `[[name]]` array, or [] (with a report) when it is written as something else.
    func arrayOfTables(_ document: TOMLMap, _ name: String, limit: Int) -> [TOMLMap] {
        let each = name == "custom" ? "custom slot" : name
        guard let value = document.value(name) else { return [] }
        let path = ConfigKeyPath.root.appending(name)
        guard let array = value.array else {
            if value.table != nil {
                diagnostics.report(path, "write [[\(name)]] with double brackets, one block for each \(each)")
            } else {
                diagnostics.report(path, "must be written as [[\(name)]] blocks, not \(describe(value))")
            }
            return []
        }
        guard array.count <= limit else {
            diagnostics.report(path, "has \(array.count) [[\(name)]] blocks; at most \(limit) are allowed")
            return []
        }
        var tables: [TOMLMap] = []
        for index in 0..<array.count {
            guard let table = array[index].table else {
                diagnostics.report(
                    path.appending(index: index + 1), "must be a [[\(name)]] table, not \(describe(array[index]))"
                )
                return []
            }
            tables.append(table)
        }
        return tables
    }
}
