// Programs: where the person is in a structured sequence, and what each step offers.
//
// Programs advance by practised days (a local date with any answer or note; DESIGN.md),
// never by calendar days: days away simply pause the program, and it resumes where it
// was. Pure: the daemon counts the practised days; this file does the rest.

/// Where the person is in their program today.
///
/// Steps are the program's weeks (widening circle, 7 practised days each) or days
/// (five-day reset, 1 practised day each). Skipped steps (`[program] skip`) are left out
/// as if they were never there: ``stepNumber`` and ``stepCount`` count only the steps
/// that remain, so with the family week skipped the acquaintances week reads
/// "week 2 of 3". The person chose to leave that week out; the tool does not keep
/// pointing at the gap. ``part`` still names the program's own week or day (the number
/// `skip` uses), and the ``theme`` says what the step is about.
public struct ProgramPosition: Sendable, Equatable, CustomStringConvertible {
    /// The program.
    public var program: ProgramChoice
    /// The program's content, as read from its file (built-in or added).
    public var definition: ProgramDefinition
    /// Today's practised day within the program, 1-based, counting only days spent in
    /// steps that are not skipped (practised days before today + 1).
    public var day: Int
    /// The program's own week, as `skip` counts it, for a program that steps by week; nil
    /// for one that steps by day and once the program is complete.
    public var week: Int?
    /// The program's own week or day number (as `skip` counts it); nil once complete.
    public var part: Int?
    /// Today's day within the step, as the program counts it (a skipped day keeps its
    /// number): 1...7 in a widening-circle week, always 1 in the five-day reset.
    public var dayInStep: Int
    /// A short human name of the step, e.g. `"family"`; `"complete"` at the end.
    public var theme: String
    /// The step's number among the steps not skipped (1-based); equals ``stepCount``
    /// once complete.
    public var stepNumber: Int
    /// How many steps are not skipped.
    public var stepCount: Int
    /// True when every step not skipped has been practised: the program no longer shapes
    /// the days.
    public var isComplete: Bool

    /// Creates a position (``ProgramEngine/position(settings:practisedDaysBefore:)`` is the
    /// usual way to get one).
    public init(
        program: ProgramChoice, definition: ProgramDefinition, day: Int, week: Int?, part: Int?, dayInStep: Int, theme: String,
        stepNumber: Int, stepCount: Int, isComplete: Bool
    ) {
        self.program = program
        self.definition = definition
        self.day = day
        self.week = week
        self.part = part
        self.dayInStep = dayInStep
        self.theme = theme
        self.stepNumber = stepNumber
        self.stepCount = stepCount
        self.isComplete = isComplete
    }

    /// One line for people, e.g. `"Widening circle, week 2 of 4: family"`, or
    /// `"Five-day reset: complete. The everyday prompts carry on from here."`
    public var description: String {
        let name = definition.title
        if isComplete {
            return "\(name): complete. The everyday prompts carry on from here."
        }
        return "\(name), \(definition.stepsBy.rawValue) \(stepNumber) of \(stepCount): \(theme)"
    }
}

/// Program positions and the content of each step.
public enum ProgramEngine {
    /// How many practised days a widening-circle week lasts.
    public static let daysPerWeek = 7

    /// Where the program stands today; nil when `name = "none"`, or when the program is
    /// neither built in nor given as `definition` (an added program whose file is gone).
    ///
    /// - Parameters:
    ///   - settings: `[program]` (or the program the person started, with its skips).
    ///   - practisedDaysBefore: the practised days from the program's start date up to, but
    ///     not including, today (negative counts as 0). Today is program day
    ///     `practisedDaysBefore + 1`, whether or not it ends up practised.
    ///   - definition: the program's content; nil looks `settings.name` up among the built-ins.
    ///   - fromStep: where the count of practised days begins: the first day of this step (or of
    ///     the next one left in, when it is skipped). 1 for a program counted from its start;
    ///     a later step after the person moved on (`kindling program skip`).
    public static func position(
        settings: ProgramSettings, practisedDaysBefore: Int, definition: ProgramDefinition? = nil, fromStep: Int = 1
    ) -> ProgramPosition? {
        let program = settings.name
        guard program != .none, let definition = definition ?? BuiltInPrograms.named(program.rawValue) else {
            return nil
        }
        let days = programDays(settings, definition: definition)
        var steps: [Int] = []
        for entry in days where steps.last != entry.part { steps.append(entry.part) }
        let firstDay = days.firstIndex { $0.part >= fromStep } ?? days.count
        let day = firstDay + max(0, practisedDaysBefore) + 1

        guard day <= days.count else {
            return ProgramPosition(
                program: program, definition: definition, day: day, week: nil, part: nil, dayInStep: 1,
                theme: "complete", stepNumber: steps.count, stepCount: steps.count, isComplete: true)
        }
        let (part, dayInStep) = days[day - 1]
        return ProgramPosition(
            program: program, definition: definition, day: day, week: definition.stepsBy == .week ? part : nil,
            part: part, dayInStep: dayInStep, theme: definition.steps[part - 1].title,
            stepNumber: (steps.firstIndex(of: part) ?? 0) + 1, stepCount: steps.count, isComplete: false)
    }

    /// The program's days that are left in, in order: each one's week or day (`part`) and its
    /// day within that step. A skipped week leaves out all its days; a skipped day only itself.
    static func programDays(
        _ settings: ProgramSettings, definition: ProgramDefinition? = nil
    ) -> [(part: Int, dayInStep: Int)] {
        guard settings.name != .none, let definition = definition ?? BuiltInPrograms.named(settings.name.rawValue)
        else { return [] }
        let daysPerStep = definition.stepsBy.practisedDays
        var days: [(part: Int, dayInStep: Int)] = []
        for part in definition.steps.indices.map({ $0 + 1 }) where !settings.skip.contains(part) {
            for dayInStep in 1...daysPerStep where !settings.skipDays.contains((part - 1) * daysPerStep + dayInStep) {
                days.append((part, dayInStep))
            }
        }
        return days
    }

    /// The program's title, e.g. `"Widening circle"`; `"No program"` for none, and the name
    /// itself for a program that is not built in.
    public static func displayName(of program: ProgramChoice) -> String {
        if program == .none { return "No program" }
        return BuiltInPrograms.named(program.rawValue)?.title ?? program.rawValue
    }

    /// The short name of a built-in program's week or day, e.g. `"family"`; empty when out of range.
    public static func theme(of program: ProgramChoice, part: Int) -> String {
        guard let steps = BuiltInPrograms.named(program.rawValue)?.steps, steps.indices.contains(part - 1) else {
            return ""
        }
        return steps[part - 1].title
    }

    /// The program's prompt for `slot` at `position`; nil when the step leaves the slot to
    /// the rotation and once the program is complete. A week's prompts belong to its days in
    /// turn (so a skipped day's prompt is never shown); a day-stepped program's are taken in
    /// turn by program day.
    public static func stepPrompt(for slot: String, at position: ProgramPosition) -> Prompt? {
        guard !position.isComplete, let part = position.part,
            let prompts = position.definition.prompts(part: part, slot: slot), !prompts.isEmpty
        else { return nil }
        let turn = position.definition.stepsBy == .week ? position.dayInStep - 1 : position.day - 1
        return prompts[turn % prompts.count]
    }

    /// Every prompt of one built-in program's step for `slot`, keyed
    /// `"program.<program>.<w|d><part>.<slot>.<n>"` (n from 1); nil when the program, step or
    /// slot has none (see ``ProgramDefinition/prompts(part:slot:)`` for any program).
    public static func stepPrompts(program: ProgramChoice, part: Int, slot: String) -> [Prompt]? {
        BuiltInPrograms.named(program.rawValue)?.prompts(part: part, slot: slot)
    }
}
