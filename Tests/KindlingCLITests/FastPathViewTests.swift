import Testing

@testable import KindlingCLI

/// `journal` and `stats` skip the argument parser in their plain forms: each form taken must mean
/// exactly what the parser makes of it, and every other form must be left to the parser.
@Suite struct FastPathViewTests {
    static let taken: [[String]] = [
        ["journal"], ["journal", "--json"], ["journal", "--since", "2026-10-23", "--json"],
        ["journal", "--since", "today", "--until", "Yesterday"], ["journal", "--until", "2026-02-28", "--limit", "10000"],
        ["journal", "--slot", "water", "--search", "kind words", "--limit", "7", "--socket", "/s"],
        ["journal", "--socket", "/s", "--json", "--search", "\"quoted\""],
        ["stats"], ["stats", "--json"], ["stats", "--weeks", "52", "--socket", "/s", "--json"], ["stats", "--weeks", "1"],
    ]

    static let left: [[String]] = [
        ["journal", "--help"], ["journal", "-h"], ["journal", "--since=2026-10-23"], ["journal", "--since", "2026-02-30"],
        ["journal", "--since"], ["journal", "--limit", "0"], ["journal", "--limit", "10001"], ["journal", "--limit", "x"],
        ["journal", "--search", "-x"], ["journal", "--slot", ""], ["journal", "--json", "--json"],
        ["journal", "--since", "2026-01-01", "--since", "2026-01-02"], ["journal", "extra"], ["journal", "--weeks", "2"],
        ["journal", "--socket", "/a", "--socket", "/b"], ["stats", "--weeks", "0"], ["stats", "--weeks", "53"],
        ["stats", "--since", "today"], ["stats", "--socket"], ["--json", "journal"], ["help", "journal"], ["journals"],
    ]

    @Test func theFastFormsMeanWhatTheParserMakesOfThem() throws {
        for arguments in Self.taken {
            let fast = try #require(FastPath.match(arguments), "\(arguments)")
            let parsed = try Kindling.parseAsRoot(arguments)
            switch fast {
            case .journal(let socket, let json, let filter):
                let journal = try #require(parsed as? Journal, "\(arguments)")
                #expect(journal.global.socket == socket && journal.global.json == json, "\(arguments)")
                let options = Journal.Filter(
                    since: journal.since, until: journal.until, slot: journal.slot, search: journal.search, limit: journal.limit)
                #expect(options == filter, "\(arguments)")
            case .stats(let socket, let json, let weeks):
                let stats = try #require(parsed as? Stats, "\(arguments)")
                #expect(stats.global.socket == socket && stats.global.json == json && stats.weeks == weeks, "\(arguments)")
            default:
                Issue.record("\(arguments) took another fast path: \(fast)")
            }
        }
    }

    @Test func everyOtherFormIsLeftToTheParser() {
        for arguments in Self.left {
            #expect(FastPath.match(arguments) == nil, "\(arguments)")
        }
    }
}
