import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling prompt list | hide KEY | show KEY`: see every prompt, and turn one built-in
/// prompt off (or on again) without turning off its slot.
struct PromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "List the prompts, or hide or show one built-in prompt by its key.",
        discussion: """
            A hidden prompt is left out of its slot's rotation; the slot's other prompts go on. \
            No reason is asked. Your own [[prompt]]s are changed in the config file.
            """,
        subcommands: [List.self, Hide.self, Show.self]
    )

    struct List: VerbCommand {
        typealias Verb = Request.PromptList

        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every prompt with its key and slot, and whether it is hidden.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: ArgumentHelp("Only the prompts of this slot.", valueName: "SLOT"))
        var slot: String?

        func run() throws {
            var result = try global.call(Verb())
            if let slot { result.prompts.removeAll { $0.slot != slot } }
            if global.json { return try global.printJSON(result) }
            print(PromptListText.render(result), terminator: "")
        }
    }

    struct Hide: VerbCommand {
        typealias Verb = Request.PromptHide

        static let configuration = CommandConfiguration(
            commandName: "hide", abstract: "Leave one built-in prompt out of the rotation, by its key.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The prompt's key, as `kindling prompt list` shows it.", valueName: "KEY"))
        var key: String

        func run() throws {
            let result = try global.call(Verb(key: key))
            if global.json { return try global.printJSON(result) }
            print(result.changed ? "Hidden: \(key). It will not come up again." : "\(key) was already hidden.")
        }
    }

    struct Show: VerbCommand {
        typealias Verb = Request.PromptShow

        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Bring a hidden built-in prompt back into the rotation.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The prompt's key, as `kindling prompt list` shows it.", valueName: "KEY"))
        var key: String

        func run() throws {
            let result = try global.call(Verb(key: key))
            if global.json { return try global.printJSON(result) }
            print(result.changed ? "\(key) is back in the rotation." : "\(key) was not hidden.")
        }
    }
}

/// `kindling prompt list` as text: by slot, each key with its words.
enum PromptListText {
    static func render(_ list: PromptListResult) -> String {
        var slots: [String] = []
        for item in list.prompts where !slots.contains(item.slot) { slots.append(item.slot) }
        var out = ""
        for slot in slots {
            out += (out.isEmpty ? "" : "\n") + "[\(Terminal.safe(slot))]\n"
            for item in list.prompts where item.slot == slot { out += line(item) }
        }
        return out.isEmpty ? "No prompts.\n" : out
    }

    private static func line(_ item: PromptListResult.Item) -> String {
        var flags: [String] = []
        if item.source == "program" { flags.append("program") }
        if item.source == "own" { flags.append("your own") }
        if item.hidden { flags.append("hidden") }
        return "  \(Terminal.safe(item.key))" + (flags.isEmpty ? "" : "  (\(flags.joined(separator: ", ")))") + "\n"
            + "      \(Terminal.safe(item.text))\n"
    }
}
