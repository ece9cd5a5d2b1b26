// `[program] skip` entries written as text: a single program day, or a week by name.
// Numbers keep their meaning (the program's own unit); text lets a person leave out one day
// of a widening-circle week without giving up the whole week.

/// One entry of `skip`, read.
public enum ProgramSkip: Equatable, Sendable {
    /// A whole step in the program's own unit: a week of the widening circle, a day of the
    /// five-day reset.
    case step(Int)
    /// One day of the widening circle, counted through the program (1...28).
    case day(Int)

    /// Reads `"day 10"`, `"week 2"` or `"week 2 day 3"` (any case, any spacing). The failure
    /// is one sentence saying what to write instead.
    public static func parse(_ text: String, program: ProgramChoice) -> Result<ProgramSkip, SkipError> {
        guard let definition = BuiltInPrograms.named(program.rawValue) else {
            return .failure(SkipError("\(program.rawValue) is not a built-in program; leave its steps out by number"))
        }
        return parse(text, definition: definition)
    }

    /// Like ``parse(_:program:)``, for any program: a plain number is one step, in the
    /// program's own unit.
    public static func parse(_ text: String, definition: ProgramDefinition) -> Result<ProgramSkip, SkipError> {
        let program = ProgramChoice(rawValue: definition.name)
        let weekly = definition.stepsBy == .week
        let length = definition.steps.count
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        if words.count == 1, let number = Int(words[0]) {
            guard (1...length).contains(number) else {
                return .failure(
                    SkipError("\(number) is not a \(definition.stepsBy.rawValue) of \(program.rawValue); use 1 to \(length)"))
            }
            return .success(.step(number))
        }
        let weekDays = weekly ? ProgramEngine.daysPerWeek : 1
        let dayCount = length * weekDays
        let advice =
            weekly
            ? "write a week as 2 or \"week 2\", and a single day as \"day 10\" or \"week 2 day 3\""
            : "write a day as 3 or \"day 3\""
        func number(_ word: String) -> Int? { Int(word).flatMap { $0 >= 1 ? $0 : nil } }
        switch words.count {
        case 2 where words[0] == "day":
            guard let day = number(words[1]), day <= dayCount else {
                return .failure(SkipError("\"\(text)\" is not a day of \(program.rawValue); use day 1 to \(dayCount)"))
            }
            return .success(weekly ? .day(day) : .step(day))
        case 2 where words[0] == "week":
            guard weekly else {
                return .failure(SkipError("\(program.rawValue) has no weeks; \(advice)"))
            }
            guard let week = number(words[1]), week <= length else {
                return .failure(SkipError("\"\(text)\" is not a week of \(program.rawValue); use week 1 to \(length)"))
            }
            return .success(.step(week))
        case 4 where words[0] == "week" && words[2] == "day":
            guard weekly else {
                return .failure(SkipError("\(program.rawValue) has no weeks; \(advice)"))
            }
            guard let week = number(words[1]), week <= length, let day = number(words[3]), day <= weekDays
            else {
                return .failure(
                    SkipError(
                        "\"\(text)\" is not a day of \(program.rawValue); weeks go from 1 to \(length), days from 1 to \(weekDays)"
                    ))
            }
            return .success(.day((week - 1) * weekDays + day))
        default:
            return .failure(SkipError("\"\(text)\" is not a part of the program; \(advice)"))
        }
    }

    /// Why an entry could not be read.
    public struct SkipError: Error, Equatable, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}
