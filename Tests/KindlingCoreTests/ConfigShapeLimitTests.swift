import Foundation
import Testing

@testable import KindlingCore

/// Issue 18, case 11: text shaped so that the parsers cost far more than its size (an 80 KB
/// line `a.a.a…` took 45 s and 1.7 GB in a release build, and overflowed the stack of a debug
/// one) is refused by ``ConfigShapeGuard`` before any parser sees it, with a one-line message.
@Suite struct ConfigShapeLimitTests {
    /// A test case's text, shown in the test log by its name only. Printed whole, one case of
    /// 90,000 lines held every other test's output (and so its finish) back for over a minute.
    struct LargeText: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        init(_ name: String, _ text: String) {
            self.name = name
            self.text = text
        }
        var testDescription: String { "\(name) (\(text.utf8.count) bytes)" }
    }

    /// Diagnoses `text`, and how long that took.
    static func timedDiagnosis(_ text: String) -> ([ConfigError], Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let problems = Configuration.diagnose(text, file: "config.toml")
        return (problems, clock.now - start)
    }

    /// A refusal is one short line that names the file and line. The time bound is generous: a
    /// regression guard (the same text took from 16 s to minutes before), not a benchmark.
    static func expectRefusedQuickly(_ text: String, line: Int, saying: String) {
        let (problems, elapsed) = timedDiagnosis(text)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(problems.count == 1, "\(problems.count) problems")
        guard let problem = problems.first else { return }
        #expect(problem.line == line, "\(problem)")
        #expect(problem.message.contains(saying), "\(problem)")
        let description = problem.description
        #expect(description.hasPrefix("config.toml:\(line)"), "\(description.prefix(200))")
        #expect(!description.contains("\n") && description.count < 400, "\(description.prefix(400))")
    }

    static func dotted(_ parts: Int) -> String {
        Array(repeating: "a", count: parts).joined(separator: ".")
    }

    @Test(arguments: [
        LargeText("an 80 KB dotted key", dotted(40_000) + " = 1\n"),
        LargeText("a 20 KB dotted key", dotted(10_000) + " = 1\n"),
        LargeText("an 80 KB table header", "[" + dotted(40_000) + "]\n"),
        LargeText("an 80 KB array-of-tables header", "[[" + dotted(40_000) + "]]\n"),
        LargeText("an 80 KB key in an inline table", "x = { " + dotted(40_000) + " = 1 }\n"),
        LargeText("a deep key under a table", "[intention]\n" + dotted(40_000) + " = 1\n"),
    ])
    func deepKeysAreRefusedBeforeParsing(_ sample: LargeText) {
        let line = sample.text.hasPrefix("[intention]") ? 2 : 1
        Self.expectRefusedQuickly(sample.text, line: line, saying: "levels deep; no Kindling setting is deeper than 4")
    }

    @Test func theDeepKeyMessageShowsWhereAndHowToFix() throws {
        let error = try #require(Configuration.diagnose("[break]\nevery = \"50m\"\n a.b.c.d = 1\n", file: "c.toml").first)
        #expect(
            error.description
                == "c.toml:3:2: a.b.c.d is nested 5 levels deep; no Kindling setting is deeper than 4 (like custom[1].at[1]), so check the dots and brackets"
        )
    }

    @Test(arguments: [
        (
            LargeText(
                "40,000 nested lists",
                "x = " + String(repeating: "[", count: 40_000) + String(repeating: "]", count: 40_000) + "\n"), 1,
            "lists or tables are nested more than 4 levels deep"
        ),
        (
            LargeText(
                "lists nested across lines",
                "x = " + String(repeating: "[\n", count: 20_000) + String(repeating: "]\n", count: 20_000)), 4,
            "lists or tables are nested more than 4 levels deep"
        ),
        (
            LargeText(
                "20,000 nested inline tables",
                "x = " + String(repeating: "{a=", count: 20_000) + "1" + String(repeating: "}", count: 20_000) + "\n"), 1,
            "a is nested 5 levels deep"
        ),
    ])
    func deepValuesAreRefusedBeforeParsing(_ sample: LargeText, line: Int, saying: String) {
        Self.expectRefusedQuickly(sample.text, line: line, saying: saying)
    }

    @Test func overLongKeysAreRefused() {
        Self.expectRefusedQuickly(
            "[delivery]\n" + String(repeating: "k", count: 900_000) + " = 1\n", line: 2,
            saying: "a key longer than 64 characters")
        Self.expectRefusedQuickly(
            "\"" + String(repeating: "k", count: 100) + "\" = 1\n", line: 1, saying: "a key longer than 64 characters")
    }

    /// Long lines cost the parsers no more than their size, and the reader says best what is
    /// wrong with a long value (the end-to-end hostile-value tests rely on these messages).
    @Test(arguments: [
        (
            LargeText(
                "5,000 times in one list",
                "[intention]\nat = ["
                    + (0..<5000).map { "\"\(String(format: "%02d:%02d", $0 / 60 % 24, $0 % 60))\"" }.joined(separator: ",")
                    + "]\n"),
            "intention.at"
        ),
        (
            LargeText(
                "100,000 numbers in one list",
                "[program]\nskip = [" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]\n"),
            "program.skip"
        ),
        (
            LargeText(
                "a prompt of 5,000 emoji",
                "[[prompt]]\nslot = \"nudge\"\ntext = \"" + String(repeating: "🌱", count: 5000) + "\"\n"),
            "prompt[1].text"
        ),
    ])
    func longLinesGetTheReadersOwnMessage(_ sample: LargeText, key: String) {
        let (problems, elapsed) = Self.timedDiagnosis(sample.text)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(problems.first?.key == key, "\(problems.first.map { "\($0)".prefix(300) } ?? "accepted")")
    }

    @Test(arguments: [
        LargeText("100,000 keys", (0..<100_000).map { "k\($0)=1\n" }.joined()),
        LargeText("110,000 tables", (0..<110_000).map { "[t\($0)]\n" }.joined()),
        LargeText("90,000 [[prompt]] blocks", String(repeating: "[[prompt]]\n", count: 90_000)),
    ])
    func hugeNumbersOfKeysAreRefused(_ sample: LargeText) {
        Self.expectRefusedQuickly(sample.text, line: 5_001, saying: "more than 5000 keys and tables")
    }

    @Test func textLargerThanTheFileLimitIsRefused() {
        let text = "# " + String(repeating: "x", count: Configuration.maximumFileSize) + "\n"
        let (problems, elapsed) = Self.timedDiagnosis(text)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(problems.count == 1 && problems.first?.message.contains("larger than 1 MiB") == true, "\(problems)")
    }

    /// The limits leave room for the largest config the reader accepts: every table and key,
    /// 96 custom slots and 1,000 prompts of long text, lists as deep as the schema goes.
    @Test func theLargestConfigStillFits() throws {
        var text = Configuration.defaultTOML
        let long = String(repeating: "\u{1F331}", count: 50) + String(repeating: "a", count: 700)
        for index in 0..<96 {
            text += """

                [[custom]]
                name = "c\(index)"
                at = ["10:30", "15:30"]
                days = ["mon", "thu"]
                text = "\\U0001F331 \(index)"
                enabled = true
                builtin_prompts = true
                valid_for = "2h"

                """
        }
        for index in 0..<(ConfigReader.maximumPrompts - 1) {
            text += "[[prompt]]\nslot = \"c\(index % 96)\"\ntext = \"\(long)\"\n"
        }
        text += "[[prompt]]\nslot = \"intention\"\ntext = \"" + String(repeating: "\\U0001F331", count: 1000) + "\"\n"
        #expect(text.utf8.count <= Configuration.maximumFileSize, "\(text.utf8.count) bytes")
        #expect(ConfigShapeGuard.firstProblem(in: text) == nil)
        let config = try Configuration.parse(text, file: "big.toml")
        #expect(config.customs.count == 96 && config.prompts.count == ConfigReader.maximumPrompts)

        let inline = "custom = [{ name = \"w\", at = [\"10:30\"], text = \"x\" }]\n"
        #expect(ConfigShapeGuard.firstProblem(in: inline) == nil)
        #expect(try Configuration.parse(inline, file: "inline.toml").customs.count == 1)
    }
}

/// The TOML project's conformance cases (toml-lang/toml-test, the 1.0.0 set kept in
/// Tests/KindlingCoreTests/Fixtures/toml-test, as ``TOMLConformanceTests`` reads them): the
/// shape limits must never refuse a valid document that is no deeper than a Kindling setting,
/// and each one they refuse must say why in their own words. (These looked for a copy beside
/// the checkout, and a fresh clone on CI skipped both.)
@Suite struct ConfigShapeConformanceTests {
    static let directory = TOMLConformanceTests.directory

    /// The valid TOML 1.0.0 documents, by path relative to ``directory``.
    static func validCases() -> [String] {
        let list = directory.appendingPathComponent("files-toml-1.0.0")
        guard let text = try? String(contentsOf: list, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("valid/") && $0.hasSuffix(".toml") }
    }

    @Test
    func validDocumentsAreRefusedOnlyForTheirShape() throws {
        let cases = Self.validCases()
        #expect(cases.count > 100, "files-toml-1.0.0 lists \(cases.count) valid cases")
        var refused: [String] = []
        var calledInvalid: [String] = []
        for name in cases {
            let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
            let text = try #require(String(validating: bytes, as: UTF8.self), "\(name) is not UTF-8")
            if let problem = ConfigShapeGuard.firstProblem(in: text) {
                refused.append(name)
                let reason = problem.message.contains("nested") || problem.message.contains("a key longer than")
                #expect(reason, "\(name):\(problem.line): \(problem.message)")
            }
            if let error = Configuration.diagnose(text, file: name).first, error.message.hasPrefix("this is not valid TOML") {
                calledInvalid.append("\(error)")
            }
        }
        // Each of these nests deeper than 4 levels, or has a key part over 64 bytes as written.
        #expect(refused.sorted() == Self.deeperThanAnySetting, "\(refused.sorted())")
        #expect(calledInvalid == [], "\(calledInvalid.joined(separator: "\n"))")
    }

    /// The limits only ever add refusals: every invalid document is still refused.
    @Test
    func invalidDocumentsAreStillRefused() throws {
        let list = try String(contentsOf: Self.directory.appendingPathComponent("files-toml-1.0.0"), encoding: .utf8)
        let cases = list.split(separator: "\n").map(String.init).filter { $0.hasPrefix("invalid/") && $0.hasSuffix(".toml") }
        #expect(cases.count > 100, "files-toml-1.0.0 lists \(cases.count) invalid cases")
        var accepted: [String] = []
        for name in cases {
            let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }  // refused by readFile
            if Configuration.diagnose(text, file: name).isEmpty { accepted.append(name) }
        }
        #expect(accepted == [], "\(accepted)")
    }

    static let deeperThanAnySetting = [
        "valid/array/empty.toml", "valid/array/nested-double.toml", "valid/comment/tricky.toml",
        "valid/inline-table/key-dotted-02.toml", "valid/inline-table/key-dotted-03.toml",
        "valid/inline-table/key-dotted-04.toml", "valid/inline-table/key-dotted-06.toml",
        "valid/inline-table/key-dotted-07.toml", "valid/key/dotted-01.toml", "valid/key/dotted-03.toml",
        "valid/key/dotted-04.toml", "valid/key/quoted-unicode.toml", "valid/multibyte.toml",
        "valid/table/array-within-dotted.toml", "valid/table/without-super-with-values.toml",
    ]
}

/// The shape scan runs on every config before anything else: whatever the text, it must end,
/// without a trap, and point at a line that exists.
@Suite struct ConfigShapeGuardRobustnessTests {
    /// Pieces that matter to the scan, put together at random (a fixed seed: the same texts
    /// every run).
    static let pieces = [
        "[", "]", "[[", "]]", "{", "}", "\"", "'", "\"\"\"", "'''", ".", "=", ",", "#", "\n", " ", "\t", "\r\n", "a",
        "b.c", "1", "\\", "\\\n", "é", "🌱", "x = ", "[t]\n", "\u{1B}[2J", "\u{9B}", "\u{202E}",
    ]

    @Test func anyTextEndsWithALineThatExists() {
        var random = SplitMix64(seed: 18_11)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 40)
            let text = (0..<count).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }.joined()
            let lineCount = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            if let problem = ConfigShapeGuard.firstProblem(in: text) {
                #expect((1...lineCount).contains(problem.line), "\(text.debugDescription): \(problem)")
                #expect(problem.column.map { $0 >= 1 } ?? true, "\(text.debugDescription): \(problem)")
                let shown = ConfigError(file: "c.toml", line: problem.line, column: problem.column, message: problem.message)
                #expect(
                    !shown.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                    "\(shown.description.debugDescription)")
            }
        }
    }

    @Test func aKeyThatSpansLinesIsPointedAtWithoutATrap() {
        let text = "\"\"\"\n\n\"\"\"." + Array(repeating: "a", count: 6).joined(separator: ".") + " = 1\n"
        let problem = ConfigShapeGuard.firstProblem(in: text)
        #expect(problem?.line == 3 && problem?.message.contains("levels deep") == true, "\(String(describing: problem))")
        let long = "[\"\"\"\n" + String(repeating: "k", count: 100) + "\"\"\"]\n"
        #expect(ConfigShapeGuard.firstProblem(in: long)?.message.contains("a key longer than 64") == true)
    }

    @Test func aDeepKeyIsShownWithoutControlCharacters() throws {
        let error = try #require(Configuration.diagnose("\"\u{1B}]52;c;eA==\u{7}\".a.b.c.d = 1\n", file: "c.toml").first)
        #expect(error.message.contains("levels deep"), "\(error)")
        #expect(
            !error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
            "\(error.description.debugDescription)")
    }

    /// A small, fast generator with a fixed seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
