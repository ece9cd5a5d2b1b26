// What a slot says when it fires: rotation, shaped by the program, with the evening
// reflection quoting the morning's intention. Pure.

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
    /// - `intention` and `nudge`: while a program is running (a `position` that is not
    ///   complete) and the slot's built-in prompts are on, the program's step content
    ///   (`programDay` = the position's day); otherwise the rotation.
    /// - `reflection`: the rotation; when `todaysIntention` has text and delivery is not
    ///   discreet, it opens by quoting it: `This morning you meant to: “text Sam”. `
    ///   (trimmed, on one line, at most ``quoteLimit`` characters).
    /// - `review`, `break` and custom slots: the rotation.
    ///
    /// - Parameters:
    ///   - recentKeys: the slot's recent keys, most recent first
    ///     (see ``PromptRotation/choose(from:recentKeys:seed:)``).
    ///   - seed: e.g. ``PromptRotation/seed(for:slot:)``.
    ///   - hiddenKeys: prompts the person turned off (`kindling prompt hide`): never chosen.
    ///
    /// While a program shapes a slot and the person has `[[prompt]]`s of their own for it, the
    /// two take turns: right after the current step's prompt, one of theirs; then the step again.
    public static func compose(
        slot: String, configuration: Configuration, position: ProgramPosition?, todaysIntention: String?,
        recentKeys: [String], seed: UInt64, hiddenKeys: Set<String> = []
    ) -> ComposedPrompt {
        let builtinOn = configuration.slot(named: slot)?.builtinPrompts ?? true
        let candidates = PromptRotation.candidates(for: slot, in: configuration).filter { !hiddenKeys.contains($0.key) }
        if slot == "intention" || slot == "nudge", builtinOn, let position, !position.isComplete, let part = position.part,
            let steps = ProgramEngine.stepPrompts(program: position.program, part: part, slot: slot)?
                .filter({ !hiddenKeys.contains($0.key) }), !steps.isEmpty
        {
            let own = candidates.filter { $0.key.hasPrefix("user.") }
            if !own.isEmpty, let last = recentKeys.first, steps.contains(where: { $0.key == last }) {
                let prompt = PromptRotation.choose(from: own, recentKeys: recentKeys, seed: seed)
                return ComposedPrompt(text: prompt.text, key: prompt.key, programDay: nil)
            }
            let prompt = steps[(position.day - 1) % steps.count]
            return ComposedPrompt(text: prompt.text, key: prompt.key, programDay: position.day)
        }

        let prompt =
            candidates.isEmpty
            ? Prompt(key: "fallback.\(slot)", text: "A gentle reminder: \(Schedule.displayName(of: slot)).")
            : PromptRotation.choose(from: candidates, recentKeys: recentKeys, seed: seed)

        var text = prompt.text
        if slot == "reflection", !configuration.delivery.discreet, let intention = todaysIntention,
            let quote = quotation(of: intention)
        {
            text = quotingOpener(quote) + text
        }
        return ComposedPrompt(text: text, key: prompt.key, programDay: nil)
    }

    /// The sentence a reflection opens with when it quotes the morning's intention.
    static func quotingOpener(_ quote: String) -> String {
        "This morning you meant to: “\(quote)”. "
    }

    /// A reflection prompt that quoted `intention`, rewritten after the person edited that
    /// intention to `replacement` or deleted it (nil): the quote follows the new words, or the
    /// opening sentence goes. Nil when `promptText` does not quote `intention`.
    ///
    /// The exact quote is looked for first. A prompt that opens with the quoting sentence but
    /// quotes other words (an intention edited before edits rewrote reflections) loses its
    /// opening up to the last closing quote: the person's words matter more than the prompt's.
    /// Whether `promptText` opens by quoting `intention`.
    public static func quotes(_ promptText: String, intention: String) -> Bool {
        quotation(of: intention).map { promptText.hasPrefix(quotingOpener($0)) } ?? false
    }

    public static func requoting(_ promptText: String, intention: String, replacement: String?) -> String? {
        let newOpener = replacement.flatMap(quotation(of:)).map(quotingOpener) ?? ""
        if let quote = quotation(of: intention), promptText.hasPrefix(quotingOpener(quote)) {
            return newOpener + promptText.dropFirst(quotingOpener(quote).count)
        }
        let start = quotingOpener("")
        let head = String(start.prefix(while: { $0 != "”" }))
        guard promptText.hasPrefix(head), let close = promptText.range(of: "”. ", options: .backwards) else {
            return nil
        }
        return newOpener + promptText[close.upperBound...]
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
