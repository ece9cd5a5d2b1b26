/// The verbs about the daemon and its prompts: what is due, what is waiting, and what the
/// person does with a prompt.
extension Request {
    /// The daemon's state: next prompts, pending prompts, paths, problems.
    public struct Status: ControlVerb {
        public typealias Result = StatusResult
        public static let wireName = "status"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Re-read the configuration file; on error keep the running one.
    public struct Reload: ControlVerb {
        public typealias Result = ReloadResult
        public static let wireName = "reload"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// The next `count` occurrences after `from` (an ISO 8601 instant; nil: now).
    public struct Next: ControlVerb {
        public typealias Result = NextResult
        public static let wireName = "next"
        public var count: Int
        public var from: String?

        public init(count: Int, from: String?) {
            self.count = count
            self.from = from
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            count = try arguments.int("count") ?? 5
            guard (1...1000).contains(count) else { throw ControlError(.badRequest, "\"count\" must be between 1 and 1000") }
            from = try arguments.string("from")
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("count", count)
            arguments.set("from", from)
        }
    }

    /// The prompts delivered and still waiting for an answer.
    public struct Pending: ControlVerb {
        public typealias Result = PendingResult
        public static let wireName = "pending"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Turns the connection into an event stream (pending prompts first, then live events).
    public struct Watch: ControlVerb {
        public typealias Result = WatchResult
        public static let wireName = "watch"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Delivers a prompt of `slot` now.
    public struct Fire: ControlVerb {
        public typealias Result = PromptResult
        public static let wireName = "fire"
        public var slot: String

        public init(slot: String) {
            self.slot = slot
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            guard let slot = try arguments.string("slot") else { throw ControlError(.badRequest, "fire needs a \"slot\"") }
            self.slot = slot
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("slot", slot)
        }
    }

    /// Saves an answer to prompt `id` (nil: the most recent pending one); `channel` says where
    /// it was written ("cli" when a client does not say).
    public struct Respond: ControlVerb {
        public typealias Result = RespondResult
        public static let wireName = "respond"
        public var id: Int64?
        public var text: String
        public var mood: Int?
        public var energy: Int?
        public var channel: String

        public init(id: Int64?, text: String, mood: Int?, energy: Int?, channel: String) {
            self.id = id
            self.text = text
            self.mood = mood
            self.energy = energy
            self.channel = channel
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            guard let text = try arguments.string("text") else {
                throw ControlError(.badRequest, "respond needs the answer's \"text\"")
            }
            self.init(
                id: try arguments.int64("prompt_id"), text: text, mood: try arguments.int("mood"),
                energy: try arguments.int("energy"), channel: try arguments.string("channel") ?? "cli")
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("prompt_id", id)
            arguments.set("text", text)
            arguments.set("mood", mood)
            arguments.set("energy", energy)
            arguments.set("channel", channel)
        }
    }

    /// Snoozes prompt `id` (nil: the most recent pending one) for `duration` ("10m"; nil: the
    /// configured snooze).
    public struct Snooze: ControlVerb {
        public typealias Result = PromptResult
        public static let wireName = "snooze"
        public var id: Int64?
        public var duration: String?

        public init(id: Int64?, duration: String?) {
            self.id = id
            self.duration = duration
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(id: try arguments.int64("prompt_id"), duration: try arguments.string("for"))
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("prompt_id", id)
            arguments.set("for", duration)
        }
    }

    /// Skips prompt `id` (nil: the most recent pending one).
    public struct Skip: ControlVerb {
        public typealias Result = PromptResult
        public static let wireName = "skip"
        public var id: Int64?

        public init(id: Int64?) {
            self.id = id
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            id = try arguments.int64("prompt_id")
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("prompt_id", id)
        }
    }

    /// Pauses prompts for `duration`, or until `until` (a time "HH:MM" or an ISO 8601 instant),
    /// or (neither) until ``Resume``.
    public struct Pause: ControlVerb {
        public typealias Result = PauseResult
        public static let wireName = "pause"
        public var duration: String?
        public var until: String?

        public init(duration: String?, until: String?) {
            self.duration = duration
            self.until = until
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(duration: try arguments.string("for"), until: try arguments.string("until"))
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("for", duration)
            arguments.set("until", until)
        }
    }

    /// Ends a pause.
    public struct Resume: ControlVerb {
        public typealias Result = PauseResult
        public static let wireName = "resume"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// A short grounding moment on the desktop; it records nothing and asks nothing back.
    public struct Breathe: ControlVerb {
        public typealias Result = BreatheResult
        public static let wireName = "breathe"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }
}
