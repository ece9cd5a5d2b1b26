import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `prompt list | hide KEY | show KEY`: every prompt the rotation can draw from, and one
/// built-in prompt turned off (or on again) by its key, without turning off its whole slot.
///
/// Hidden keys live in the journal (`hidden_prompts`), not in the config: hiding is a quick
/// answer to a prompt that hurt, it takes effect at once, and the daemon never rewrites the
/// person's own config file. Only built-in prompts are hidden this way; the person's own
/// `[[prompt]]`s are theirs to change in the config.
enum PromptHandler {
    /// Every built-in prompt (the catalog, then the built-in programs' steps), then the person's own.
    static func list(_ daemon: Daemon) -> Result<PromptListResult, ControlError> {
        let hidden: Set<String>
        if daemon.journalProblem != nil {
            hidden = []
        } else {
            do throws(StoreError) {
                hidden = try daemon.journal.hiddenPromptKeys()
            } catch {
                return .failure(ControlError(.storage, "the journal could not be read: \(error.description)"))
            }
        }
        var items = builtinPrompts().map {
            PromptListResult.Item(
                key: $0.prompt.key, slot: $0.slot, source: $0.source, hidden: hidden.contains($0.prompt.key), text: $0.prompt.text
            )
        }
        for slot in daemon.config.slotNames {
            for prompt in PromptRotation.candidates(for: slot, in: daemon.config) where isOwn(prompt.key) {
                items.append(PromptListResult.Item(key: prompt.key, slot: slot, source: "own", hidden: false, text: prompt.text))
            }
        }
        return .success(PromptListResult(prompts: items))
    }

    /// Hides (or shows again) the built-in prompt `key`.
    static func setHidden(_ daemon: Daemon, key: String, hidden: Bool) -> Result<PromptVisibilityResult, ControlError> {
        let shown = String(key.prefix(80))
        guard builtinPrompts().contains(where: { $0.prompt.key == key }) else {
            if isOwn(key) {
                return .failure(
                    ControlError(
                        .badRequest,
                        "\"\(shown)\" is one of your own prompts: change or remove it in \(daemon.paths.configFile)"))
            }
            return .failure(
                ControlError(.notFound, "no built-in prompt has the key \"\(shown)\"; `kindling prompt list` shows the keys"))
        }
        do throws(StoreError) {
            let changed = try daemon.journal.setPromptHidden(key, hidden: hidden, at: daemon.clock.now)
            return .success(PromptVisibilityResult(key: key, hidden: hidden, changed: changed))
        } catch {
            return .failure(ControlError(.storage, "the journal could not be written: \(error.description); nothing was changed"))
        }
    }

    /// The built-in prompts with their slot and where they come from.
    static func builtinPrompts() -> [(prompt: Prompt, slot: String, source: String)] {
        var result: [(prompt: Prompt, slot: String, source: String)] = []
        for slot in Configuration.builtinSlotNames {
            result += PromptCatalog.builtin(for: slot).map { ($0, slot, "builtin") }
        }
        // The practice's own questions and the gentle sets of a low-energy day can be hidden too.
        result += PromptCatalog.seedIntentions.map { ($0, "intention", "builtin") }
        result += PromptCatalog.seedReflections.map { ($0, "reflection", "builtin") }
        result += PromptCatalog.gentleNudges.map { ($0, "nudge", "builtin") }
        result += PromptCatalog.gentleReflections.map { ($0, "reflection", "builtin") }
        for program in ProgramChoice.allCases where program != .none {
            var part = 1
            while true {
                var found = false
                for slot in ["intention", "nudge"] {
                    guard let prompts = ProgramEngine.stepPrompts(program: program, part: part, slot: slot) else { continue }
                    found = true
                    result += prompts.map { ($0, slot, "program") }
                }
                guard found else { break }
                part += 1
            }
        }
        return result
    }

    /// A `[[prompt]]` or a custom slot's own text.
    static func isOwn(_ key: String) -> Bool {
        key.hasPrefix("user.") || key.hasPrefix("custom.")
    }
}
