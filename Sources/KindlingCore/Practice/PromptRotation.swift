// Which prompt a slot shows next: every candidate once per cycle, in an order drawn
// from a seed, never the same prompt twice in a row. Pure: the daemon supplies the
// slot's recent keys (from the journal) and a seed (from the day and the slot).

/// Picks a slot's next prompt from its candidates.
public enum PromptRotation {
    /// The prompts a slot rotates through, in a fixed order, without repeated keys:
    ///
    /// - a built-in slot: its ``PromptCatalog`` prompts (unless `builtin_prompts = false`),
    ///   then the person's `[[prompt]]`s for it;
    /// - a custom slot: its `text` (key `"custom.<name>"`, unless `builtin_prompts = false`),
    ///   then the person's `[[prompt]]`s for it.
    ///
    /// A `[[prompt]]` is keyed by ``userKey(slot:text:)``, so it keeps its place in the
    /// rotation when prompts around it are added or removed. Empty only for a slot with
    /// nothing to say (an unknown name, or a slot whose own prompts are all switched off).
    public static func candidates(for slot: String, in configuration: Configuration) -> [Prompt] {
        var result: [Prompt] = []
        let ownPromptsOn = configuration.slot(named: slot)?.builtinPrompts ?? true
        if Configuration.builtinSlotNames.contains(slot) {
            if ownPromptsOn { result += PromptCatalog.builtin(for: slot) }
        } else if let custom = configuration.customs.first(where: { $0.name == slot }),
            custom.builtinPrompts, let text = custom.text, !text.isEmpty
        {
            result.append(Prompt(key: "custom.\(slot)", text: text))
        }
        for text in configuration.userPrompts(forSlot: slot) {
            result.append(Prompt(key: userKey(slot: slot, text: text), text: text))
        }
        return uniqued(result)
    }

    /// The key of a `[[prompt]]`: `"user.<slot>.<FNV-1a 64 of the UTF-8 text, 16 hex digits>"`.
    /// Stable across runs and machines; changing the text makes it a new prompt.
    public static func userKey(slot: String, text: String) -> String {
        "user.\(slot).\(StableHash.hex(StableHash.fnv1a64(text)))"
    }

    /// A seed for `slot` on `day`: the same day and slot always give the same seed, so a
    /// restarted daemon picks the same prompt. (FNV-1a 64 of `"YYYY-MM-DD/slot"`.)
    public static func seed(for day: LocalDate, slot: String) -> UInt64 {
        StableHash.fnv1a64("\(day)/\(slot)")
    }

    /// The prompt to show next.
    ///
    /// - Parameters:
    ///   - candidates: from ``candidates(for:in:)``.
    ///   - recentKeys: the keys this slot showed, most recent first. Keys that are no
    ///     longer candidates are ignored. Pass enough history to see the cycles: at least
    ///     three times the number of candidates (say the slot's last 200 keys).
    ///   - seed: picks among the prompts still unused in the current cycle.
    /// - Returns: a candidate; the only one when there is one. With no candidates at all,
    ///   a neutral ``fallback`` prompt.
    ///
    /// Rule: the history is read as a run of cycles, each showing every candidate once;
    /// a prompt comes back only once every other one has had its turn in the current
    /// cycle, and a new cycle never opens with the prompt that closed the last one.
    ///
    /// Finding the current cycle: simply walking back from the most recent key until a key
    /// repeats cannot tell where the cycle began once the history spans more than one
    /// cycle (the walk straddles the boundary). So every possible length of the current
    /// cycle (0 to count - 1) is tried, the older history is cut into whole cycles behind
    /// it, and the length whose cut explains the longest stretch of history without a
    /// repeat inside any cycle wins; on a tie the longer current cycle wins, which can
    /// at worst leave a prompt out of one cycle but never shows one twice.
    public static func choose(from candidates: [Prompt], recentKeys: [String], seed: UInt64) -> Prompt {
        let prompts = uniqued(candidates)
        guard let first = prompts.first else { return fallback }
        guard prompts.count > 1 else { return first }

        let keys = Set(prompts.map(\.key))
        let history = Array(recentKeys.lazy.filter { keys.contains($0) }.prefix(8 * prompts.count))
        let length = currentCycleLength(history: history, cycle: prompts.count)

        let excluded: Set<String>
        if length == 0 {
            // A new cycle: anything but the prompt shown last.
            excluded = history.first.map { [$0] } ?? []
        } else {
            excluded = Set(history[..<length])
        }
        let unused = prompts.filter { !excluded.contains($0.key) }
        return unused[Int(StableHash.mix(seed) % UInt64(unused.count))]
    }

    /// What ``choose(from:recentKeys:seed:)`` returns when there is nothing to choose from.
    public static let fallback = Prompt(key: "fallback", text: "A quiet moment, just for you.")

    /// How many of the most recent `history` keys belong to the cycle in progress
    /// (0 = the last cycle is complete), for cycles of `cycle` prompts.
    static func currentCycleLength(history: [String], cycle: Int) -> Int {
        var best = 0
        var bestCovered = -1
        for length in 0...min(cycle - 1, history.count) {
            guard isDistinct(history[0..<length]) else { break }  // longer ones repeat too
            var covered = length
            var start = length
            while start < history.count {
                let end = min(start + cycle, history.count)
                guard isDistinct(history[start..<end]) else { break }
                covered = end
                start = end
            }
            if covered >= bestCovered {
                best = length
                bestCovered = covered
            }
        }
        return best
    }

    private static func isDistinct(_ keys: ArraySlice<String>) -> Bool {
        Set(keys).count == keys.count
    }

    private static func uniqued(_ prompts: [Prompt]) -> [Prompt] {
        var seen = Set<String>()
        return prompts.filter { seen.insert($0.key).inserted }
    }
}
