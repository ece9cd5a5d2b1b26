extension StatusResult {
    /// Calls as the daemon sees them through PipeWire (for `kindling doctor`); null from a
    /// daemon that does not say.
    public struct CallsStatus: Codable, Equatable, Sendable {
        /// Whether calls hold prompts (`[calls] hold`).
        public var holds: Bool
        /// Where PipeWire stands: "connected", "not-running" (joined when it starts), "failed"
        /// (see `problem`) or "off" (calls are not watched: `holds` false, or no runtime
        /// directory to find PipeWire in).
        public var pipewire: String
        /// Why PipeWire could not be joined, when it could not.
        public var problem: String?
        /// Who holds prompts now ("zoom (microphone)"); empty when no call is on.
        public var holders: [String]
        /// Programs capturing now that `[calls] ignore` leaves out ("pavucontrol (microphone)").
        public var ignored: [String]

        public init(holds: Bool, pipewire: String, problem: String? = nil, holders: [String], ignored: [String]) {
            self.holds = holds
            self.pipewire = pipewire
            self.problem = problem
            self.holders = holders
            self.ignored = ignored
        }

        /// As the synthesized encoding writes it (sorted keys; `problem` left out when nil).
        func appendJSON(to out: inout [UInt8]) {
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("holders", first: true, to: &out)
            Self.appendList(holders, to: &out)
            JSONText.appendKey("holds", to: &out)
            JSONText.appendBool(holds, to: &out)
            JSONText.appendKey("ignored", to: &out)
            Self.appendList(ignored, to: &out)
            JSONText.appendKey("pipewire", to: &out)
            JSONText.appendString(pipewire, to: &out)
            if let problem {
                JSONText.appendKey("problem", to: &out)
                JSONText.appendString(problem, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }

        private static func appendList(_ list: [String], to out: inout [UInt8]) {
            out.append(UInt8(ascii: "["))
            for (index, item) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }

        init?(json: JSONValue) {
            guard let holds = json["holds"]?.bool, let pipewire = json["pipewire"]?.string,
                let problem = StatusResult.optional(json["problem"], \.string),
                let holders = Self.list(json["holders"]), let ignored = Self.list(json["ignored"])
            else { return nil }
            self.init(holds: holds, pipewire: pipewire, problem: problem, holders: holders, ignored: ignored)
        }

        private static func list(_ value: JSONValue?) -> [String]? {
            guard case .array(let items)? = value else { return nil }
            var list: [String] = []
            for item in items {
                guard let text = item.string else { return nil }
                list.append(text)
            }
            return list
        }
    }
}
