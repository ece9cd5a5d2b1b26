extension StatusResult {
    /// The person's calendar as the daemon read it (for `kindling doctor`); null without one.
    public struct CalendarStatus: Codable, Equatable, Sendable {
        /// `[calendar] path`, as read (`~/` expanded).
        public var path: String
        /// How many `.ics` files were read.
        public var files: Int
        /// Busy events that touch today.
        public var eventsToday: Int
        /// Whether busy events hold prompts (`[calendar] hold`).
        public var holds: Bool
        /// When the busy event on now ends (prompts wait until then); null when none is on.
        public var busyUntil: String?
        /// One line for each file or folder that could not be read.
        public var problems: [String]

        public init(path: String, files: Int, eventsToday: Int, holds: Bool, busyUntil: String?, problems: [String]) {
            self.path = path
            self.files = files
            self.eventsToday = eventsToday
            self.holds = holds
            self.busyUntil = busyUntil
            self.problems = problems
        }

        /// As the synthesized encoding writes it (sorted keys; `busy_until` left out when nil).
        func appendJSON(to out: inout [UInt8]) {
            out.append(UInt8(ascii: "{"))
            if let busyUntil {
                JSONText.appendKey("busy_until", first: true, to: &out)
                JSONText.appendString(busyUntil, to: &out)
            }
            JSONText.appendKey("events_today", first: busyUntil == nil, to: &out)
            JSONText.appendInteger(eventsToday, to: &out)
            JSONText.appendKey("files", to: &out)
            JSONText.appendInteger(files, to: &out)
            JSONText.appendKey("holds", to: &out)
            JSONText.appendBool(holds, to: &out)
            JSONText.appendKey("path", to: &out)
            JSONText.appendString(path, to: &out)
            JSONText.appendKey("problems", to: &out)
            out.append(UInt8(ascii: "["))
            for (index, problem) in problems.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(problem, to: &out)
            }
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "}"))
        }

        init?(json: JSONValue) {
            guard let path = json["path"]?.string, let files = json["files"]?.integer.flatMap({ Int(exactly: $0) }),
                let eventsToday = json["events_today"]?.integer.flatMap({ Int(exactly: $0) }),
                let holds = json["holds"]?.bool,
                let busyUntil = StatusResult.optional(json["busy_until"], \.string),
                case .array(let list)? = json["problems"]
            else { return nil }
            var problems: [String] = []
            for item in list {
                guard let problem = item.string else { return nil }
                problems.append(problem)
            }
            self.init(path: path, files: files, eventsToday: eventsToday, holds: holds, busyUntil: busyUntil, problems: problems)
        }
    }
}
