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
    /// Today's practised day within the program, 1-based, counting only days spent in
    /// steps that are not skipped (practised days before today + 1).
    public var day: Int
    /// The program's own week (1...4) for the widening circle, as `skip` counts it; nil
    /// for the five-day reset and once the program is complete.
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
        program: ProgramChoice, day: Int, week: Int?, part: Int?, dayInStep: Int, theme: String,
        stepNumber: Int, stepCount: Int, isComplete: Bool
    ) {
        self.program = program
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
        let name = ProgramEngine.displayName(of: program)
        if isComplete {
            return "\(name): complete. The everyday prompts carry on from here."
        }
        return "\(name), \(program.unit) \(stepNumber) of \(stepCount): \(theme)"
    }
}

/// Program positions and the content of each step.
public enum ProgramEngine {
    /// How many practised days a widening-circle week lasts.
    public static let daysPerWeek = 7

    /// Where the program stands today; nil when `name = "none"`.
    ///
    /// - Parameters:
    ///   - settings: `[program]`.
    ///   - practisedDaysBefore: the practised days from the program's start date up to, but
    ///     not including, today (negative counts as 0). Today is program day
    ///     `practisedDaysBefore + 1`, whether or not it ends up practised.
    public static func position(settings: ProgramSettings, practisedDaysBefore: Int) -> ProgramPosition? {
        let program = settings.name
        guard program != .none else { return nil }
        let days = programDays(settings)
        var steps: [Int] = []
        for entry in days where steps.last != entry.part { steps.append(entry.part) }
        let day = max(0, practisedDaysBefore) + 1

        guard day <= days.count else {
            return ProgramPosition(
                program: program, day: day, week: nil, part: nil, dayInStep: 1, theme: "complete",
                stepNumber: steps.count, stepCount: steps.count, isComplete: true)
        }
        let (part, dayInStep) = days[day - 1]
        return ProgramPosition(
            program: program, day: day, week: program == .wideningCircle ? part : nil, part: part,
            dayInStep: dayInStep, theme: theme(of: program, part: part),
            stepNumber: (steps.firstIndex(of: part) ?? 0) + 1, stepCount: steps.count, isComplete: false)
    }

    /// The program's days that are left in, in order: each one's week or day (`part`) and its
    /// day within that step. A skipped week leaves out all its days; a skipped day only itself.
    static func programDays(_ settings: ProgramSettings) -> [(part: Int, dayInStep: Int)] {
        let program = settings.name
        guard program != .none else { return [] }
        let daysPerStep = program == .wideningCircle ? daysPerWeek : 1
        var days: [(part: Int, dayInStep: Int)] = []
        for part in 1...program.length where !settings.skip.contains(part) {
            for dayInStep in 1...daysPerStep where !settings.skipDays.contains((part - 1) * daysPerStep + dayInStep) {
                days.append((part, dayInStep))
            }
        }
        return days
    }

    /// `"Widening circle"`, `"Five-day reset"`, `"No program"`.
    public static func displayName(of program: ProgramChoice) -> String {
        switch program {
        case .wideningCircle: "Widening circle"
        case .fiveDayReset: "Five-day reset"
        case .none: "No program"
        }
    }

    /// The short name of a program's week or day, e.g. `"family"`; empty when out of range.
    public static func theme(of program: ProgramChoice, part: Int) -> String {
        steps(of: program).indices.contains(part - 1) ? steps(of: program)[part - 1].theme : ""
    }

    /// The program's prompt for `slot` (`"intention"` or `"nudge"`) at `position`; nil for
    /// other slots and once the program is complete. Each step has several: a week's seven
    /// belong to its seven days (so a skipped day's prompt is never shown), the five-day
    /// reset's are taken in turn by program day.
    public static func stepPrompt(for slot: String, at position: ProgramPosition) -> Prompt? {
        guard !position.isComplete, let part = position.part,
            let prompts = stepPrompts(program: position.program, part: part, slot: slot), !prompts.isEmpty
        else { return nil }
        let turn = position.program == .wideningCircle ? position.dayInStep - 1 : position.day - 1
        return prompts[turn % prompts.count]
    }

    /// Every prompt of one step for `slot`, keyed `"program.<program>.<w|d><part>.<slot>.<n>"`
    /// (n from 1); nil when the program, step or slot has none.
    public static func stepPrompts(program: ProgramChoice, part: Int, slot: String) -> [Prompt]? {
        let all = steps(of: program)
        guard all.indices.contains(part - 1) else { return nil }
        let texts: [String]
        switch slot {
        case "intention": texts = all[part - 1].intentions
        case "nudge": texts = all[part - 1].nudges
        default: return nil
        }
        let prefix = "program.\(program.rawValue).\(program == .wideningCircle ? "w" : "d")\(part).\(slot)"
        return texts.enumerated().map { Prompt(key: "\(prefix).\($0.offset + 1)", text: $0.element) }
    }

    // MARK: - The steps

    struct Step {
        var theme: String
        var intentions: [String]
        var nudges: [String]
    }

    static func steps(of program: ProgramChoice) -> [Step] {
        switch program {
        case .wideningCircle: wideningCircle
        case .fiveDayReset: fiveDayReset
        case .none: []
        }
    }

    /// Four weeks, each widening who the kindness is for. Seven of each, one per day.
    static let wideningCircle: [Step] = [
        Step(
            theme: "yourself",
            intentions: [
                "How could you speak to yourself today the way you would to someone you love?",
                "What would it look like to treat your body kindly today?",
                "Where could you give yourself a little more time today?",
                "Which small mistake could you meet with understanding today?",
                "What effort of yours could you recognise today, whatever the outcome?",
                "What limit could you set today to look after your energy?",
                "What would rest look like for you today, without having to earn it first?",
            ],
            nudges: [
                "Say one kind sentence to yourself, as you would to a friend. Notice how it feels to hear it.",
                "Give your body something it has asked for: water, a stretch, a short rest. Notice how it responds.",
                "Take a break you would usually pass up. Notice what it does for the rest of your day.",
                "When a mistake comes to mind, answer it the way a good friend would. Notice what eases.",
                "Write down one thing you put effort into today. Notice how it feels to see it there.",
                "Say no to one thing you have no room for. Notice the space it leaves.",
                "Spend ten quiet minutes on something you enjoy, just because. Notice how it feels.",
            ]),
        Step(
            theme: "family",
            intentions: [
                "Who in your family, or among the people who are family to you, could use encouragement today?",
                "What do you appreciate about someone close to you that you have not said aloud?",
                "Where could you bring a little more patience to someone close to you today?",
                "Which of the people closest to you could you simply listen to today?",
                "What small task could you lighten for someone you live with or love?",
                "How might you choose gentle words at home today, even in a tense moment?",
                "Whom close to you have you not heard from lately, and how might you reach out?",
            ],
            nudges: [
                "Send a short message to someone close, just to say you are thinking of them. Notice how it feels.",
                "Tell someone at home one specific thing you appreciate about them. Notice their response, and your own.",
                "Before answering in frustration, take one breath and choose empathy. Notice what changes.",
                "Give someone close your full attention for a few minutes. Notice the connection it makes.",
                "Quietly take care of one chore for someone you love. Notice how it feels to give unasked.",
                "Leave a small kind note where someone close will find it. Notice the warmth of writing it.",
                "Call or write to someone who is family to you, however you define it. Notice how your mood shifts.",
            ]),
        Step(
            theme: "acquaintances and coworkers",
            intentions: [
                "Which coworker or acquaintance could use some encouragement today?",
                "Whose work could you thank someone for today?",
                "What help could you offer someone at work, if you truly have room for it?",
                "Which of your strengths could make a colleague's day lighter?",
                "Who around you tends to go unnoticed, and how could you notice them today?",
                "Where could you bring patience to a meeting or a shared task today?",
                "How could you help someone new feel welcome today?",
            ],
            nudges: [
                "Tell a colleague they are doing good work, and say what you noticed. Notice how it feels to say it.",
                "Write a short thank-you to someone whose work helps yours. Notice the warmth it creates.",
                "Offer to help with one overwhelming task, if you have the capacity. Notice how giving from fullness feels.",
                "Bring a neighbour or coworker a small something: a tea, a flower, a kind word. Notice how it lands.",
                "Use the name of someone you see often but rarely speak with. Notice the connection it makes.",
                "In your next conversation at work, listen without interrupting. Notice what you hear.",
                "Share something useful you know with someone who is still learning. Notice how it feels to pass it on.",
            ]),
        Step(
            theme: "strangers and community",
            intentions: [
                "How could you be kind to someone you may never see again?",
                "Which small business or local place could use your support today?",
                "Who serves you today whom you could thank warmly?",
                "What do you no longer need that someone else might?",
                "How could you offer your time or skills to your community, if you have the energy?",
                "What kindness could you leave for a stranger to find?",
                "How could you share hope with someone going through something you have come through?",
            ],
            nudges: [
                "Smile at or thank someone who serves you, and mean it. Notice what passes between you.",
                "Pay for a stranger's coffee or small purchase, if your budget allows. Notice how it feels to give unseen.",
                "Write a good review for a small business you value. Notice the pleasure of saying something good.",
                "Gather a few things you no longer need to give away. Notice the lightness it brings.",
                "Let someone go first, hold a door, or offer a hand where you can. Notice the small moment of connection.",
                "Find one way to volunteer that fits your energy, and keep it for a day with room. Notice what draws you.",
                "Leave a kind note somewhere a stranger will find it. Notice how it feels to give without being known.",
            ]),
    ]

    /// Five days, one small act a day. Two of each, taken in turn by program day.
    static let fiveDayReset: [Step] = [
        Step(
            theme: "an encouraging message",
            intentions: [
                "Who that you care about could use an encouraging word today?",
                "Who has been on your mind lately, and what encouragement could you send them?",
            ],
            nudges: [
                "Send an encouraging message to someone you care about. A sentence is enough. Notice how it feels.",
                "Tell someone you care about one thing you believe in about them. Notice your mood afterwards.",
            ]),
        Step(
            theme: "kindness to your body",
            intentions: [
                "How could you be kind to your body today: rest, movement, or water?",
                "What is your body asking of you today?",
            ],
            nudges: [
                "Drink a glass of water, stretch for a minute, or lie down for a while. Notice how your body answers.",
                "Rest, stretch, or move as your body allows today, whichever feels kindest. Notice how it feels.",
            ]),
        Step(
            theme: "a sincere compliment",
            intentions: [
                "Whom do you admire, and what could you tell them today?",
                "Whose qualities or work have quietly impressed you, and how could they hear it?",
            ],
            nudges: [
                "Give a sincere compliment to someone you admire, naming what you see in them. Notice how it feels.",
                "Tell someone plainly and honestly what you admire about them. Notice the warmth it brings.",
            ]),
        Step(
            theme: "grace toward yourself",
            intentions: [
                "What mistake could you meet with grace today, instead of going over it again?",
                "How would you comfort a friend after the slip you are still carrying?",
            ],
            nudges: [
                "Think of a recent mistake and tell yourself what you would tell a friend. Notice what softens.",
                "Write one forgiving sentence to yourself about something that went wrong. Notice how it reads.",
            ]),
        Step(
            theme: "a kindness done anonymously",
            intentions: [
                "What kindness could you do today without anyone knowing it was you?",
                "Where could you leave something good for someone to find?",
            ],
            nudges: [
                "Do one kind thing anonymously: a note, a paid-for coffee, a tidied space. Notice how it feels.",
                "Leave something good behind for someone you will not meet. Notice the quiet pleasure in it.",
            ]),
    ]
}
