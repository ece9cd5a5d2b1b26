import Foundation
import Testing

@testable import KindlingCLI

/// The thin CLI replaced a few Foundation calls with its own; each must answer as the call it
/// replaced did (this test target may import Foundation, the CLI may not).
struct FoundationFreeTests {
    static let texts = [
        "", " ", "\n", "  kindness  ", "\tgiven\t", "\n line \n", " a b ", "x", "\u{00A0}wide\u{2003}", "\r\nend\r\n",
        "  \n  ", "mixed \t\n", "日本 ",
    ]

    @Test func trimmingAnswersAsFoundationDid() {
        for text in Self.texts {
            #expect(text.trimmed() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test func paddingAnswersAsFoundationDid() {
        for text in ["", "config", "quiet hours", "a name longer than the column"] {
            for width in [0, 5, 14] {
                #expect(text.padded(to: width) == text.padding(toLength: width, withPad: " ", startingAt: 0))
            }
        }
        #expect("mon".capitalizedFirst == "mon".capitalized && "week".capitalizedFirst == "Week")
    }

    @Test func pathPartsAreWhatNSStringGave() {
        for path in ["/home/a/out.json", "out.json", "./out.json", "/out.json", "/a/b/", "a/b"] {
            #expect(PathText.name(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
        // NSString gave "" for a bare name where dirname says "."; both mean this folder.
        for path in ["/home/a/out.json", "/out.json", "a/b", "/a/b/"] {
            #expect(PathText.folder(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
        #expect(PathText.folder(of: "out.json") == ".")
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/"
        #expect(PathText.expandingTilde("~/notes.txt") == home + "/notes.txt" && PathText.expandingTilde("~") == home)
        #expect(PathText.expandingTilde("a~/b") == "a~/b" && PathText.expandingTilde("~other/b") == "~other/b")
    }

    @Test func chartNumbersAreWhatPrintfGave() {
        var values: [Double] = [0, 1, -1, 0.25, 0.05, 2.5, 3.14159, -0.04, 1234.56, 99.95, 12.0, 0.15]
        for step in 0...20_000 { values.append(Double(step) * 0.137 - 50) }
        for step in 0...2_000 { values.append(Double(step) * 0.05) }
        for value in values {
            let printf = String(format: "%.1f", value)
            let expected = printf.hasSuffix(".0") ? String(printf.dropLast(2)) : printf
            #expect(ReportSummary.number(value) == (expected == "-0" ? "0" : expected), "\(value)")
        }
    }
}

extension FoundationFreeTests {
    @Test func replacingEveryAnswersAsFoundationDid() {
        let cases: [(String, String, String)] = [
            ("say \"hi\"", "\"", "\"\""), ("a&b<c>d", "&", "&amp;"), ("aaa", "aa", "b"), ("", "x", "y"),
            ("%h/.local/bin/kindlingd", "%h/.local/bin/", "/usr/bin/"), ("é\\n日本\\", "\\", "\\\\"), ("no match", "z", "q"),
            ("e\u{301}e", "e", "E"),
        ]
        for (text, target, replacement) in cases {
            #expect(
                text.replacingEvery(target, with: replacement)
                    == text.replacingOccurrences(of: target, with: replacement, options: .literal), "\(text)")
        }
    }
}

extension FoundationFreeTests {
    /// A quote that carries a combining mark is still a quote to a CSV reader.
    @Test func aQuoteWithACombiningMarkIsStillDoubled() {
        #expect("a\"\u{301}b".replacingEvery("\"", with: "\"\"") == "a\"\"\u{301}b")
    }
}
