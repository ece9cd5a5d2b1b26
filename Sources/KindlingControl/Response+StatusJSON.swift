/// `status` (and `pending`) by hand, both ways: it is the request scripts and shell prompts poll, and
/// JSONEncoder / JSONDecoder were most of its cost on each side (the daemon's encoding, the
/// CLI's first dynamic casts). The bytes are exactly what `ControlProtocol.makeEncoder()`
/// writes (sorted snake_case keys; a test compares the two), and the decoding accepts what
/// the synthesized `Decodable` accepts.
extension StatusResult {
    /// The whole response line (without newline): `{"id":7,"ok":true,"result":{...},"v":1}`.
    public func responseLine(id: Int?) -> [UInt8] {
        JSONText.responseLine(id: id, capacity: 1024, result: appendJSON)
    }

    /// The result object alone.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONText.appendKey("calendar", first: true, to: &out)
        if let calendar { calendar.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
        JSONText.appendKey("calls", to: &out)
        if let calls { calls.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
        JSONText.appendKey("config_path", to: &out)
        JSONText.appendString(configPath, to: &out)
        JSONText.appendKey("database_path", to: &out)
        JSONText.appendString(databasePath, to: &out)
        JSONText.appendKey("desktop", to: &out)
        if let desktop { desktop.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
        JSONText.appendKey("encryption", to: &out)
        if let encryption { encryption.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
        JSONText.appendKey("journal", to: &out)
        JSONText.appendString(journal, to: &out)
        JSONText.appendKey("last_error", to: &out)
        JSONText.appendString(lastError, to: &out)
        JSONText.appendKey("next", to: &out)
        out.append(UInt8(ascii: "["))
        for (index, item) in next.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("at", first: true, to: &out)
            JSONText.appendString(item.at, to: &out)
            JSONText.appendKey("slot", to: &out)
            JSONText.appendString(item.slot, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        JSONText.appendKey("notifications", to: &out)
        JSONText.appendString(notifications, to: &out)
        JSONText.appendKey("paused", to: &out)
        JSONText.appendBool(paused, to: &out)
        JSONText.appendKey("paused_until", to: &out)
        JSONText.appendString(pausedUntil, to: &out)
        JSONText.appendKey("pending", to: &out)
        Pending.appendJSON(pending, to: &out)
        JSONText.appendKey("pid", to: &out)
        JSONText.appendInteger(pid, to: &out)
        JSONText.appendKey("program", to: &out)
        JSONText.appendString(program, to: &out)
        JSONText.appendKey("socket_path", to: &out)
        JSONText.appendString(socketPath, to: &out)
        JSONText.appendKey("status_line", to: &out)
        JSONText.appendString(statusLine, to: &out)
        JSONText.appendKey("streak", to: &out)
        JSONText.appendInteger(streak, to: &out)
        JSONText.appendKey("timezone", to: &out)
        JSONText.appendString(timezone, to: &out)
        JSONText.appendKey("today", to: &out)
        JSONText.appendString(today, to: &out)
        JSONText.appendKey("todays_intention", to: &out)
        JSONText.appendString(todaysIntention, to: &out)
        JSONText.appendKey("uptime_s", to: &out)
        JSONText.appendDouble(uptimeS, to: &out)
        JSONText.appendKey("version", to: &out)
        JSONText.appendString(version, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Reads a `status` result; nil when a key the type requires is missing or of the wrong type.
    public init?(json: JSONValue) {
        guard case .object(let o) = json,
            let version = o["version"]?.string,
            let pid = o["pid"]?.integer.flatMap({ Int32(exactly: $0) }),
            let uptimeS = o["uptime_s"]?.double,
            let paused = o["paused"]?.bool,
            let timezone = o["timezone"]?.string,
            case .array(let nextItems) = o["next"],
            case .array(let pendingItems) = o["pending"],
            let configPath = o["config_path"]?.string,
            let databasePath = o["database_path"]?.string,
            let socketPath = o["socket_path"]?.string,
            let notifications = o["notifications"]?.string,
            let journal = o["journal"]?.string,
            let statusLine = o["status_line"]?.string
        else { return nil }
        var next: [Next] = []
        for item in nextItems {
            guard let slot = item["slot"]?.string, let at = item["at"]?.string else { return nil }
            next.append(Next(slot: slot, at: at))
        }
        var pending: [Pending] = []
        for item in pendingItems {
            guard let id = item["id"]?.integer, let slot = item["slot"]?.string, let text = item["text"]?.string,
                let firedAt = item["fired_at"]?.string,
                let expiresAt = Self.optional(item["expires_at"], \.string),
                let status = Self.optional(item["status"], \.string),
                let until = Self.optional(item["until"], \.string),
                let askMood = Self.optional(item["ask_mood"], \.bool)
            else { return nil }
            pending.append(
                Pending(
                    id: id, slot: slot, text: text, firedAt: firedAt, expiresAt: expiresAt, status: status ?? "waiting",
                    until: until, askMood: askMood ?? false))
        }
        guard let pausedUntil = Self.optional(o["paused_until"], \.string),
            let lastError = Self.optional(o["last_error"], \.string),
            let program = Self.optional(o["program"], \.string),
            let today = Self.optional(o["today"], \.string),
            let todaysIntention = Self.optional(o["todays_intention"], \.string),
            let streak = Self.optional(o["streak"], { $0.integer.flatMap { Int(exactly: $0) } })
        else { return nil }
        self.init(
            version: version, pid: pid, uptimeS: uptimeS, paused: paused, pausedUntil: pausedUntil, timezone: timezone,
            next: next, pending: pending, configPath: configPath, databasePath: databasePath, socketPath: socketPath,
            notifications: notifications, journal: journal, statusLine: statusLine, lastError: lastError)
        self.program = program
        self.today = today
        self.todaysIntention = todaysIntention
        self.streak = streak
        switch o["desktop"] {
        case nil, .null?: desktop = nil
        case let value?:
            guard let desktop = DesktopStatus(json: value) else { return nil }
            self.desktop = desktop
        }
        switch o["calendar"] {
        case nil, .null?: calendar = nil
        case let value?:
            guard let calendar = CalendarStatus(json: value) else { return nil }
            self.calendar = calendar
        }
        switch o["calls"] {
        case nil, .null?: calls = nil
        case let value?:
            guard let calls = CallsStatus(json: value) else { return nil }
            self.calls = calls
        }
        switch o["encryption"] {
        case nil, .null?: encryption = nil
        case let value?:
            guard let encryption = EncryptionStatus(json: value) else { return nil }
            self.encryption = encryption
        }
    }

    /// `.some(nil)` for a missing key or null, `.some(value)` for a value of the right type,
    /// nil (a broken result) for anything else.
    static func optional<T>(_ value: JSONValue?, _ read: (JSONValue) -> T?) -> T?? {
        guard let value, !value.isNull else { return .some(nil) }
        guard let typed = read(value) else { return nil }
        return .some(typed)
    }
}

extension StatusResult.Pending {
    /// A list of waiting prompts, each written in full (`"expires_at":null` included).
    static func appendJSON(_ list: [Self], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in list.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("ask_mood", first: true, to: &out)
            JSONText.appendBool(item.askMood, to: &out)
            JSONText.appendKey("expires_at", to: &out)
            JSONText.appendString(item.expiresAt, to: &out)
            JSONText.appendKey("fired_at", to: &out)
            JSONText.appendString(item.firedAt, to: &out)
            JSONText.appendKey("id", to: &out)
            JSONText.appendInteger(item.id, to: &out)
            JSONText.appendKey("slot", to: &out)
            JSONText.appendString(item.slot, to: &out)
            JSONText.appendKey("status", to: &out)
            JSONText.appendString(item.status, to: &out)
            JSONText.appendKey("text", to: &out)
            JSONText.appendString(item.text, to: &out)
            JSONText.appendKey("until", to: &out)
            JSONText.appendString(item.until, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }
}

extension PendingResult {
    /// The whole response line (without newline), as for ``StatusResult/responseLine(id:)``.
    public func responseLine(id: Int?) -> [UInt8] {
        JSONText.responseLine(id: id, capacity: 64 + 160 * pending.count) { out in
            out.append(UInt8(ascii: "{"))
            JSONText.appendKey("pending", first: true, to: &out)
            StatusResult.Pending.appendJSON(pending, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }
}

extension JSONText {
    /// `{"id":7,"ok":true,"result":RESULT,"v":1}`, the keys in JSONEncoder's sorted order.
    static func responseLine(id: Int?, capacity: Int, result: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
        if let id {
            appendKey("id", first: true, to: &out)
            appendInteger(id, to: &out)
        }
        appendKey("ok", first: id == nil, to: &out)
        appendBool(true, to: &out)
        appendKey("result", to: &out)
        result(&out)
        appendKey("v", to: &out)
        appendInteger(ControlProtocol.version, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The response line for request `id` around a result already written as JSON: the daemon
    /// keeps the results of `journal` and `stats` so, and answers a request asked again with them.
    public static func responseLine(id: Int?, resultJSON: [UInt8]) -> [UInt8] {
        responseLine(id: id, capacity: resultJSON.count + 48) { $0.append(contentsOf: resultJSON) }
    }
}

extension StatusResult.DesktopStatus {
    /// As the synthesized encoding writes it: `bus` and `server` left out when nil.
    func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let bus {
            JSONText.appendKey("bus", first: true, to: &out)
            JSONText.appendString(bus, to: &out)
        }
        JSONText.appendKey("bus_connected", first: bus == nil, to: &out)
        JSONText.appendBool(busConnected, to: &out)
        JSONText.appendKey("capabilities", to: &out)
        out.append(UInt8(ascii: "["))
        for (index, capability) in capabilities.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(capability, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        JSONText.appendKey("do_not_disturb", to: &out)
        JSONText.appendBool(doNotDisturb, to: &out)
        if let quietReadings {
            JSONText.appendKey("quiet_readings", to: &out)
            out.append(UInt8(ascii: "["))
            for (index, item) in quietReadings.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                JSONText.appendKey("reading", first: true, to: &out)
                JSONText.appendString(item.reading, to: &out)
                JSONText.appendKey("source", to: &out)
                JSONText.appendString(item.source, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        if let quietSources {
            JSONText.appendKey("quiet_sources", to: &out)
            out.append(UInt8(ascii: "["))
            for (index, source) in quietSources.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(source, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let server {
            JSONText.appendKey("server", to: &out)
            JSONText.appendString(server, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    init?(json: JSONValue) {
        guard let busConnected = json["bus_connected"]?.bool, case .array(let list)? = json["capabilities"],
            let doNotDisturb = json["do_not_disturb"]?.bool,
            let bus = StatusResult.optional(json["bus"], \.string),
            let server = StatusResult.optional(json["server"], \.string)
        else { return nil }
        var capabilities: [String] = []
        for item in list {
            guard let capability = item.string else { return nil }
            capabilities.append(capability)
        }
        // Both quiet fields are newer than the rest: a daemon that leaves them out is still read.
        var quietSources: [String]?
        switch json["quiet_sources"] {
        case nil, .null?: break
        case .array(let items)?:
            quietSources = []
            for item in items {
                guard let source = item.string else { return nil }
                quietSources?.append(source)
            }
        default: return nil
        }
        var quietReadings: [QuietReading]?
        switch json["quiet_readings"] {
        case nil, .null?: break
        case .array(let items)?:
            quietReadings = []
            for item in items {
                guard let source = item["source"]?.string, let reading = item["reading"]?.string else { return nil }
                quietReadings?.append(QuietReading(source: source, reading: reading))
            }
        default: return nil
        }
        self.init(
            bus: bus, busConnected: busConnected, server: server, capabilities: capabilities, doNotDisturb: doNotDisturb,
            quietSources: quietSources, quietReadings: quietReadings)
    }
}
