import ArgumentParser
import KindlingControl
import Testing

@testable import KindlingCLI

/// The CLI's commands and the protocol's verbs stay in step: each verb has one command that
/// is the person's way to it, and a command that talks to no verb of its own says so here.
@Suite struct CommandVerbTests {
    /// Commands that front no verb: they work locally, or show what other verbs return.
    static let localCommands: Set<String> = [
        "kindling today", "kindling doctor", "kindling config check", "kindling config show", "kindling config path",
        "kindling install", "kindling uninstall", "kindling completions", "kindling program check",
    ]

    /// Verbs with no command of their own: `entry` is read by `edit` and `delete` before they act.
    static let verbsWithoutCommand: Set<String> = ["entry"]

    /// Every leaf command under `command`, by its full name.
    private static func leaves(_ command: any ParsableCommand.Type, path: String) -> [(String, any ParsableCommand.Type)] {
        let name = path.isEmpty ? command._commandName : path + " " + command._commandName
        let children = command.configuration.subcommands
        if children.isEmpty { return [(name, command)] }
        return children.flatMap { leaves($0, path: name) }
    }

    @Test func everyCommandMapsToOneVerbOrNone() {
        var verbs: [String: String] = [:]
        var local: Set<String> = []
        for (name, command) in Self.leaves(Kindling.self, path: "") {
            if let verbCommand = command as? any VerbCommand.Type {
                let wireName = Self.wireName(of: verbCommand)
                #expect(verbs[wireName] == nil, "\(name) and \(verbs[wireName] ?? "") both send \(wireName)")
                verbs[wireName] = name
            } else {
                local.insert(name)
            }
        }
        #expect(local == Self.localCommands)
        let fronted = Set(verbs.keys)
        let registry = Set(Request.verbs.map { $0.wireName })
        #expect(fronted.isSubset(of: registry), "commands send verbs the daemon does not know: \(fronted.subtracting(registry))")
        #expect(registry.subtracting(fronted) == Self.verbsWithoutCommand)
    }

    private static func wireName<C: VerbCommand>(of command: C.Type) -> String {
        C.Verb.wireName
    }
}
