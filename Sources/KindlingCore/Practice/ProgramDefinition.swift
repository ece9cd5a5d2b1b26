// A program as written in its file (DESIGN.md "Programs"): a name, a title, whether it
// steps by practised day or by week, and the prompts each step offers. The built-in
// programs are definitions too, read from text compiled into the binary (BuiltInPrograms).

/// One program, read from a program file and checked (``ProgramFile``).
public struct ProgramDefinition: Sendable, Equatable {
    /// How a program moves on.
    public enum StepUnit: String, Sendable, Equatable, CaseIterable {
        /// One step per practised day.
        case day
        /// One step per week of practice (seven practised days).
        case week

        /// How many practised days one step lasts.
        public var practisedDays: Int { self == .week ? ProgramEngine.daysPerWeek : 1 }
    }

    /// One step: what it is about, and the prompts it offers per slot. A slot whose list is
    /// empty is left to the normal rotation on that step.
    public struct Step: Sendable, Equatable {
        /// A short name of the step, e.g. `"family"`.
        public var title: String
        /// Morning intention prompts.
        public var intention: [String]
        /// Mindful-action nudges.
        public var nudge: [String]
        /// Evening reflection prompts.
        public var reflection: [String]

        /// Creates a step.
        public init(title: String, intention: [String] = [], nudge: [String] = [], reflection: [String] = []) {
            self.title = title
            self.intention = intention
            self.nudge = nudge
            self.reflection = reflection
        }

        /// The prompts for `slot` (`intention`, `nudge` or `reflection`); empty for others.
        public func prompts(for slot: String) -> [String] {
            switch slot {
            case "intention": intention
            case "nudge": nudge
            case "reflection": reflection
            default: []
            }
        }
    }

    /// The slots a step may shape.
    public static let slots = ["intention", "nudge", "reflection"]

    /// `name`: `[a-z0-9-]`, what `[program] name` and `kindling program start` use.
    public var name: String
    /// `title`, e.g. `"Widening circle"`.
    public var title: String
    /// `description`: one or two sentences; may be empty.
    public var description: String
    /// `steps_by`.
    public var stepsBy: StepUnit
    /// The `[[step]]` blocks, in order; never empty once checked.
    public var steps: [Step]

    /// Creates a definition.
    public init(name: String, title: String, description: String, stepsBy: StepUnit, steps: [Step]) {
        self.name = name
        self.title = title
        self.description = description
        self.stepsBy = stepsBy
        self.steps = steps
    }

    /// How many practised days the whole program lasts.
    public var dayCount: Int { steps.count * stepsBy.practisedDays }

    /// Every prompt of step `part` (1-based) for `slot`, keyed
    /// `"program.<name>.<w|d><part>.<slot>.<n>"` (n from 1). These keys are what hiding and
    /// the rotation remember, so they must never change for a shipped program. Nil when the
    /// step does not exist or leaves the slot to the rotation.
    public func prompts(part: Int, slot: String) -> [Prompt]? {
        guard steps.indices.contains(part - 1) else { return nil }
        let texts = steps[part - 1].prompts(for: slot)
        guard !texts.isEmpty else { return nil }
        let prefix = "program.\(name).\(stepsBy == .week ? "w" : "d")\(part).\(slot)"
        return texts.enumerated().map { Prompt(key: "\(prefix).\($0.offset + 1)", text: $0.element) }
    }
}
