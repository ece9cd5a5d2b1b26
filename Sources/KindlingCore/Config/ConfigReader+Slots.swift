// The slots of config.toml: the settings every slot shares, [[custom]] slots and [[prompt]]s.
import Foundation

extension ConfigReader {
    func readCommon<Slot: MutableSlotSettings>(_ t: TableReader, into slot: inout Slot) {
        if let enabled = t.bool("enabled") { slot.enabled = enabled }
        if let builtin = t.bool("builtin_prompts") { slot.builtinPrompts = builtin }
        if let validity = t.validity() { slot.validity = validity }
    }

    struct Customs {
        var slots: [CustomSlot] = []
        /// Every name written, valid or not, so that prompts naming them do not pile up errors.
        var rawNames: [String] = []
    }

    func readCustoms(_ document: TOMLMap) -> Customs {
        var result = Customs()
        var seen: [String: Int] = [:]  // name → 1-based index of the first block using it
        let tables = arrayOfTables(document, "custom", limit: ConfigReader.maximumCustoms)
        for (offset, table) in tables.enumerated() {
            let index = offset + 1
            let path = ConfigKeyPath.root.appending("custom").appending(index: index)
            let t = TableReader(table, at: path, knownKeys: ConfigReader.customKeys, diagnostics: diagnostics)
            var ok = true

            var name = ""
            if let written = t.string("name", expected: "a name in quotes, like \"water\"") {
                result.rawNames.append(written)
                if let problem = ConfigReader.customNameProblem(written) {
                    diagnostics.report(path.appending("name"), problem)
                    ok = false
                } else if let first = seen[written] {
                    let firstLine = diagnostics.line(of: ConfigKeyPath.root.appending("custom").appending(index: first))
                    let where_ = firstLine.map { " (line \($0))" } ?? ""
                    diagnostics.report(
                        path.appending("name"),
                        "\(quoted(written)) is already the name of custom[\(first)]\(where_); give each custom slot its own name"
                    )
                    ok = false
                } else {
                    seen[written] = index
                    name = written
                }
            } else {
                if t.value("name") == nil {
                    diagnostics.report(path.appending("name"), "is missing; give the slot a short name, e.g. name = \"water\"")
                }
                ok = false
            }

            var at: [TimeOfDay] = []
            if let times = t.times("at") {
                at = times
            } else {
                if t.value("at") == nil {
                    diagnostics.report(
                        path.appending("at"), "is missing; say when it comes, e.g. at = \"10:30\" or at = [\"10:30\", \"15:30\"]")
                }
                ok = false
            }

            var slot = CustomSlot(name: name, at: at, text: nil)
            readCommon(t, into: &slot)
            if let ask = t.bool("ask_mood") { slot.askMood = ask }
            if let days = t.days("days") { slot.days = days }

            if let text = t.string("text", expected: "text in quotes", allowNewlines: true) {
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    diagnostics.report(path.appending("text"), "is empty; write the reminder you would like to see")
                    ok = false
                } else if !slot.builtinPrompts {
                    diagnostics.report(
                        path.appending("text"),
                        "is not used because builtin_prompts = false; remove text, or remove builtin_prompts = false"
                    )
                    ok = false
                } else {
                    slot.text = text
                }
            } else if t.value("text") == nil, slot.builtinPrompts {
                diagnostics.report(
                    path.appending("text"),
                    "is missing; write the reminder you would like to see, e.g. text = \"A glass of water is a small kindness.\""
                )
                ok = false
            } else if t.value("text") != nil {
                ok = false
            }
            if ok { result.slots.append(slot) }
        }
        return result
    }

    /// Why a custom slot name cannot be used, or nil when it is fine.
    static func customNameProblem(_ name: String) -> String? {
        if name.isEmpty {
            return "is empty; give the slot a short name, e.g. \"water\""
        }
        if Configuration.builtinSlotNames.contains(name) {
            return "\(quoted(name)) is a built-in slot; pick another name, or change [\(name)] itself"
        }
        if name.unicodeScalars.count > 32 {
            return "\(quoted(name)) is longer than 32 characters; pick a short name, e.g. \"water\""
        }
        let allowed = name.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
        }
        if !allowed {
            let lower = name.lowercased()
            if lower != name, customNameProblem(lower) == nil {
                return "\(quoted(name)) must be lowercase; write \"\(lower)\""
            }
            return
                "\(quoted(name)) may use only lowercase letters a-z, digits, \"-\" and \"_\", e.g. \"water\" or \"stretch-break\""
        }
        return nil
    }

    func readPrompts(_ document: TOMLMap, slotNames: [String]) -> [UserPrompt] {
        var prompts: [UserPrompt] = []
        for (offset, table) in arrayOfTables(document, "prompt", limit: ConfigReader.maximumPrompts).enumerated() {
            let path = ConfigKeyPath.root.appending("prompt").appending(index: offset + 1)
            let t = TableReader(table, at: path, knownKeys: ConfigReader.promptKeys, diagnostics: diagnostics)
            let slot = t.string("slot", expected: "a slot name in quotes, like \"intention\"")
            if let slot, !slotNames.contains(slot) {
                var message = "\(quoted(slot)) is not a slot"
                if let near = closestMatch(to: slot, among: slotNames) {
                    message += "; did you mean \"\(near)\"?"
                } else {
                    message += "; the slots are " + listed(slotNames.map { "\"\($0)\"" })
                }
                diagnostics.report(path.appending("slot"), message)
            } else if slot == nil, t.value("slot") == nil {
                diagnostics.report(
                    path.appending("slot"), "is missing; say which slot the prompt belongs to, e.g. slot = \"intention\""
                )
            }
            let text = t.string("text", expected: "text in quotes", allowNewlines: true)
            if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diagnostics.report(path.appending("text"), "is empty; write the question or reminder you would like to see")
            } else if text == nil, t.value("text") == nil {
                diagnostics.report(path.appending("text"), "is missing; write the question or reminder you would like to see")
            } else if let slot, let text, slotNames.contains(slot) {
                prompts.append(UserPrompt(slot: slot, text: text))
            }
        }
        return prompts
    }

    /// An enabled slot with `builtin_prompts = false` needs at least one `[[prompt]]`.
    func checkPromptSources(_ config: Configuration) {
        let builtins: [any SlotSettings] = [
            config.intention, config.nudge, config.reflection, config.review, config.breaks,
        ]
        for slot in builtins {
            guard slot.enabled, !slot.builtinPrompts, config.userPrompts(forSlot: slot.name).isEmpty else { continue }
            diagnostics.report(
                ConfigKeyPath.root.appending(slot.name).appending("builtin_prompts"),
                "is false, but no [[prompt]] has slot = \"\(slot.name)\", so there would be nothing to ask; add one, or remove this line"
            )
        }
        for (offset, slot) in config.customs.enumerated() {
            guard slot.enabled, !slot.builtinPrompts, config.userPrompts(forSlot: slot.name).isEmpty else { continue }
            diagnostics.report(
                ConfigKeyPath.root.appending("custom").appending(index: offset + 1).appending("builtin_prompts"),
                "is false, but no [[prompt]] has slot = \"\(slot.name)\", so there would be nothing to show; add one, or remove this line"
            )
        }
    }
}

/// The common slot keys, settable (the built-in and custom slot types all conform).
protocol MutableSlotSettings: SlotSettings {
    var enabled: Bool { get set }
    var builtinPrompts: Bool { get set }
    var validity: SlotValidity { get set }
}

extension IntentionSlot: MutableSlotSettings {}
extension NudgeSlot: MutableSlotSettings {}
extension ReflectionSlot: MutableSlotSettings {}
extension ReviewSlot: MutableSlotSettings {}
extension BreakSlot: MutableSlotSettings {}
extension CustomSlot: MutableSlotSettings {}
