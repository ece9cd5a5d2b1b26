/// The verbs that shape what the prompts draw from: the prompt catalogue and the programs.
extension Request {
    /// Every prompt the rotation can draw from, with its key, slot and whether it is hidden.
    public struct PromptList: ControlVerb {
        public typealias Result = PromptListResult
        public static let wireName = "prompt_list"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Turns one built-in prompt off, by its key.
    public struct PromptHide: ControlVerb {
        public typealias Result = PromptVisibilityResult
        public static let wireName = "prompt_hide"
        public var key: String

        public init(key: String) {
            self.key = key
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            key = try arguments.promptKey(Self.wireName)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("key", key)
        }
    }

    /// Turns a hidden built-in prompt back on, by its key.
    public struct PromptShow: ControlVerb {
        public typealias Result = PromptVisibilityResult
        public static let wireName = "prompt_show"
        public var key: String

        public init(key: String) {
            self.key = key
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            key = try arguments.promptKey(Self.wireName)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("key", key)
        }
    }

    /// The built-in and added programs, and which one is in use.
    public struct ProgramList: ControlVerb {
        public typealias Result = ProgramListResult
        public static let wireName = "program_list"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// One program with its steps.
    public struct ProgramShow: ControlVerb {
        public typealias Result = ProgramShowResult
        public static let wireName = "program_show"
        public var name: String

        public init(name: String) {
            self.name = name
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            name = try arguments.programName(Self.wireName)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("name", name)
        }
    }

    /// Copies the checked program file at `path` (absolute) into the programs folder.
    public struct ProgramAdd: ControlVerb {
        public typealias Result = ProgramAddResult
        public static let wireName = "program_add"
        public var path: String
        public var replace: Bool

        public init(path: String, replace: Bool = false) {
            self.path = path
            self.replace = replace
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(
                path: try arguments.absolutePath("path", else: "program_add needs the absolute \"path\" of a program file"),
                replace: try arguments.bool("replace") ?? false)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("path", path)
            arguments.flag("replace", replace)
        }
    }

    /// Begins a program, or resumes it where it was; `over` begins again from its first step.
    public struct ProgramStart: ControlVerb {
        public typealias Result = ProgramStateResult
        public static let wireName = "program_start"
        public var name: String
        public var over: Bool

        public init(name: String, over: Bool = false) {
            self.name = name
            self.over = over
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(name: try arguments.programName(Self.wireName), over: try arguments.bool("over") ?? false)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("name", name)
            arguments.flag("over", over)
        }
    }

    /// No program shapes the days from now; every program's progress is kept.
    public struct ProgramStop: ControlVerb {
        public typealias Result = ProgramStateResult
        public static let wireName = "program_stop"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Leaves a step of the program in use out: `step` nil (or the step in hand) moves on now.
    public struct ProgramSkip: ControlVerb {
        public typealias Result = ProgramStateResult
        public static let wireName = "program_skip"
        public var step: Int?

        public init(step: Int?) {
            self.step = step
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            let step = try arguments.int("step")
            if let step, step < 1 { throw ControlError(.badRequest, "\"step\" must be 1 or more") }
            self.step = step
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("step", step)
        }
    }
}

extension ArgumentReader {
    /// A prompt's key, which `verb` cannot do without.
    fileprivate func promptKey(_ verb: String) throws(ControlError) -> String {
        try name("key", else: "\(verb) needs the prompt's \"key\" (see kindling prompt list)")
    }

    /// A program's name, which `verb` cannot do without.
    fileprivate func programName(_ verb: String) throws(ControlError) -> String {
        try name("name", else: "\(verb) needs the program's \"name\" (see kindling program list)")
    }
}
