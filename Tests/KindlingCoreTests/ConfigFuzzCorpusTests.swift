import Foundation
import Testing

@testable import KindlingCore

/// The config fuzzer's corpus and every input that ever crashed it (Fuzz/corpus/config,
/// Fuzz/regressions/config), replayed against the fuzzer's rules on every `make test`.
/// The rules are those of Fuzz/Sources/FuzzConfig/FuzzConfig.swift; keep the two in step.
@Suite struct ConfigFuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Every file of `Fuzz/<kind>/config`, by name.
    static func inputs(_ kind: String) -> [String] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent("config")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test func theCorpusAndTheRegressionsAreThere() {
        #expect(Self.inputs("corpus").count >= 5, "Fuzz/corpus/config is missing or empty")
        #expect(Self.inputs("regressions").count >= 1, "Fuzz/regressions/config is missing or empty")
    }

    @Test(arguments: inputs("corpus") + inputs("regressions"))
    func holdsTheFuzzerRules(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let fromBytes = Configuration.diagnose(bytes: bytes, file: "fuzz.toml")
        Self.holdTheRules(fromBytes, lineCount: bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
        let text = String(decoding: bytes, as: UTF8.self)
        let problems = Configuration.diagnose(text, file: "fuzz.toml")
        let lineCount = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        Self.holdTheRules(problems, lineCount: lineCount)
        if String(validating: bytes, as: UTF8.self) != nil {
            #expect(problems == fromBytes, "the bytes and their text read differently")
        }
        do {
            _ = try Configuration.parse(text, file: "fuzz.toml")
            #expect(problems.isEmpty, "parse accepted what diagnose refused: \(problems.first as Any)")
        } catch {
            #expect(error == problems.first)
        }
        if case .failure(let refusal) = ProgramFile.check(text, file: "fuzz.toml") {
            #expect(!refusal.errors.isEmpty)
            Self.holdTheRules(refusal.errors, lineCount: lineCount)
        }
    }

    static func holdTheRules(_ problems: [ConfigError], lineCount: Int) {
        #expect(problems.count <= Configuration.maximumDiagnostics)
        for problem in problems {
            let line = problem.description
            #expect(
                !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(line.debugDescription)")
            #expect(problem.file == "fuzz.toml" && !problem.message.isEmpty)
            if let number = problem.line { #expect((1...lineCount).contains(number), "\(line)") }
        }
    }

    /// What the crashes were (toml++ aborted on them, behind TOMLKit), as a person now sees
    /// them from the project's own reader: one line, a syntax error, where it is.
    @Test(arguments: [
        ("[\n", 1, 2, "a table header needs a name"),
        ("[intention]\nat = \"08:00\"\n\n[[ !x]]\n", 4, 4, "a table header needs a name"),
        ("[\u{FEFF}x]\n", 1, 2, "a table header needs a name (letters, digits, '-', '_', or a \"quoted\" name), found U+FEFF"),
        ("[break]\ndays = [\"mon\",}\n", 2, 15, "must be closed with \"]\""),
        ("x = [\n  [1, 2],\n  }\n]\n", 3, 3, "must be closed with \"]\""),
        ("x = [\u{2028}]\n", 1, 6, "U+2028, an invisible character"),
        ("x = [1,\u{85}]\n", 1, 8, "U+0085, an invisible character"),
    ])
    func crashingTextIsASyntaxError(text: String, line: Int, column: Int, says: String) throws {
        let error = try #require(Configuration.diagnose(text, file: "c.toml").first)
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.message.hasPrefix("this is not valid TOML: ") && error.message.contains(says), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    /// Strings, comments and lists that hold what looks like those crashes are valid TOML, read.
    @Test(arguments: [
        "text = \"\"\"\n[\n}\n\u{2028}\n\"\"\"\n",
        "text = '''\n[ !\n'''\n",
        "text = \"a \\\" [ }\"\n",
        "# [\n# x = [}\n# \u{2028}\n",
        "x = [ # a comment ] }\n  1, 2,\n]\n",
        "x = [[1], [\"]\"], {a = [2]}]\n[t]\n",
        "text = \"\"\"a\\\n[ \"\"\"\"\n[ \"quoted key\" ]\n['literal']\n",
        "x = { a = [1, 2], b = \"}\" }\n[a.b-c_d]\n",
    ])
    func validTOMLIsNeverRefused(text: String) {
        #expect(throws: Never.self, "\(text.debugDescription)") { try TOMLParser.parse(text) }
    }

    /// Two byte-order marks: `kindling config check` once printed nothing for them.
    @Test func aSecondByteOrderMarkIsOneClearLine() throws {
        let body = Array("timezone = \"local\"\n".utf8)
        let problems = Configuration.diagnose(
            bytes: ConfigDocument.byteOrderMark + ConfigDocument.byteOrderMark + body, file: "c.toml")
        #expect(problems.count == 1)
        #expect(
            problems.first?.description
                == "c.toml:1:1: this is not valid TOML: expected a key (letters, digits, '-', '_', or a \"quoted\" key), found U+FEFF, a byte-order mark (one may start the file, nowhere else)"
        )
        #expect(Configuration.diagnose(bytes: ConfigDocument.byteOrderMark + body, file: "c.toml").isEmpty)
    }
}
