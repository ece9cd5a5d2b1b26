import Foundation
import Testing

@testable import KindlingCore

/// The TOML fuzzer's corpus and every input that ever crashed it (Fuzz/corpus/toml,
/// Fuzz/regressions/toml), replayed against the fuzzer's rules on every `make test`.
/// The rules are those of Fuzz/Sources/FuzzTOML/FuzzTOML.swift; keep the two in step.
@Suite struct TOMLFuzzCorpusTests {
    static func inputs(_ kind: String) -> [String] {
        let directory = ConfigFuzzCorpusTests.fuzzDirectory.appendingPathComponent(kind).appendingPathComponent("toml")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs("corpus").count >= 10, "Fuzz/corpus/toml is missing or empty")
    }

    @Test(arguments: inputs("corpus") + inputs("regressions"))
    func holdsTheFuzzerRules(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        func inside(_ position: TOMLPosition) -> Bool {
            (1...lineCount).contains(position.line) && (1...bytes.count + 1).contains(position.column)
        }
        let document: TOMLMap
        do {
            document = try TOMLParser.parse(bytes: bytes)
        } catch {
            #expect(!error.message.isEmpty)
            #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            #expect(inside(error.position), "\(error)")
            return
        }
        var stack = [document]
        while let table = stack.popLast() {
            for entry in table.entries {
                #expect(inside(entry.keyPosition) && inside(entry.node.position), "\(entry.key)")
                var values = [entry.node]
                while let node = values.popLast() {
                    switch node.value {
                    case .table(let inner): stack.append(inner)
                    case .array(let elements): values += elements
                    default: break
                    }
                }
            }
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            #expect(try TOMLParser.parse(text) == document)
        }
    }
}
