import Foundation
import Testing

@testable import KindlingCore

/// Every word Kindling can put in front of the person, read against words that shame, count
/// failure or assume a body. A hit fails with the file (or prompt key) and the text.
///
/// What is read:
/// - the practice content, through its API: ``PromptCatalog/allTexts`` (every built-in prompt
///   of every slot, the practice's own questions, the low-energy sets, the affirmations, both
///   programs' steps, the discreet text, the fallback and the quoting sentence);
/// - every string literal in the CLI's sources (``cliSources``), which is where all of its
///   human output is written;
/// - every string literal in the daemon's sources that make what the person reads: the
///   notifications and the replies the CLI prints, and the pure texts behind them
///   (``daemonSources``).
@Suite struct KindWordsTests {
    /// Shaming, failure-counting and nagging words, for every text read.
    static let shaming = [
        "missed", "miss", "failed", "fail", "failure", "failures", "broke", "broken", "lazy", "should have",
        "shouldn't have", "overdue", "expired", "falling behind", "fallen behind", "behind schedule",
        "starts a new streak", "streak broken", "lost your streak", "no excuse", "not set yet", "you forgot",
        "disappointing", "guilty", "again you",
    ]

    /// Words that assume what a body eats, weighs or can do.
    static let bodily = [
        "calories", "calorie", "weight", "weigh", "diet", "dieting", "walk", "walking", "stand up", "stand",
        "jog", "jogging", "run", "running", "eat", "eating", "hungry", "snack", "meal", "exercise", "workout",
        "steps a day",
    ]

    /// In the CLI and the daemon, "run" and "running" speak of programs ("run `kindling resume`",
    /// "kindlingd is running"), never of a body; the prompts are held to them fully.
    static let technicalSenses: Set<String> = ["run", "running"]

    /// Literals that are protocol tokens, not text for people: the wire event and status names
    /// DESIGN.md fixes (`missed`, `expired`, and systemd's unit state `failed`), matched exactly.
    static let protocolTokens: Set<String> = ["missed", "expired", "failed"]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The CLI: every source file, but the systemd unit it writes (read by systemd, not people)
    /// and the report's stylesheet (read by the browser).
    static var cliSources: [String] {
        swiftFiles(under: "Sources/KindlingCLI").filter {
            !$0.hasSuffix("/ServiceUnit.swift") && !$0.hasSuffix("/ReportStyle.swift")
        }
    }

    /// The daemon's notifications and replies, and the pure texts they are made of (the
    /// grounding moment, the week's look back, the composer's sentences).
    static var daemonSources: [String] {
        [
            "Sources/KindlingDaemon/Daemon+Delivery.swift", "Sources/KindlingDaemon/Daemon+Desktop.swift",
            "Sources/KindlingDaemon/Daemon+Rest.swift", "Sources/KindlingDaemon/Daemon+ScreenLock.swift",
            "Sources/KindlingDaemon/PromptLifecycle.swift", "Sources/KindlingControl/Shared/Grounding.swift",
            "Sources/KindlingCore/Practice/WeekLookBack.swift", "Sources/KindlingCore/Practice/PromptComposer.swift",
        ]
            + swiftFiles(under: "Sources/KindlingDaemon/Handlers")
    }

    static func swiftFiles(under folder: String) -> [String] {
        let base = root.appendingPathComponent(folder).path
        let names = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted().map { "\(folder)/\($0)" }
    }

    /// `text` in lower case, every run of characters other than letters and apostrophes one
    /// space, with a space at each end: whole words and phrases are then found as " word ".
    static func words(_ text: String) -> String {
        var out = " "
        for ch in text.lowercased().replacingOccurrences(of: "’", with: "'") {
            if ch.isLetter || ch == "'" {
                out.append(ch)
            } else if out.last != " " {
                out.append(" ")
            }
        }
        return out.last == " " ? out : out + " "
    }

    static func hits(_ text: String, in list: [String]) -> [String] {
        let normal = words(text)
        return list.filter { normal.contains(" \($0) ") }
    }

    // MARK: - The checks

    @Test func theListsCatchWhatTheyAreFor() {
        #expect(Self.hits("You missed a day.", in: Self.shaming) == ["missed"])
        #expect(Self.hits("Your next practised day starts a new streak.", in: Self.shaming) == ["starts a new streak"])
        #expect(Self.hits("Take a short walk.", in: Self.bodily) == ["walk"])
        #expect(Self.hits("Rest, stretch, or move as your body allows.", in: Self.bodily).isEmpty)
        #expect(Self.hits("Drop your shoulders; notice the warmth.", in: Self.shaming + Self.bodily).isEmpty)
        #expect(Self.literals(in: #"let a = "one \(b ? "two" : "three") four" // "five""#) == ["two", "three", "one   four"])
        #expect(Self.literals(in: "x = \"\"\"\n    a \"quoted\" word\n    \"\"\"\n") == ["\n    a \"quoted\" word\n    "])
        #expect(Self.literals(in: ##"f(#"{"at":"#, "you missed")"##) == [#"{"at":"#, "you missed"])
    }

    @Test func thePracticeContentIsKindAndAssumesNoBody() {
        let texts = PromptCatalog.allTexts
        #expect(texts.count > 150, "the catalog, the sets and both programs are all read")
        for (key, text) in texts {
            let found = Self.hits(text, in: Self.shaming + Self.bodily)
            #expect(found.isEmpty, "\(key) says \(found): \(text)")
        }
    }

    @Test func everythingTheCLIAndTheNotificationsPrintIsKind() throws {
        let files = Self.cliSources + Self.daemonSources
        #expect(files.count > 30, "\(files)")
        #expect(files.contains("Sources/KindlingCLI/Commands/Today.swift"))
        #expect(files.contains("Sources/KindlingCLI/Commands/Stats.swift"))
        #expect(files.contains("Sources/KindlingCLI/Commands/Watch.swift"))
        let list = (Self.shaming + Self.bodily).filter { !Self.technicalSenses.contains($0) }
        var read = 0
        for file in files {
            let source = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for literal in Self.literals(in: source) where !Self.protocolTokens.contains(literal) {
                read += 1
                let found = Self.hits(literal, in: list)
                #expect(found.isEmpty, "\(file) says \(found): \(literal)")
            }
        }
        #expect(read > 500, "\(read) strings read")
    }

    // MARK: - Reading string literals

    /// The string literals of Swift source `text` (comments skipped): single-line and
    /// multi-line ones, with interpolations left out (a space in their place) and the
    /// literals inside them listed on their own. Escapes become a space.
    static func literals(in text: String) -> [String] {
        var reader = LiteralReader(Array(text))
        return reader.all()
    }

    struct LiteralReader {
        let chars: [Character]
        var index = 0
        var found: [String] = []

        init(_ chars: [Character]) { self.chars = chars }

        func starts(_ prefix: String, at position: Int) -> Bool {
            let wanted = Array(prefix)
            guard position + wanted.count <= chars.count else { return false }
            return Array(chars[position..<position + wanted.count]) == wanted
        }

        mutating func all() -> [String] {
            while index < chars.count {
                if starts("//", at: index) {
                    while index < chars.count, chars[index] != "\n" { index += 1 }
                } else if starts("/*", at: index) {
                    index += 2
                    while index < chars.count, !starts("*/", at: index) { index += 1 }
                    index += 2
                } else if starts("#\"", at: index) {
                    readRaw()
                } else if chars[index] == "\"" {
                    readString()
                } else {
                    index += 1
                }
            }
            return found
        }

        /// Reads a raw literal (`#"..."#`, `#"""..."""#`) as it stands.
        mutating func readRaw() {
            let triple = starts("#\"\"\"", at: index)
            index += triple ? 4 : 2
            let close = triple ? "\"\"\"#" : "\"#"
            var buffer = ""
            while index < chars.count, !starts(close, at: index) {
                buffer.append(chars[index])
                index += 1
            }
            index += close.count
            found.append(buffer)
        }

        /// Reads the literal that opens at `index`, appending it (after its nested ones).
        mutating func readString() {
            let triple = starts("\"\"\"", at: index)
            index += triple ? 3 : 1
            var buffer = ""
            while index < chars.count {
                if triple ? starts("\"\"\"", at: index) : chars[index] == "\"" {
                    index += triple ? 3 : 1
                    break
                }
                if chars[index] == "\\", index + 1 < chars.count {
                    if chars[index + 1] == "(" {
                        index += 2
                        var depth = 1
                        while index < chars.count, depth > 0 {
                            switch chars[index] {
                            case "\"": readString()
                            case "(": depth += 1; index += 1
                            case ")": depth -= 1; index += 1
                            default: index += 1
                            }
                        }
                    } else {
                        index += 2
                    }
                    buffer.append(" ")
                    continue
                }
                buffer.append(chars[index])
                index += 1
            }
            found.append(buffer)
        }
    }
}
