import Foundation

/// What a client asks of the daemon. One case per command, each with its arguments;
/// the daemon dispatches on it in one `switch` (one verb, one name in every layer).
public enum Request: Equatable, Sendable {
    /// The daemon's state: next prompts, pending prompts, paths, problems.
    case status
    /// Re-read the configuration file; on error keep the running one.
    case reload
    /// The next `count` occurrences after `from` (an ISO 8601 instant; default now).
    case next(count: Int, from: String?)
    /// The prompts delivered and still waiting for an answer.
    case pending
    /// Turns the connection into an event stream (pending prompts first, then live events).
    case watch
    /// Delivers a prompt of `slot` now.
    case fire(slot: String)
    /// Saves an answer to prompt `id` (nil: the most recent pending one).
    case respond(id: Int64?, text: String, mood: Int?, energy: Int?, channel: String)
    /// Snoozes prompt `id` (nil: the most recent pending one) for `duration` ("10m"; nil: the configured snooze).
    case snooze(id: Int64?, duration: String?)
    /// Skips prompt `id` (nil: the most recent pending one).
    case skip(id: Int64?)
    /// Pauses prompts for `duration`, or until `until` (a time "HH:MM" or an ISO 8601 instant), or until `resume`.
    case pause(duration: String?, until: String?)
    /// Ends a pause.
    case resume
    /// Saves a quick note at any time; `kind` is "given", "received" or nil (just a note);
    /// `mood` and `energy` (1 to 5) say how the person feels, when they want to.
    case note(text: String, kind: String?, mood: Int? = nil, energy: Int? = nil)
    /// One journal entry (an answer or a note), by its entry id.
    case entry(id: Int64)
    /// Changes an entry's text, mood or energy; nil leaves a value as it is.
    /// `expected`: the ``TextDigest`` of the text the change started from (an editor's copy); when
    /// the entry no longer holds that text, someone else changed it meanwhile and the daemon
    /// answers `conflict`.
    case edit(id: Int64, text: String?, mood: Int?, energy: Int?, expected: String? = nil)
    /// Removes an entry.
    case delete(id: Int64)
    /// Removes the whole journal, its sidecar files and every automatic snapshot; an empty journal
    /// takes its place. The wire form says `"all": true` so that no partial request can mean it.
    case eraseAll
    /// The journal by day, newest first: dates are "YYYY-MM-DD", "today" or "yesterday";
    /// `limit` is the number of days (nil: the daemon's default).
    case journal(since: String?, until: String?, slot: String?, search: String?, limit: Int?)
    /// Streaks, answers per slot per week, and mood and energy over the last `weeks` weeks.
    case stats(weeks: Int)
    /// Copies the journal now, to `output` (an absolute path; nil: today's snapshot in the snapshots folder).
    /// An existing `output` is replaced only with `replace` (the person agreed), and only if it is a regular file.
    case backup(output: String?, replace: Bool = false)
    /// Replaces the journal with the Kindling journal at `path` (absolute), after a snapshot of the current one.
    case restore(path: String)
    /// The whole journal as a stream: the response (an ``ExportHeader``), then one ``ExportEntry`` a
    /// line in the order written, then an ``ExportEnd``.
    case export
    /// Saves the entries the journal does not have yet (same type, instant and text), keeping their times.
    /// `more`: further batches follow on this connection; the daemon may hold these and save them
    /// with the next ones, in one transaction (its reply then counts nothing yet). The last
    /// batch (`more` false) saves whatever is held.
    case `import`(entries: [ExportEntry], more: Bool = false)
    /// A look back at the ISO week (Monday to Sunday) holding `date` ("YYYY-MM-DD"; nil: this week).
    case week(date: String?)
    /// A short grounding moment on the desktop; it records nothing and asks nothing back.
    case breathe
    /// Every prompt the rotation can draw from, with its key, slot and whether it is hidden.
    case promptList
    /// Turns one built-in prompt off (`hidden` true) or back on, by its key.
    case promptVisibility(key: String, hidden: Bool)
    /// What a summary page of the practice needs (``ReportResult``), from `since` through `until`
    /// ("YYYY-MM-DD", "today" or "yesterday"; nil: a year back, and today). The person's own
    /// words only with `withText` (every entry in the range) or for the `entries` they chose.
    case report(since: String?, until: String?, withText: Bool = false, entries: [Int64] = [])
    /// The built-in and added programs, and which one is in use.
    case programList
    /// One program with its steps.
    case programShow(name: String)
    /// Copies the checked program file at `path` (absolute) into the programs folder.
    case programAdd(path: String, replace: Bool = false)
    /// Begins a program, or resumes it where it was; `over` begins again from its first step.
    case programStart(name: String, over: Bool = false)
    /// No program shapes the days from now; every program's progress is kept.
    case programStop
    /// Leaves a step of the program in use out: `step` nil (or the step in hand) moves on now.
    case programSkip(step: Int?)

    /// The wire name of the command, `"cmd"` in the JSON.
    public var command: String {
        switch self {
        case .status: "status"
        case .reload: "reload"
        case .next: "next"
        case .pending: "pending"
        case .watch: "watch"
        case .fire: "fire"
        case .respond: "respond"
        case .snooze: "snooze"
        case .skip: "skip"
        case .pause: "pause"
        case .resume: "resume"
        case .note: "note"
        case .entry: "entry"
        case .edit: "edit"
        case .delete: "delete"
        case .eraseAll: "erase"
        case .journal: "journal"
        case .stats: "stats"
        case .backup: "backup"
        case .restore: "restore"
        case .export: "export"
        case .import: "import"
        case .week: "week"
        case .breathe: "breathe"
        case .promptList: "prompt_list"
        case .promptVisibility(_, let hidden): hidden ? "prompt_hide" : "prompt_show"
        case .report: "report"
        case .programList: "program_list"
        case .programShow: "program_show"
        case .programAdd: "program_add"
        case .programStart: "program_start"
        case .programStop: "program_stop"
        case .programSkip: "program_skip"
        }
    }

    /// The command's arguments as JSON values, beside `v`, `id` and `cmd`; nil ones are left
    /// out. A list, not a dictionary: a short-lived CLI pays for a dictionary type's first use.
    var arguments: [(key: String, value: JSONValue)] {
        var out: [(key: String, value: JSONValue)] = []
        func set(_ key: String, _ value: String?) { if let value { out.append((key, .string(value))) } }
        func set<N: BinaryInteger>(_ key: String, _ value: N?) { if let value { out.append((key, .number(String(value)))) } }
        switch self {
        case .status, .reload, .pending, .watch, .resume, .export, .breathe, .promptList, .programList, .programStop: break
        case .eraseAll: out.append(("all", .bool(true)))
        case .next(let count, let from):
            set("count", count)
            set("from", from)
        case .fire(let slot):
            set("slot", slot)
        case .respond(let id, let text, let mood, let energy, let channel):
            set("prompt_id", id)
            set("text", text)
            set("mood", mood)
            set("energy", energy)
            set("channel", channel)
        case .snooze(let id, let duration):
            set("prompt_id", id)
            set("for", duration)
        case .skip(let id):
            set("prompt_id", id)
        case .pause(let duration, let until):
            set("for", duration)
            set("until", until)
        case .note(let text, let kind, let mood, let energy):
            set("text", text)
            set("kind", kind)
            set("mood", mood)
            set("energy", energy)
        case .entry(let id), .delete(let id):
            set("entry_id", id)
        case .edit(let id, let text, let mood, let energy, let expected):
            set("entry_id", id)
            set("text", text)
            set("mood", mood)
            set("energy", energy)
            set("expected_digest", expected)
        case .journal(let since, let until, let slot, let search, let limit):
            set("since", since)
            set("until", until)
            set("slot", slot)
            set("search", search)
            set("limit", limit)
        case .stats(let weeks):
            set("weeks", weeks)
        case .backup(let output, let replace):
            set("output", output)
            if replace { out.append(("replace", .bool(true))) }
        case .restore(let path):
            set("path", path)
        case .import(_, let more):
            // Written by ``RequestEnvelope/encoded()`` straight from each entry's JSON line: parsing
            // every line back into a JSONValue only to write it again was most of what an import
            // cost the CLI. An empty list here keeps the key's place among the others.
            out.append(("entries", .array([])))
            if more { out.append(("more", .bool(true))) }
        case .week(let date):
            set("date", date)
        case .promptVisibility(let key, _):
            set("key", key)
        case .report(let since, let until, let withText, let entries):
            set("since", since)
            set("until", until)
            if withText { out.append(("with_text", .bool(true))) }
            if !entries.isEmpty { out.append(("entry_ids", .array(entries.map { .number(String($0)) }))) }
        case .programShow(let name):
            set("name", name)
        case .programAdd(let path, let replace):
            set("path", path)
            if replace { out.append(("replace", .bool(true))) }
        case .programStart(let name, let over):
            set("name", name)
            if over { out.append(("over", .bool(true))) }
        case .programSkip(let step):
            set("step", step)
        }
        return out
    }
}

/// A request with the id that ties it to its response.
public struct RequestEnvelope: Equatable, Sendable {
    public var id: Int
    public var request: Request

    public init(id: Int, request: Request) {
        self.id = id
        self.request = request
    }
}

// MARK: - Wire form

extension RequestEnvelope {
    /// One JSON line, without the newline (keys sorted).
    public func encoded() -> Data {
        var members = request.arguments
        members.append(("v", .number(String(ControlProtocol.version))))
        members.append(("id", .number(String(id))))
        members.append(("cmd", .string(request.command)))
        members.sort { $0.key < $1.key }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            if member.key == "entries", case .import(let entries, _) = request {
                // The same bytes as the entries' JSONValue would write: sorted keys, the same
                // numbers and escapes (RequestTests compares the two).
                out.append(UInt8(ascii: "["))
                for (index, entry) in entries.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: entry.jsonLine())
                }
                out.append(UInt8(ascii: "]"))
            } else {
                member.value.write(to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// Parses one line. On failure the error carries the protocol code to answer with,
    /// and the id when one could be read (so the client can match the error).
    public static func decode(_ line: Data) -> Result<RequestEnvelope, RequestDecodingError> {
        line.withUnsafeBytes { decode(bytes: $0.bindMemory(to: UInt8.self)) }
    }

    /// ``decode(_:)`` for the daemon's line buffer, as it is.
    public static func decode(bytes line: [UInt8]) -> Result<RequestEnvelope, RequestDecodingError> {
        line.withUnsafeBufferPointer { decode(bytes: $0) }
    }

    static func decode(bytes line: UnsafeBufferPointer<UInt8>) -> Result<RequestEnvelope, RequestDecodingError> {
        var parser = JSONParser(line)
        parser.readsImportEntries = true
        let parsed = parser.value(depth: 0)
        parser.skipWhitespace()
        guard let json = parsed, parser.atEnd else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request is not valid JSON")))
        }
        guard case .object(let object) = json else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request must be a JSON object")))
        }
        let id = object["id"]?.integer.flatMap { Int(exactly: $0) }
        guard let version = object["v"]?.integer else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no protocol version \"v\"")))
        }
        guard version == Int64(ControlProtocol.version) else {
            return .failure(
                .init(
                    id: id,
                    error: ControlError(
                        .unsupportedVersion,
                        "protocol version \(version) is not supported; this kindlingd speaks version \(ControlProtocol.version)"
                    )))
        }
        guard let id else {
            return .failure(.init(id: nil, error: ControlError(.badRequest, "the request has no integer \"id\"")))
        }
        guard let command = object["cmd"]?.string else {
            return .failure(.init(id: id, error: ControlError(.badRequest, "the request has no \"cmd\"")))
        }
        do {
            return .success(
                RequestEnvelope(id: id, request: try Arguments(object, importEntries: parser.importEntries).request(command)))
        } catch {
            return .failure(.init(id: id, error: error))
        }
    }
}

/// Typed access to a request's arguments, with one clear error per bad value.
private struct Arguments {
    let object: [String: JSONValue]
    /// The "entries" list as the parser read it, when it was one (see ``JSONParser/importEntries``).
    let importEntries: [ExportEntry?]?

    init(_ object: [String: JSONValue], importEntries: [ExportEntry?]? = nil) {
        self.object = object
        self.importEntries = importEntries
    }

    func request(_ command: String) throws(ControlError) -> Request {
        switch command {
        case "status": return .status
        case "reload": return .reload
        case "next":
            let count = try int("count") ?? 5
            guard (1...1000).contains(count) else { throw ControlError(.badRequest, "\"count\" must be between 1 and 1000") }
            return .next(count: count, from: try string("from"))
        case "pending": return .pending
        case "watch": return .watch
        case "fire":
            guard let slot = try string("slot") else { throw ControlError(.badRequest, "fire needs a \"slot\"") }
            return .fire(slot: slot)
        case "respond":
            guard let text = try string("text") else { throw ControlError(.badRequest, "respond needs the answer's \"text\"") }
            return .respond(
                id: try int64("prompt_id"), text: text, mood: try int("mood"), energy: try int("energy"),
                channel: try string("channel") ?? "cli")
        case "snooze": return .snooze(id: try int64("prompt_id"), duration: try string("for"))
        case "skip": return .skip(id: try int64("prompt_id"))
        case "pause": return .pause(duration: try string("for"), until: try string("until"))
        case "resume": return .resume
        case "note":
            guard let text = try string("text") else { throw ControlError(.badRequest, "note needs the note's \"text\"") }
            let kind = try string("kind")
            if let kind, !["given", "received"].contains(kind) {
                throw ControlError(.badRequest, "\"kind\" must be \"given\" or \"received\"")
            }
            return .note(text: text, kind: kind, mood: try int("mood"), energy: try int("energy"))
        case "entry": return .entry(id: try entryID("entry"))
        case "edit":
            return .edit(
                id: try entryID("edit"), text: try string("text"), mood: try int("mood"), energy: try int("energy"),
                expected: try string("expected_digest"))
        case "delete": return .delete(id: try entryID("delete"))
        case "erase":
            guard object["all"]?.bool == true else {
                throw ControlError(.badRequest, "erase needs \"all\": true (to remove one entry, use delete)")
            }
            return .eraseAll
        case "journal":
            let limit = try int("limit")
            if let limit, !(1...10_000).contains(limit) {
                throw ControlError(.badRequest, "\"limit\" must be between 1 and 10000 days")
            }
            return .journal(
                since: try string("since"), until: try string("until"), slot: try string("slot"), search: try string("search"),
                limit: limit)
        case "stats":
            let weeks = try int("weeks") ?? 8
            guard (1...52).contains(weeks) else { throw ControlError(.badRequest, "\"weeks\" must be between 1 and 52") }
            return .stats(weeks: weeks)
        case "backup":
            let output = try string("output")
            if let output, !output.hasPrefix("/") {
                throw ControlError(.badRequest, "\"output\" must be an absolute path")
            }
            return .backup(output: output, replace: try bool("replace") ?? false)
        case "restore":
            guard let path = try string("path"), path.hasPrefix("/") else {
                throw ControlError(.badRequest, "restore needs the absolute \"path\" of a journal file")
            }
            return .restore(path: path)
        case "export": return .export
        case "import":
            guard case .array(let list) = object["entries"] else {
                throw ControlError(.badRequest, "import needs a list of \"entries\"")
            }
            let items = importEntries ?? list.map(ExportEntry.init(json:))
            var entries: [ExportEntry] = []
            entries.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard let entry = item else {
                    throw ControlError(.badRequest, "entry \(index + 1) of the batch is not an exported entry")
                }
                entries.append(entry)
            }
            return .import(entries: entries, more: try bool("more") ?? false)
        case "week": return .week(date: try string("date"))
        case "breathe": return .breathe
        case "prompt_list": return .promptList
        case "prompt_hide", "prompt_show":
            guard let key = try string("key"), !key.isEmpty else {
                throw ControlError(.badRequest, "\(command) needs the prompt's \"key\" (see kindling prompt list)")
            }
            return .promptVisibility(key: key, hidden: command == "prompt_hide")
        case "report":
            return .report(
                since: try string("since"), until: try string("until"), withText: try bool("with_text") ?? false,
                entries: try int64List("entry_ids"))
        case "program_list": return .programList
        case "program_show": return .programShow(name: try programName(command))
        case "program_add":
            guard let path = try string("path"), path.hasPrefix("/") else {
                throw ControlError(.badRequest, "program_add needs the absolute \"path\" of a program file")
            }
            return .programAdd(path: path, replace: try bool("replace") ?? false)
        case "program_start": return .programStart(name: try programName(command), over: try bool("over") ?? false)
        case "program_stop": return .programStop
        case "program_skip":
            let step = try int("step")
            if let step, step < 1 { throw ControlError(.badRequest, "\"step\" must be 1 or more") }
            return .programSkip(step: step)
        default:
            throw ControlError(.unknownCommand, "unknown command \"\(command.prefix(64))\"")
        }
    }

    private func string(_ key: String) throws(ControlError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.string else { throw ControlError(.badRequest, "\"\(key)\" must be a string") }
        return text
    }

    private func bool(_ key: String) throws(ControlError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw ControlError(.badRequest, "\"\(key)\" must be true or false") }
        return flag
    }

    private func int64(_ key: String) throws(ControlError) -> Int64? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.integer else { throw ControlError(.badRequest, "\"\(key)\" must be an integer") }
        return number
    }

    /// A list of integers (empty when absent), at most 10,000 of them.
    private func int64List(_ key: String) throws(ControlError) -> [Int64] {
        guard let value = object[key], !value.isNull else { return [] }
        guard case .array(let items) = value, items.count <= 10_000 else {
            throw ControlError(.badRequest, "\"\(key)\" must be a list of at most 10000 integers")
        }
        var out: [Int64] = []
        for item in items {
            guard let number = item.integer else { throw ControlError(.badRequest, "\"\(key)\" must hold integers only") }
            out.append(number)
        }
        return out
    }

    private func programName(_ command: String) throws(ControlError) -> String {
        guard let name = try string("name"), !name.isEmpty else {
            throw ControlError(.badRequest, "\(command) needs the program's \"name\" (see kindling program list)")
        }
        return name
    }

    private func entryID(_ command: String) throws(ControlError) -> Int64 {
        guard let id = try int64("entry_id") else { throw ControlError(.badRequest, "\(command) needs an \"entry_id\"") }
        return id
    }

    private func int(_ key: String) throws(ControlError) -> Int? {
        try int64(key).map { value throws(ControlError) in
            guard let small = Int(exactly: value) else { throw ControlError(.badRequest, "\"\(key)\" is out of range") }
            return small
        }
    }
}

/// Why a request line could not be understood.
public struct RequestDecodingError: Error, Equatable, Sendable {
    public var id: Int?
    public var error: ControlError
}
