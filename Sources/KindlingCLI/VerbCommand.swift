import ArgumentParser
import KindlingControl

/// A command that is the person's way to one verb of the protocol: it sends `Verb` (maybe
/// after asking others, as `edit` reads the entry first). Each verb has at most one such
/// command (CommandVerbTests), so the commands and ``Request/verbs`` cannot drift apart.
protocol VerbCommand: ParsableCommand {
    associatedtype Verb: ControlVerb
}
