// The texts that carry the practice's heart: the two questions the practice is built on, the
// gentler prompts for a day with little energy, and the now-and-then reminder that the person
// is enough as they are. Written for Kindling; keys follow the catalog's rule (a shipped key
// keeps its meaning; a new idea gets a new key).

extension PromptCatalog {
    // MARK: - The practice's own questions

    /// The morning's own question, in two wordings taken in turn: whom the person could
    /// encourage, and how they could show kindness today. Shown on most days (see
    /// ``PromptComposer/isVarietyDay(_:)``); the rotation adds variety around it.
    public static let seedIntentions = prompts(
        "intention",
        [
            "seed-encourage": "Whom could you encourage today, or how might you show someone kindness?",
            "seed-show-kindness": "How could you show kindness today, to someone else or to yourself?",
        ])

    /// The evening's own question, in two wordings taken in turn: what kindness was given or
    /// received, and what it did for mood and energy.
    public static let seedReflections = prompts(
        "reflection",
        [
            "seed-given-or-received": "What kindness did you give or receive today, and how did it touch your mood and energy?",
            "seed-how-it-felt": "Think of one kindness today, given or received. What did it do for your mood and your energy?",
        ])

    // MARK: - A day with little energy

    /// Nudges for a day the person said their energy is low (1 or 2): kindness turned
    /// toward themselves, and rest that needs no reason.
    public static let gentleNudges = prompts(
        "nudge",
        [
            "gentle-rest": "Energy is low today, so the kindest act may be rest. Take some, and notice how it feels.",
            "gentle-friend": "Say to yourself what you would say to a tired friend. Notice how it feels to hear it.",
            "gentle-one-thing-less": "Let one thing wait until another day. Notice the room it gives you.",
            "gentle-comfort": "Choose one small comfort: warmth, quiet, a favourite sound. Notice how your body answers.",
            "gentle-enough": "Doing less today is still practice. Rest, stretch, or stay still as your body allows, and notice.",
        ])

    /// Evening questions for a low-energy day: what went gently, with no tally of the rest.
    public static let gentleReflections = prompts(
        "reflection",
        [
            "gentle-rested": "Where did you let yourself rest or go slowly today, and how did it feel?",
            "gentle-kind-word": "What kind word did you offer yourself today, or would like to offer now?",
            "gentle-small-comfort": "What small comfort did you find today, however brief?",
            "gentle-received": "Did anyone make today a little lighter for you? How did that feel?",
        ])

    // MARK: - Now and then: you are enough

    /// Lines that tell the person they are appreciated and enough as they are. Added to one
    /// reflection a week at most (see ``PromptComposer/isAffirmationDay(_:)``), unless
    /// `affirmations = false`.
    public static let affirmations = [
        "Whatever today held: you are appreciated, and you are enough as you are.",
        "A word for you: you matter, and you are enough just as you are, with nothing to earn.",
        "Before you rest: the care you give counts, and so do you. You are enough.",
    ]

    /// Every text the practice content can show, with a key, for checks of tone: the
    /// catalog of every built-in slot, the practice's own questions, the low-energy sets,
    /// the affirmations and the texts the composer writes itself.
    public static var allTexts: [(key: String, text: String)] {
        var prompts = Configuration.builtinSlotNames.flatMap { builtin(for: $0) }
        prompts += seedIntentions + seedReflections + gentleNudges + gentleReflections
        for program in [ProgramChoice.wideningCircle, .fiveDayReset] {
            for part in 1...program.length {
                for slot in ["intention", "nudge"] {
                    prompts += ProgramEngine.stepPrompts(program: program, part: part, slot: slot) ?? []
                }
            }
        }
        var pairs = prompts.map { (key: $0.key, text: $0.text) }
        pairs += affirmations.enumerated().map { (key: "affirmation.\($0.offset + 1)", text: $0.element) }
        pairs.append((key: "discreet", text: PromptComposer.discreetText(for: "intention")))
        pairs.append((key: "fallback", text: PromptRotation.fallback.text))
        pairs.append((key: "quote", text: PromptComposer.quotingOpener("…")))
        return pairs
    }
}
