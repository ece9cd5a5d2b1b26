// The built-in programs, written in the program file format and compiled in: SwiftPM
// resources resolve to the build folder on Linux and break once installed elsewhere
// (DESIGN.md). Config/programs/ holds byte-for-byte copies; a test keeps them the same.
// Their prompt keys ("program.widening-circle.w2.intention.3", ...) are what hiding and the
// rotation remember: keep each step's prompts in place when editing the text.

/// The programs that come with Kindling.
public enum BuiltInPrograms {
    /// Every built-in program, parsed: the widening circle, then the five-day reset.
    public static let all: [ProgramDefinition] = [
        parse(wideningCircleTOML, file: "widening-circle.toml"),
        parse(fiveDayResetTOML, file: "five-day-reset.toml"),
    ]

    /// The built-in program called `name`, or nil.
    public static func named(_ name: String) -> ProgramDefinition? {
        all.first { $0.name == name }
    }

    static func parse(_ text: String, file: String) -> ProgramDefinition {
        switch ProgramFile.check(text, file: "<built-in> " + file, builtIn: true) {
        case .success(let program): return program
        case .failure(let errors): fatalError("Kindling's built-in program is invalid: \(errors)")
        }
    }

    /// The widening circle's file: four weeks, seven prompts a slot in each, one per day.
    public static let wideningCircleTOML: String = #"""
        name = "widening-circle"
        title = "Widening circle"
        description = "Four weeks, each widening whom the kindness is for: yourself, family, acquaintances and coworkers, strangers and community."
        steps_by = "week"

        [[step]]
        title = "yourself"
        intention = [
            "How could you speak to yourself today the way you would to someone you love?",
            "What would it look like to treat your body kindly today?",
            "Where could you give yourself a little more time today?",
            "Which small mistake could you meet with understanding today?",
            "What effort of yours could you recognise today, whatever the outcome?",
            "What limit could you set today to look after your energy?",
            "What would rest look like for you today, without having to earn it first?",
        ]
        nudge = [
            "Say one kind sentence to yourself, as you would to a friend. Notice how it feels to hear it.",
            "Give your body something it has asked for: water, a stretch, a short rest. Notice how it responds.",
            "Take a break you would usually pass up. Notice what it does for the rest of your day.",
            "When a mistake comes to mind, answer it the way a good friend would. Notice what eases.",
            "Write down one thing you put effort into today. Notice how it feels to see it there.",
            "Say no to one thing you have no room for. Notice the space it leaves.",
            "Spend ten quiet minutes on something you enjoy, just because. Notice how it feels.",
        ]

        [[step]]
        title = "family"
        intention = [
            "Who in your family, or among the people who are family to you, could use encouragement today?",
            "What do you appreciate about someone close to you that you have not said aloud?",
            "Where could you bring a little more patience to someone close to you today?",
            "Which of the people closest to you could you simply listen to today?",
            "What small task could you lighten for someone you live with or love?",
            "How might you choose gentle words at home today, even in a tense moment?",
            "Whom close to you have you not heard from lately, and how might you reach out?",
        ]
        nudge = [
            "Send a short message to someone close, just to say you are thinking of them. Notice how it feels.",
            "Tell someone at home one specific thing you appreciate about them. Notice their response, and your own.",
            "Before answering in frustration, take one breath and choose empathy. Notice what changes.",
            "Give someone close your full attention for a few minutes. Notice the connection it makes.",
            "Quietly take care of one chore for someone you love. Notice how it feels to give unasked.",
            "Leave a small kind note where someone close will find it. Notice the warmth of writing it.",
            "Call or write to someone who is family to you, however you define it. Notice how your mood shifts.",
        ]

        [[step]]
        title = "acquaintances and coworkers"
        intention = [
            "Which coworker or acquaintance could use some encouragement today?",
            "Whose work could you thank someone for today?",
            "What help could you offer someone at work, if you truly have room for it?",
            "Which of your strengths could make a colleague's day lighter?",
            "Who around you tends to go unnoticed, and how could you notice them today?",
            "Where could you bring patience to a meeting or a shared task today?",
            "How could you help someone new feel welcome today?",
        ]
        nudge = [
            "Tell a colleague they are doing good work, and say what you noticed. Notice how it feels to say it.",
            "Write a short thank-you to someone whose work helps yours. Notice the warmth it creates.",
            "Offer to help with one overwhelming task, if you have the capacity. Notice how giving from fullness feels.",
            "Bring a neighbour or coworker a small something: a tea, a flower, a kind word. Notice how it lands.",
            "Use the name of someone you see often but rarely speak with. Notice the connection it makes.",
            "In your next conversation at work, listen without interrupting. Notice what you hear.",
            "Share something useful you know with someone who is still learning. Notice how it feels to pass it on.",
        ]

        [[step]]
        title = "strangers and community"
        intention = [
            "How could you be kind to someone you may never see again?",
            "Which small business or local place could use your support today?",
            "Who serves you today whom you could thank warmly?",
            "What do you no longer need that someone else might?",
            "How could you offer your time or skills to your community, if you have the energy?",
            "What kindness could you leave for a stranger to find?",
            "How could you share hope with someone going through something you have come through?",
        ]
        nudge = [
            "Smile at or thank someone who serves you, and mean it. Notice what passes between you.",
            "Pay for a stranger's coffee or small purchase, if your budget allows. Notice how it feels to give unseen.",
            "Write a good review for a small business you value. Notice the pleasure of saying something good.",
            "Gather a few things you no longer need to give away. Notice the lightness it brings.",
            "Let someone go first, hold a door, or offer a hand where you can. Notice the small moment of connection.",
            "Find one way to volunteer that fits your energy, and keep it for a day with room. Notice what draws you.",
            "Leave a kind note somewhere a stranger will find it. Notice how it feels to give without being known.",
        ]

        """#

    /// The five-day reset's file: five days, two prompts a slot in each, taken in turn.
    public static let fiveDayResetTOML: String = #"""
        name = "five-day-reset"
        title = "Five-day reset"
        description = "Five practised days, one small act of kindness each."
        steps_by = "day"

        [[step]]
        title = "an encouraging message"
        intention = [
            "Who that you care about could use an encouraging word today?",
            "Who has been on your mind lately, and what encouragement could you send them?",
        ]
        nudge = [
            "Send an encouraging message to someone you care about. A sentence is enough. Notice how it feels.",
            "Tell someone you care about one thing you believe in about them. Notice your mood afterwards.",
        ]

        [[step]]
        title = "kindness to your body"
        intention = [
            "How could you be kind to your body today: rest, movement, or water?",
            "What is your body asking of you today?",
        ]
        nudge = [
            "Drink a glass of water, stretch for a minute, or lie down for a while. Notice how your body answers.",
            "Rest, stretch, or move as your body allows today, whichever feels kindest. Notice how it feels.",
        ]

        [[step]]
        title = "a sincere compliment"
        intention = [
            "Whom do you admire, and what could you tell them today?",
            "Whose qualities or work have quietly impressed you, and how could they hear it?",
        ]
        nudge = [
            "Give a sincere compliment to someone you admire, naming what you see in them. Notice how it feels.",
            "Tell someone plainly and honestly what you admire about them. Notice the warmth it brings.",
        ]

        [[step]]
        title = "grace toward yourself"
        intention = [
            "What mistake could you meet with grace today, instead of going over it again?",
            "How would you comfort a friend after the slip you are still carrying?",
        ]
        nudge = [
            "Think of a recent mistake and tell yourself what you would tell a friend. Notice what softens.",
            "Write one forgiving sentence to yourself about something that went wrong. Notice how it reads.",
        ]

        [[step]]
        title = "a kindness done anonymously"
        intention = [
            "What kindness could you do today without anyone knowing it was you?",
            "Where could you leave something good for someone to find?",
        ]
        nudge = [
            "Do one kind thing anonymously: a note, a paid-for coffee, a tidied space. Notice how it feels.",
            "Leave something good behind for someone you will not meet. Notice the quiet pleasure in it.",
        ]

        """#
}
