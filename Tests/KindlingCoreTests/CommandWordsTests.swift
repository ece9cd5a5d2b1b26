import Testing

@testable import KindlingCore

/// `[delivery] command` and `respond_command` become argument vectors without a shell.
@Suite struct CommandWordsTests {
    @Test(arguments: [
        ("notify-send Kindling", ["notify-send", "Kindling"]),
        ("  spaced   out\twords ", ["spaced", "out", "words"]),
        ("say 'hello there' \"and you\"", ["say", "hello there", "and you"]),
        ("echo \"a \\\"quoted\\\" word\"", ["echo", "a \"quoted\" word"]),
        ("echo \"back\\\\slash\" \"keep\\n\"", ["echo", "back\\slash", "keep\\n"]),
        ("one\\ word", ["one word"]),
        ("empty '' \"\"", ["empty", "", ""]),
        ("no $HOME ~ * $(expansion) `here`", ["no", "$HOME", "~", "*", "$(expansion)", "`here`"]),
        ("joined'single'\"double\"", ["joinedsingledouble"]),
    ])
    func splitsLikeAShellWithoutExpanding(text: String, words: [String]) throws {
        #expect(try CommandWords.split(text) == words)
    }

    @Test(arguments: ["say 'unclosed", "say \"unclosed", "   "])
    func refusesWhatCannotBeSplit(text: String) {
        #expect(throws: ConfigValueError.self) { try CommandWords.split(text) }
    }

    @Test func anUnclosedQuoteInTheConfigIsOneClearLine() throws {
        let error = #expect(throws: ConfigError.self) {
            try Configuration.parse("[delivery]\ncommand = \"say 'hi\"\n", file: "config.toml")
        }
        #expect(error?.description.contains("config.toml:2: delivery.command:") == true)
        #expect(error?.description.contains("never closed") == true)
    }
}
