// The time zone, [program] and [delivery] of config.toml.
import Foundation

extension ConfigReader {
    func timeZone(_ text: String, at path: ConfigKeyPath) -> TimeZoneSetting? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "local" { return .local }
        let howTo = "use \"local\" or a zone name like \"America/Chicago\""
        if trimmed.isEmpty {
            diagnostics.report(path, "is empty; \(howTo)")
            return nil
        }
        // Zone names are short ASCII paths; anything else never reaches the zoneinfo lookup.
        let plausible =
            trimmed.utf8.count <= 64 && !trimmed.contains("..") && !trimmed.hasPrefix("/")
            && trimmed.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == 0x2F || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B
            }
        if plausible, TimeZone(identifier: trimmed) != nil {
            return .named(trimmed)
        }
        let known = plausible ? TimeZone.knownTimeZoneIdentifiers : []
        let suggestion =
            known.first { $0.lowercased() == trimmed.lowercased() }
            ?? closestMatch(to: trimmed, among: known)
        let advice = suggestion.map { "did you mean \"\($0)\"?" } ?? howTo
        diagnostics.report(path, "\(quoted(text)) is not a time zone this system knows; \(advice)")
        return nil
    }

    func readProgram(_ t: TableReader, into program: inout ProgramSettings) {
        let names = ProgramChoice.allCases.map(\.rawValue)
        if let name = t.string("name", expected: "a program name in quotes, like \"widening-circle\"") {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            if names.contains(trimmed) {
                program.name = ProgramChoice(rawValue: trimmed)
            } else if ProgramFile.nameProblem(trimmed) == nil, closestMatch(to: trimmed, among: names) == nil {
                // A program the person added (kindling program add); the daemon finds its file.
                program.name = ProgramChoice(rawValue: trimmed)
            } else {
                var message =
                    "\(quoted(name)) is not a program; use "
                    + listed(names.map { "\"\($0)\"" }, conjunction: "or")
                    + " or the name of one you added"
                if let near = closestMatch(to: name, among: names) { message += "; did you mean \"\(near)\"?" }
                t.diagnostics.report(t.path.appending("name"), message)
            }
        }
        if let value = t.value("start") {
            let path = t.path.appending("start")
            if let date = value.date {
                if let result = ConfigDate(year: date.year, month: date.month, day: date.day) {
                    program.start = result
                } else {
                    t.diagnostics.report(path, "must be a date from 1970 on, written \"YYYY-MM-DD\"")
                }
            } else if let text = t.string("start", expected: "a date in quotes, like \"2025-03-01\", or \"\"") {
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    program.start = nil
                } else {
                    do {
                        program.start = try ConfigDate(parsing: text)
                    } catch {
                        t.diagnostics.report(path, error.message + "; or \"\" to start on the first day")
                    }
                }
            }
        }
        if let value = t.value("skip") {
            let path = t.path.appending("skip")
            guard let array = value.array else {
                t.wrongType("skip", expected: "a list of numbers, like [2] or []", found: value)
                return
            }
            guard array.count <= TableReader.maximumListLength else {
                t.diagnostics.report(path, "lists \(array.count) numbers; at most \(TableReader.maximumListLength) are allowed")
                return
            }
            let choice = program.name
            var skip = Set<Int>()
            var skipDays = Set<Int>()
            for index in 0..<array.count {
                let entryPath = path.appending(index: index + 1)
                if choice == .none {
                    t.diagnostics.report(
                        path, "lists \(describe(array[index])), but name = \"none\" has nothing to skip; use skip = []")
                    return
                }
                if !choice.isBuiltIn {
                    // An added program's length is known only once its file is read: steps by number.
                    guard let number = array[index].int, number >= 1 else {
                        t.diagnostics.report(
                            entryPath, "an added program's steps are left out by number, e.g. skip = [2]")
                        return
                    }
                    skip.insert(number)
                    continue
                }
                if let text = array[index].string, !text.allSatisfy({ $0.isNumber || $0 == " " }) {
                    switch ProgramSkip.parse(text, program: choice) {
                    case .success(.step(let number)): skip.insert(number)
                    case .success(.day(let number)): skipDays.insert(number)
                    case .failure(let error):
                        t.diagnostics.report(entryPath, error.message)
                        return
                    }
                    continue
                }
                guard let number = array[index].int else {
                    t.diagnostics.report(
                        entryPath,
                        "must be a whole number without quotes, or a day such as \"day 10\", not \(describe(array[index]))")
                    return
                }
                guard (1...choice.length).contains(number) else {
                    t.diagnostics.report(
                        entryPath,
                        "\(number) is not a \(choice.unit) of \(choice.rawValue); use 1 to \(choice.length)"
                    )
                    return
                }
                skip.insert(number)
            }
            var settings = program
            settings.skip = skip.sorted()
            settings.skipDays = skipDays.sorted()
            if choice.isBuiltIn, ProgramEngine.programDays(settings).isEmpty {
                t.diagnostics.report(
                    path,
                    "skips every \(skip.count == choice.length ? choice.unit : "day") of \(choice.rawValue); to go without a program, set name = \"none\""
                )
                return
            }
            program = settings
        }
    }

    func readDelivery(_ t: TableReader, into delivery: inout DeliverySettings) {
        if let desktop = t.bool("desktop") { delivery.desktop = desktop }
        if let terminal = t.bool("terminal") { delivery.terminal = terminal }
        if let discretion = readDiscreet(t) { delivery.discretion = discretion }
        if let keep = t.bool("keep_in_history") { delivery.keepInHistory = keep }
        if let snooze = t.duration("snooze") { delivery.snooze = snooze }
        if let command = t.string("command", expected: "a command in quotes, or \"\" for none"),
            !command.trimmingCharacters(in: .whitespaces).isEmpty, t.commandWords("command", command)
        {
            delivery.command = command
        }
        if let respond = t.string("respond_command", expected: "\"auto\", a command in quotes, or \"\" for none") {
            let trimmed = respond.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                delivery.respondCommand = .disabled
            } else if trimmed == "auto" {
                delivery.respondCommand = .auto
            } else if t.commandWords("respond_command", respond) {
                delivery.respondCommand = .command(respond)
            }
        }
    }
}

extension ConfigReader {
    static let discreetExpected = "true, false, \"when-locked\", or a table like { desktop = \"when-locked\", hook = true }"

    /// `discreet`: one setting for every channel, or a table with one for each.
    func readDiscreet(_ t: TableReader) -> DiscreetSettings? {
        guard let value = t.value("discreet") else { return nil }
        let path = t.path.appending("discreet")
        if let table = value.table {
            let channels = DiscreetSettings.Channel.allCases.map(\.rawValue)
            let inner = TableReader(table, at: path, knownKeys: channels, diagnostics: diagnostics)
            var settings = DiscreetSettings()
            for channel in DiscreetSettings.Channel.allCases {
                guard let value = inner.value(channel.rawValue) else { continue }
                guard
                    let discretion = discretion(
                        value, at: path.appending(channel.rawValue), expected: "true, false or \"when-locked\"")
                else { return nil }
                settings[channel] = discretion
            }
            return settings
        }
        return discretion(value, at: path, expected: Self.discreetExpected).map { DiscreetSettings(all: $0) }
    }

    private func discretion(_ value: TOMLNodeValue, at path: ConfigKeyPath, expected: String) -> Discretion? {
        if let bool = value.bool { return bool ? .always : .never }
        if let text = value.string, let discretion = Discretion(rawValue: text), discretion == .whenLocked {
            return discretion
        }
        if let text = value.string, text.lowercased().filter(\.isLetter) == "whenlocked" {
            diagnostics.report(path, "write \"when-locked\" (lowercase, with a hyphen), not \(quoted(text))")
            return nil
        }
        diagnostics.report(path, "must be \(expected), not \(describe(value))")
        return nil
    }
}
