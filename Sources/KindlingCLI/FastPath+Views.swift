/// `journal` and `stats` without swift-argument-parser. Their parse cost more than the rest of
/// the command on a journal of 100,000 entries: building the command tree and reflecting over
/// each command's properties is one scan of the static binary's conformances after another
/// (callgrind: about 14 of 21 million instructions of a `kindling stats`).
extension FastPath {
    /// The view commands' fast form: the command first, then its options in their plain
    /// spelling (`--since DATE`, never `--since=DATE`), each at most once, with values the
    /// command's own validation accepts. Anything else, `--help` included, is left to the
    /// parser, which words the errors; so a line taken here means what the parser would make of it.
    static func matchView(_ arguments: [String]) -> FastPath? {
        guard let command = arguments.first, command == "journal" || command == "stats" else { return nil }
        let valued = command == "journal" ? ["--since", "--until", "--slot", "--search", "--limit"] : ["--weeks"]
        var values: [String: String] = [:]
        var json = false
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--json", !json {
                json = true
                index += 1
                continue
            }
            guard argument == "--socket" || valued.contains(argument), values[argument] == nil, index + 1 < arguments.count
            else { return nil }
            // A value that looks like an option, or none at all, is the parser's to refuse.
            let value = arguments[index + 1]
            guard let first = value.first, first != "-" else { return nil }
            values[argument] = value
            index += 2
        }
        let socket = values["--socket"]
        if command == "stats" {
            let weeks = values["--weeks"].map { Int($0) } ?? 8
            guard let weeks, (1...52).contains(weeks) else { return nil }
            return .stats(socket: socket, json: json, weeks: weeks)
        }
        for key in ["--since", "--until"] {
            if let date = values[key], !["today", "yesterday"].contains(date.lowercased()), LocalDate(date) == nil {
                return nil
            }
        }
        var limit: Int?
        if let text = values["--limit"] {
            guard let number = Int(text), (1...10_000).contains(number) else { return nil }
            limit = number
        }
        let filter = Journal.Filter(
            since: values["--since"], until: values["--until"], slot: values["--slot"], search: values["--search"], limit: limit)
        return .journal(socket: socket, json: json, filter)
    }
}
