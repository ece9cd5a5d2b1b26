import Foundation
import FuzzDriver
import KindlingCore

/// What must hold for any config file a person (or a stray program) could write. A broken
/// rule is a crash (`fatalError`), which libFuzzer saves as a reproducer.
///
/// Tests/KindlingCoreTests/ConfigFuzzCorpusTests.swift replays the corpus and every saved
/// crash against the same rules in `make test`; keep the two in step.
@main
enum FuzzConfig {
    static func main() {
        FuzzDriver.run(check)
    }

    static func check(_ bytes: [UInt8]) {
        let file = "fuzz.toml"
        // The bytes as the daemon and `kindling config check` read them: not UTF-8, byte-order
        // marks and all, through the project's TOML reader.
        let fromBytes = Configuration.diagnose(bytes: bytes, file: file)
        holdsTheRules(fromBytes, file: file, lineCount: bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
        // Invalid UTF-8 is refused when the file is read; what gets past that is text, which
        // the replacement characters here stand for.
        let text = String(decoding: bytes, as: UTF8.self)
        let problems = Configuration.diagnose(text, file: file)
        let lineCount = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        holdsTheRules(problems, file: file, lineCount: lineCount)
        if String(validating: bytes, as: UTF8.self) != nil, problems != fromBytes {
            fatalError("the bytes and their text read differently: \(fromBytes.first as Any), \(problems.first as Any)")
        }
        // parse and diagnose agree: the first problem is the one thrown.
        do {
            _ = try Configuration.parse(text, file: file)
            guard problems.isEmpty else { fatalError("parse accepted what diagnose refused: \(problems[0])") }
        } catch {
            guard error == problems.first else { fatalError("parse threw \(error), diagnose listed \(problems.first as Any)") }
        }
        // The same text as a program file: the same reader, the same kind of messages.
        if case .failure(let refusal) = ProgramFile.check(text, file: file) {
            guard !refusal.errors.isEmpty else { fatalError("a program refused without a reason") }
            holdsTheRules(refusal.errors, file: file, lineCount: lineCount)
        }
    }

    static func holdsTheRules(_ problems: [ConfigError], file: String, lineCount: Int) {
        guard problems.count <= Configuration.maximumDiagnostics else {
            fatalError("\(problems.count) problems listed, more than the limit")
        }
        for problem in problems {
            let line = problem.description
            // One line a problem, and nothing in it that could drive a terminal.
            guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
                fatalError("a problem is not one plain line: \(line.debugDescription)")
            }
            guard problem.file == file, !problem.message.isEmpty else { fatalError("a problem without file or message: \(line)") }
            if let number = problem.line, !(1...lineCount).contains(number) {
                fatalError("a problem names line \(number) of a \(lineCount)-line file: \(line)")
            }
        }
    }
}
