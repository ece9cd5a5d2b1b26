// The compiled-in prompts: what people read every day.
//
// Written for Kindling (see PRACTICE.md for the practice behind them). Every prompt is
// gentle, short and warm: no exclamation marks, no "should", no guilt, no talk of streaks.
// Keys are stored in the journal to drive rotation: once shipped, a key keeps its meaning.
// Reword a prompt freely, but give a prompt with a new idea a new key, and never reuse a
// retired key. Retired: break.short-walk and break.something-to-eat (prompts make no
// assumption about how a body moves or what it eats: they offer choices instead).

/// The built-in prompts of each built-in slot.
public enum PromptCatalog {
    /// The built-in prompts for `slot`, in a fixed order; empty for custom slots and
    /// unknown names.
    public static func builtin(for slot: String) -> [Prompt] {
        switch slot {
        case "intention": intentions
        case "nudge": nudges
        case "reflection": reflections
        case "review": reviews
        case "break": breaks
        default: []
        }
    }

    static func prompts(_ slot: String, _ entries: KeyValuePairs<String, String>) -> [Prompt] {
        entries.map { Prompt(key: "\(slot).\($0.key)", text: $0.value) }
    }

    // MARK: - Morning intention: one open question

    static let intentions = prompts(
        "intention",
        [
            "encourage-someone": "Is there someone who could use a little encouragement from you today?",
            "bring-kindness": "What is one way you could bring some kindness into today?",
            "friends-words": "What would you say to a close friend facing your day, and could you offer yourself the same words?",
            "pause-without-reason": "Where in today could you give yourself a pause, with no reason needed?",
            "notice-effort": "What effort of yours could you notice today, whatever the outcome?",
            "care-for-body": "How might you look after your body a little today?",
            "gentle-limit": "Is there a limit you could hold gently today, to protect your energy?",
            "small-act": "What small act of kindness would fit easily into your day?",
            "someone-unmet": "How could you brighten the day of someone you have not met yet?",
            "thank-those-who-serve": "Who helps you in small ways, and how might you thank them today?",
            "strength-as-gift": "Which of your strengths could become a gift to someone today?",
            "listen-fully": "Whom could you listen to fully today, without planning your reply?",
            "say-appreciation": "Who close to you could hear what you appreciate about them today?",
            "room-for-patience": "Where today could a pause before reacting make room for patience?",
            "moment-for-you": "Between all the caring you do today, where is a moment that is only for you?",
            "work-that-matters": "Which colleague or fellow carer could hear that their work matters?",
            "gentlest-words": "Which conversation today could use your gentlest words?",
            "let-healing-take-time": "What could you allow to take its time today, yourself included?",
        ])

    // MARK: - Mindful-action nudge: one small act, and noticing how it feels

    static let nudges = prompts(
        "nudge",
        [
            "encouraging-message": "Send someone a few encouraging words. Afterwards, notice what shifts in you.",
            "hold-a-door":
                "Let someone go ahead of you, or hold a door if that is easy for you. Notice the small warmth it leaves.",
            "genuine-compliment": "Offer someone a compliment you truly mean. Notice how it feels to say it.",
            "kind-note": "Leave a short kind note for a coworker or someone at home. Notice how you feel as you write it.",
            "listen-fully": "In your next conversation, listen without planning what to say. Notice the connection it makes.",
            "friends-voice":
                "For the next hour, speak to yourself the way you would to a dear friend. Notice how your body responds.",
            "rest-freely": "Take a short rest, no justification needed. Notice how your shoulders and breath feel afterwards.",
            "let-a-mistake-go": "Think of a recent mistake and meet it with one kind sentence. Notice what loosens.",
            "glass-of-water": "Pour a glass of water and drink it slowly. Caring for your body counts. Notice how it feels.",
            "next-coffee": "If it suits your budget, pay for the next person's coffee. Notice how it feels to give unseen.",
            "good-review": "Write a warm review for a small business you like. Notice the pleasure of passing on something good.",
            "pass-it-on": "Set aside one thing you no longer need for someone who could use it. Notice the lightness it brings.",
            "thank-by-name": "Thank someone who serves you today, with a smile or by name. Notice what passes between you.",
            "give-from-strengths":
                "Use something you are good at for someone else: fix, tidy, make or listen. Notice how giving feels.",
            "offer-hope":
                "Send a word of hope to someone going through something you have come through. Notice how it feels to offer it.",
            "say-appreciation":
                "Tell someone close to you one specific thing you appreciate about them. Notice your mood afterwards.",
            "breath-before-answering":
                "When frustration rises, take one breath before you answer. Notice the room it makes for empathy.",
            "tell-a-peer": "Tell a colleague they are doing good work, and mean it. Notice how it feels to lift someone up.",
            "kind-no": "If your plate is full, let one request go with a kind no. Notice the relief it leaves.",
            "help-with-room": "Offer help with one task you truly have room for. Notice how giving from fullness feels.",
        ])

    // MARK: - Evening reflection: kindness given or received, and how it felt

    static let reflections = prompts(
        "reflection",
        [
            "given-today": "What kindness did you give today, however small, and how did it feel?",
            "received-today": "What kindness came your way today, and how did it land in you?",
            "mood-and-energy": "When you chose kindness today, what happened to your mood and your energy?",
            "kind-to-yourself": "How were you kind to yourself today, even in one small way?",
            "warmest-moment": "Which moment today felt warmest, and who was part of it?",
            "in-your-body": "When you did something kind today, what did you notice in your body?",
            "a-stranger": "Did any kindness pass between you and a stranger today? How did it feel?",
            "closer": "Whom did you feel connected to today, and what brought you closer?",
            "effort-tonight": "What effort of yours deserves a kind word tonight, whatever came of it?",
            "gentle-words": "Where did you choose gentle words or patience today, and what did that change?",
            "shared-strength": "Which of your strengths did you share with someone today, and how did it feel to give?",
            "rest": "Did you let yourself rest today? What did that do for your energy?",
            "unexpected": "Was there an unexpected kindness today, from anyone at all? What did it do for your mood?",
            "quiet-day": "If today held little room for kindness, what small thing still went gently?",
            "after-caring": "After caring for others today, what did you give back to yourself?",
            "carry-into-tomorrow": "Is there a kindness from today you would like to carry into tomorrow?",
        ])

    // MARK: - Weekly review: a gentle look back

    static let reviews = prompts(
        "review",
        [
            "what-stays": "Looking back on this week, which kindness, given or received, stays with you?",
            "mood-over-the-week": "Over this week, how did kindness seem to touch your mood and energy?",
            "how-you-treated-yourself":
                "How did you treat yourself this week, and what would you like to offer yourself more of?",
            "who-it-reached": "Whose days did your kindness reach this week, your own included?",
            "small-but-meaningful": "Which small act this week took little effort but meant a lot?",
            "kindness-received": "Who was kind to you this week, and how might you let them know it mattered?",
            "what-helped": "Where was this week hard, and what helped you through it?",
            "set-it-down": "Is there something from this week you could forgive yourself for, and set down?",
            "energy-gained-and-spent": "What gave you energy this week, and what took it?",
            "strengths-showed-up": "Which of your strengths showed up for someone this week?",
            "rest-this-week": "How much rest did you allow yourself this week, and how did it feel?",
            "stranger-moment": "Is there a moment of kindness with a stranger this week that you remember?",
            "warmer-relationship": "Which relationship felt a little warmer this week, and what part did you play in that?",
            "room-next-week": "As a new week begins, what kind of kindness would you like to make room for?",
            "care-returned": "If you care for others, what care found its way back to you this week?",
            "just-noticing": "Without judging it, what do you notice about how this week went?",
        ])

    // MARK: - Break: a breath, a stretch, a warm drink, permission to rest

    static let breaks = prompts(
        "break",
        [
            "three-breaths": "Three slow breaths before the next thing. There is time for this.",
            "stretch": "Rest, stretch, or move a little, as your body allows. It has been working too.",
            "warm-drink": "A warm drink, held in both hands, for a minute or two.",
            "longer-break": "You are allowed a longer break today. No reason needed.",
            "water": "A glass of water, sipped slowly.",
            "look-far-away": "Look out of a window, or at something far away, for a moment.",
            "soften": "Unclench your jaw, drop your shoulders, breathe out slowly.",
            "between-people": "A pause between one person and the next. Let the last one go before you begin again.",
            "feet-on-the-floor": "Feel the chair or the floor holding you up. One breath in, one long breath out.",
            "change-of-scene": "A change of scene, even another room or a window, is a real break.",
            "quiet-minute": "Rest your hands, close your eyes, and let the next minute be quiet.",
            "kind-word": "A kind word to yourself for the work you have done so far.",
            "this-moment-is-yours": "You have given a lot already. This moment is for you.",
            "four-and-six": "Breathe in for four, out for six, a few times over.",
            "nothing-at-all": "Do nothing at all for a minute. That is all this asks.",
        ])
}
