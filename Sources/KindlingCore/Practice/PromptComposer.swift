// What a slot says when it fires: the practice's own questions first, variety from the
// rotation, shaped by the program and by a low-energy day, with the evening reflection
// quoting the morning's intention. Pure.

/// A prompt ready to deliver.
public struct ComposedPrompt: Sendable, Equatable {
    /// What the person reads (in discreet mode, notifications and hooks show
    /// ``PromptComposer/discreetText(for:)`` instead).
    public var text: String
    /// The key to store in the journal (drives rotation).
    public var key: String
    /// The program day that shaped it; nil when the program did not.
    public var programDay: Int?

    /// Creates a composed prompt.
    public init(text: String, key: String, programDay: Int?) {
        self.text = text
        self.key = key
        self.programDay = programDay
    }
}

/// Composes the prompt a slot shows.
public enum PromptComposer {
    /// The longest part of the morning's intention the reflection quotes, in characters,
    /// the ellipsis included.
    public static let quoteLimit = 120

    /// The prompt for `slot` now.
    ///
    /// In order, the first that applies:
    /// - a low-energy day (`lowEnergy`: the person gave energy 1 or 2 today): the `nudge` and
    ///   the `reflection` come from the gentle self-kindness sets
    ///   (``PromptCatalog/gentleNudges``, ``PromptCatalog/gentleReflections``), in rotation;
    /// - `intention` and `reflection` on a `day` that is not a variety day, while a program's
    ///   step offers prompts for the slot: the practice's own question, followed by the step's
    ///   focus (``focusLine(_:)``), so a four-week program never replaces the question;
    /// - `intention`, `nudge` and `reflection`: while a program is running (a `position` that
    ///   is not complete) and its step offers prompts for the slot, the step's content
    ///   (`programDay` = the position's day);
    /// - `intention` and `reflection` on a `day` that is not a variety day
    ///   (``isVarietyDay(_:)``): the practice's own question
    ///   (``PromptCatalog/seedIntentions``, ``PromptCatalog/seedReflections``), its two
    ///   wordings taken in turn by day;
    /// - otherwise the rotation (``PromptRotation``).
    ///
    /// Built-in content of any kind needs the slot's built-in prompts on (`builtin_prompts`).
    /// A `reflection` opens by quoting `todaysIntention` when it has text and delivery is
    /// not discreet (``quotingOpener(_:)``: trimmed, on one line, at most ``quoteLimit``
    /// characters), and ends with an affirmation (``PromptCatalog/affirmations``) when
    /// `affirmations` is on, `day` is its week's affirmation day (``isAffirmationDay(_:)``)
    /// and `firstOfDay` says no reflection was delivered earlier that day.
    ///
    /// - Parameters:
    ///   - recentKeys: the slot's recent keys, most recent first
    ///     (see ``PromptRotation/choose(from:recentKeys:seed:)``).
    ///   - seed: e.g. ``PromptRotation/seed(for:slot:)``.
    ///   - day: the local date the prompt is for; nil leaves out what depends on the date
    ///     (the practice's own questions, the affirmation).
    ///   - hiddenKeys: prompts the person turned off (`kindling prompt hide`): never chosen.
    ///
    /// While a program shapes a slot and the person has `[[prompt]]`s of their own for it, the
    /// two take turns: right after the current step's prompt, one of theirs; then the step again.
    public static func compose(
        slot: String, configuration: Configuration, position: ProgramPosition?, todaysIntention: String?,
        recentKeys: [String], seed: UInt64, day: LocalDate? = nil, lowEnergy: Bool = false, firstOfDay: Bool = true,
        hiddenKeys: Set<String> = []
    ) -> ComposedPrompt {
        let builtinOn = configuration.slot(named: slot)?.builtinPrompts ?? true
        let candidates = PromptRotation.candidates(for: slot, in: configuration).filter { !hiddenKeys.contains($0.key) }
        var composed: ComposedPrompt
        if builtinOn, lowEnergy, let gentle = gentleSet(for: slot)?.filter({ !hiddenKeys.contains($0.key) }), !gentle.isEmpty {
            let prompt = PromptRotation.choose(from: gentle, recentKeys: recentKeys, seed: seed)
            composed = ComposedPrompt(text: prompt.text, key: prompt.key, programDay: nil)
        } else if builtinOn, let day, !isVarietyDay(day), let prompt = seedQuestion(for: slot, on: day),
            !hiddenKeys.contains(prompt.key), let position, !position.isComplete,
            position.definition.prompts(part: position.part ?? 0, slot: slot)?.isEmpty == false
        {
            // The program's step names the focus; the practice's own question still comes first.
            composed = ComposedPrompt(
                text: prompt.text + " " + focusLine(position), key: prompt.key, programDay: position.day)
        } else if ProgramDefinition.slots.contains(slot), builtinOn, let position, !position.isComplete,
            let part = position.part,
            let steps = position.definition.prompts(part: part, slot: slot)?
                .filter({ !hiddenKeys.contains($0.key) }), !steps.isEmpty
        {
            let own = candidates.filter { $0.key.hasPrefix("user.") }
            if !own.isEmpty, let last = recentKeys.first, steps.contains(where: { $0.key == last }) {
                let prompt = PromptRotation.choose(from: own, recentKeys: recentKeys, seed: seed)
                composed = ComposedPrompt(text: prompt.text, key: prompt.key, programDay: nil)
            } else {
                let prompt = steps[(position.day - 1) % steps.count]
                composed = ComposedPrompt(text: prompt.text, key: prompt.key, programDay: position.day)
            }
        } else if builtinOn, let day, !isVarietyDay(day), let prompt = seedQuestion(for: slot, on: day),
            !hiddenKeys.contains(prompt.key)
        {
            composed = ComposedPrompt(text: prompt.text, key: prompt.key, programDay: nil)
        } else {
            let prompt =
                candidates.isEmpty
                ? Prompt(key: "fallback.\(slot)", text: "A gentle reminder: \(Schedule.displayName(of: slot)).")
                : PromptRotation.choose(from: candidates, recentKeys: recentKeys, seed: seed)
            composed = ComposedPrompt(text: prompt.text, key: prompt.key, programDay: nil)
        }

        if slot == "reflection", !configuration.delivery.discreet, let intention = todaysIntention,
            let quote = quotation(of: intention)
        {
            composed.text = quotingOpener(quote) + composed.text
        }
        if slot == "reflection", configuration.affirmations, firstOfDay, let day, isAffirmationDay(day) {
            composed.text += " " + affirmation(for: day)
        }
        return composed
    }

    // MARK: - The practice's own questions, and variety around them

    /// The weekdays on which the intention and the reflection come from the rotation; on
    /// the other five the practice's own questions are asked.
    public static let varietyWeekdays: Set<Weekday> = [.wednesday, .saturday]

    /// Whether `day` is one of the two days a week for variety (``varietyWeekdays``).
    public static func isVarietyDay(_ day: LocalDate) -> Bool {
        varietyWeekdays.contains(day.weekday)
    }

    /// The practice's own question for `slot` (intention or reflection) on `day`: its two
    /// wordings alternate day by day. Nil for other slots.
    public static func seedQuestion(for slot: String, on day: LocalDate) -> Prompt? {
        let set: [Prompt]
        switch slot {
        case "intention": set = PromptCatalog.seedIntentions
        case "reflection": set = PromptCatalog.seedReflections
        default: return nil
        }
        return set[((day.daysSinceEpoch % set.count) + set.count) % set.count]
    }

    /// The line a program adds after the practice's own question: what its current step is
    /// about, e.g. "This week's focus: family."
    static func focusLine(_ position: ProgramPosition) -> String {
        let unit = position.definition.stepsBy == .week ? "This week's" : "Today's"
        return "\(unit) focus: \(position.theme)."
    }

    /// The gentle set a low-energy day draws `slot` from; nil for slots it leaves alone.
    static func gentleSet(for slot: String) -> [Prompt]? {
        switch slot {
        case "nudge": PromptCatalog.gentleNudges
        case "reflection": PromptCatalog.gentleReflections
        default: nil
        }
    }

    /// Whether an energy the person gave (1 to 5) makes the day a low-energy one.
    public static func isLowEnergy(_ energy: Int?) -> Bool {
        energy.map { $0 <= 2 } ?? false
    }

    // MARK: - The affirmation

    /// Whether `day` is its ISO week's one affirmation day: a weekday drawn from the week's
    /// Monday, so each week has exactly one and the choice never changes.
    public static func isAffirmationDay(_ day: LocalDate) -> Bool {
        let monday = day.startOfWeek
        let offset = Int(StableHash.mix(StableHash.fnv1a64("affirmation/\(monday)")) % 7)
        return day == monday.adding(days: offset)
    }

    /// The affirmation of `day`'s week (the lines take turns week by week).
    public static func affirmation(for day: LocalDate) -> String {
        let lines = PromptCatalog.affirmations
        let week = day.startOfWeek.daysSinceEpoch / 7
        return lines[((week % lines.count) + lines.count) % lines.count]
    }

    // MARK: - Quoting the morning's intention

    /// The sentence a reflection opens with when it quotes the morning's intention. It names
    /// the intention rather than completing a sentence with it, so any text reads well
    /// ("my sister", "be patient", "?").
    static func quotingOpener(_ quote: String) -> String {
        "This morning you set an intention: “\(quote)”. "
    }

    /// The opener earlier versions wrote; prompts already in the journal may start with it.
    static func legacyQuotingOpener(_ quote: String) -> String {
        "This morning you meant to: “\(quote)”. "
    }

    static var openers: [(String) -> String] { [quotingOpener, legacyQuotingOpener] }

    /// Whether `promptText` opens by quoting `intention` (in this version's words or an
    /// earlier one's).
    public static func quotes(_ promptText: String, intention: String) -> Bool {
        guard let quote = quotation(of: intention) else { return false }
        let body = withoutGreeting(promptText).body
        return openers.contains { body.hasPrefix($0(quote)) }
    }

    /// The words that open the first prompt after a pause.
    public static let welcomeBack = "Welcome back."

    /// `promptText` as the first prompt after a pause: it says welcome back, and nothing of
    /// what came meanwhile.
    public static func welcomingBack(_ promptText: String) -> String {
        welcomeBack + " " + promptText
    }

    /// A prompt's text split into its welcome back (or "") and the rest, so that a quote after
    /// a welcome back is found and rewritten like any other.
    static func withoutGreeting(_ promptText: String) -> (greeting: String, body: String) {
        let greeting = welcomeBack + " "
        guard promptText.hasPrefix(greeting) else { return ("", promptText) }
        return (greeting, String(promptText.dropFirst(greeting.count)))
    }

    /// A reflection prompt that quoted `intention`, rewritten after the person edited that
    /// intention to `replacement` or deleted it (nil): the quote follows the new words, or the
    /// opening sentence goes. Nil when `promptText` does not quote `intention`.
    ///
    /// The exact quote is looked for first. A prompt that opens with the quoting sentence but
    /// quotes other words (an intention edited before edits rewrote reflections) loses its
    /// opening up to the last closing quote: the person's words matter more than the prompt's.
    public static func requoting(_ promptText: String, intention: String, replacement: String?) -> String? {
        let (greeting, body) = withoutGreeting(promptText)
        return requotingBody(body, intention: intention, replacement: replacement).map { greeting + $0 }
    }

    private static func requotingBody(_ promptText: String, intention: String, replacement: String?) -> String? {
        let newOpener = replacement.flatMap(quotation(of:)).map(quotingOpener) ?? ""
        if let quote = quotation(of: intention) {
            for opener in openers where promptText.hasPrefix(opener(quote)) {
                return newOpener + promptText.dropFirst(opener(quote).count)
            }
        }
        for opener in openers {
            let head = String(opener("").prefix(while: { $0 != "”" }))
            guard promptText.hasPrefix(head), let close = promptText.range(of: "”. ", options: .backwards) else {
                continue
            }
            return newOpener + promptText[close.upperBound...]
        }
        return nil
    }

    /// What notifications and hooks show in discreet mode: only that a prompt is waiting,
    /// with nothing personal in it. The same for every slot.
    public static func discreetText(for slot: String) -> String {
        "A Kindling prompt is waiting for you."
    }

    /// The intention as the reflection quotes it: whitespace (line breaks included)
    /// collapsed to single spaces, trimmed, a final full stop dropped (the sentence adds
    /// its own), and cut to ``quoteLimit`` characters with an ellipsis. Nil when nothing
    /// is left.
    static func quotation(of intention: String) -> String? {
        var words = intention.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while words.hasSuffix(".") && !words.hasSuffix("...") { words.removeLast() }
        guard !words.isEmpty else { return nil }
        guard words.count > quoteLimit else { return words }
        let kept = words.prefix(quoteLimit - 1).trimmingSuffix(while: { $0.isWhitespace })
        return kept + "…"
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var result = self
        while let last = result.last, predicate(last) { result.removeLast() }
        return result
    }
}
