import Foundation
import FuzzDriver
import KindlingCore

/// What must hold for any bytes given to the TOML reader. A broken rule is a crash
/// (`fatalError`), which libFuzzer saves as a reproducer.
///
/// Tests/KindlingCoreTests/TOMLFuzzCorpusTests.swift replays the corpus and every saved crash
/// against the same rules in `make test`; keep the two in step.
@main
enum FuzzTOML {
    static func main() {
        FuzzDriver.run(check)
    }

    static func check(_ bytes: [UInt8]) {
        let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        func inside(_ position: TOMLPosition) -> Bool {
            (1...lineCount).contains(position.line) && (1...bytes.count + 1).contains(position.column)
        }
        let first: TOMLMap
        do {
            first = try TOMLParser.parse(bytes: bytes)
        } catch {
            // One plain line, at a place in the document.
            guard !error.message.isEmpty,
                !error.message.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            else { fatalError("a message that is not one plain line: \(error.message.debugDescription)") }
            guard inside(error.position) else { fatalError("an error outside the document: \(error)") }
            return
        }
        // Every position read lies in the document, and reading is the same both ways in.
        var stack: [TOMLMap] = [first]
        while let table = stack.popLast() {
            for entry in table.entries {
                guard inside(entry.keyPosition), inside(entry.node.position) else {
                    fatalError("\(entry.key) is placed outside the document")
                }
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
            guard (try? TOMLParser.parse(text)).map({ $0 == first || hasNaN(first) }) == true else {
                fatalError("the bytes and the text read differently")
            }
        }
    }

    /// NaN is never equal to itself, so documents holding one cannot be compared whole.
    static func hasNaN(_ table: TOMLMap) -> Bool { table.entries.contains { hasNaN($0.value) } }

    static func hasNaN(_ value: TOMLNodeValue) -> Bool {
        switch value {
        case .float(let float): float.isNaN
        case .table(let inner): hasNaN(inner)
        case .array(let elements): elements.contains { hasNaN($0.value) }
        default: false
        }
    }
}
