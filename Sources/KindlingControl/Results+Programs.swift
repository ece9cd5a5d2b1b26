// Results of the program commands (`kindling program list | show | add | start | stop | skip`).

/// `program_list`: the built-in programs, then the added ones, and which one is in use.
public struct ProgramListResult: Codable, Equatable, Sendable {
    /// One program.
    public struct Item: Codable, Equatable, Sendable {
        public var name: String
        public var title: String
        public var description: String
        /// `"day"` or `"week"`.
        public var stepsBy: String
        public var stepCount: Int
        /// `"built-in"` or `"added"`.
        public var source: String
        /// True for the program that shapes the days now.
        public var active: Bool
        /// For the program in use, where it stands, e.g. `"Widening circle, week 2 of 4: family"`.
        public var position: String?
        /// Why an added program's file cannot be used now (it changed or broke since it was added).
        public var problem: String?

        public init(
            name: String, title: String, description: String, stepsBy: String, stepCount: Int, source: String,
            active: Bool, position: String? = nil, problem: String? = nil
        ) {
            self.name = name
            self.title = title
            self.description = description
            self.stepsBy = stepsBy
            self.stepCount = stepCount
            self.source = source
            self.active = active
            self.position = position
            self.problem = problem
        }
    }

    public var programs: [Item]
    /// The name of the program in use; nil when none is.
    public var active: String?
    /// Where added programs are kept.
    public var folder: String

    public init(programs: [Item], active: String?, folder: String) {
        self.programs = programs
        self.active = active
        self.folder = folder
    }
}

/// `program_show`: one program with every step and its prompts.
public struct ProgramShowResult: Codable, Equatable, Sendable {
    /// One step.
    public struct Step: Codable, Equatable, Sendable {
        /// 1-based, as `program skip` counts.
        public var number: Int
        public var title: String
        public var intention: [String]
        public var nudge: [String]
        public var reflection: [String]
        /// True when the person left this step out.
        public var skipped: Bool

        public init(
            number: Int, title: String, intention: [String], nudge: [String], reflection: [String], skipped: Bool
        ) {
            self.number = number
            self.title = title
            self.intention = intention
            self.nudge = nudge
            self.reflection = reflection
            self.skipped = skipped
        }
    }

    public var name: String
    public var title: String
    public var description: String
    public var stepsBy: String
    public var source: String
    public var active: Bool
    /// The step in hand, while this program is in use and not complete.
    public var currentStep: Int?
    public var steps: [Step]

    public init(
        name: String, title: String, description: String, stepsBy: String, source: String, active: Bool,
        currentStep: Int?, steps: [Step]
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.stepsBy = stepsBy
        self.source = source
        self.active = active
        self.currentStep = currentStep
        self.steps = steps
    }
}

/// `program_add`: where the checked copy was written.
public struct ProgramAddResult: Codable, Equatable, Sendable {
    public var name: String
    public var title: String
    public var path: String
    /// True when an earlier copy of the same name was replaced (`--force`).
    public var replaced: Bool

    public init(name: String, title: String, path: String, replaced: Bool) {
        self.name = name
        self.title = title
        self.path = path
        self.replaced = replaced
    }
}

/// `program_start`, `program_stop`, `program_skip`: the program in use afterwards.
public struct ProgramStateResult: Codable, Equatable, Sendable {
    /// The program in use, or nil when none is.
    public var program: String?
    /// Where it stands, e.g. `"A gentle week, day 3 of 7: Something warm"`.
    public var position: String?
    /// The step in hand (1-based, as `skip` counts), while the program is not complete.
    public var step: Int?
    /// One sentence for the person about what changed.
    public var message: String

    public init(program: String?, position: String?, step: Int?, message: String) {
        self.program = program
        self.position = position
        self.step = step
        self.message = message
    }
}
