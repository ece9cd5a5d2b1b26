import Foundation
import Testing

@testable import KindlingCore

/// The TOML project's conformance suite (toml-test) for TOML 1.0.0, from
/// Tests/KindlingCoreTests/Fixtures/toml-test: every invalid document refused, every valid one
/// read to the values its JSON twin lists.
@Suite struct TOMLConformanceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/toml-test")

    /// The suite's list of TOML 1.0.0 cases.
    static let cases: [String] = {
        let list = (try? String(contentsOf: directory.appendingPathComponent("files-toml-1.0.0"), encoding: .utf8)) ?? ""
        return list.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".toml") }
    }()

    static let invalidCases = cases.filter { $0.hasPrefix("invalid/") }
    static let validCases = cases.filter { $0.hasPrefix("valid/") }

    static func bytes(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: directory.appendingPathComponent(path)))
    }

    @Test func theSuiteIsThere() {
        #expect(Self.invalidCases.count == 499, "Fixtures/toml-test/files-toml-1.0.0 is missing or changed")
        #expect(Self.validCases.count == 210)
    }

    /// The comparison itself can fail: a wrong value, a missing key or a wrong type is seen.
    @Test func theComparisonSeesDifferences() throws {
        let document = try TOMLParser.parse("a = 1\nb = 1979-05-27\n")
        let tag = { (type: String, value: String) in ["type": type, "value": value] }
        #expect(
            Self.difference(.table(document), ["a": tag("integer", "1"), "b": tag("date-local", "1979-05-27")], at: "") == nil)
        #expect(
            Self.difference(.table(document), ["a": tag("integer", "2"), "b": tag("date-local", "1979-05-27")], at: "") != nil)
        #expect(Self.difference(.table(document), ["a": tag("float", "1"), "b": tag("date-local", "1979-05-27")], at: "") != nil)
        #expect(Self.difference(.table(document), ["a": tag("integer", "1")], at: "") != nil)
        #expect(
            Self.difference(.table(document), ["a": tag("integer", "1"), "b": tag("date-local", "1979-05-28")], at: "") != nil)
    }

    @Test(arguments: invalidCases)
    func refuses(_ path: String) throws {
        let bytes = try Self.bytes(path)
        #expect(throws: TOMLError.self, "\(path) was read") { try TOMLParser.parse(bytes: bytes) }
    }

    @Test(arguments: validCases)
    func reads(_ path: String) throws {
        let bytes = try Self.bytes(path)
        let document: TOMLMap
        do {
            document = try TOMLParser.parse(bytes: bytes)
        } catch {
            Issue.record("\(path) refused: \(error)")
            return
        }
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory(path).appendingPathExtension("json")), options: [.fragmentsAllowed])
        if let difference = Self.difference(.table(document), json, at: "") {
            Issue.record("\(path): \(difference)")
        }
    }

    private func directory(_ path: String) -> URL {
        Self.directory.appendingPathComponent(String(path.dropLast(".toml".count)))
    }

    /// Where `value` and toml-test's tagged JSON differ, or nil if they agree.
    static func difference(_ value: TOMLNodeValue, _ json: Any, at path: String) -> String? {
        if let object = json as? [String: Any], object.count == 2, let type = object["type"] as? String,
            let expected = object["value"] as? String
        {
            return scalarMatches(value, type: type, expected: expected) ? nil : "\(path): \(value) is not \(type) \(expected)"
        }
        switch (value, json) {
        case (.array(let elements), let array as [Any]):
            guard elements.count == array.count else { return "\(path): \(elements.count) elements, not \(array.count)" }
            for (offset, element) in elements.enumerated() {
                if let difference = difference(element.value, array[offset], at: "\(path)[\(offset)]") { return difference }
            }
            return nil
        case (.table(let table), let object as [String: Any]):
            let keys = Set(table.keys.map { Array($0.unicodeScalars) })
            guard keys == Set(object.keys.map { Array($0.unicodeScalars) }), keys.count == table.entries.count else {
                return "\(path): keys \(table.keys.sorted()), not \(object.keys.sorted())"
            }
            for entry in table.entries {
                guard let expected = object.first(where: { Array($0.key.unicodeScalars) == Array(entry.key.unicodeScalars) })
                else { return "\(path): no \(entry.key)" }
                if let difference = difference(entry.value, expected.value, at: "\(path).\(entry.key)") { return difference }
            }
            return nil
        default:
            return "\(path): \(value) is not \(json)"
        }
    }

    static func scalarMatches(_ value: TOMLNodeValue, type: String, expected: String) -> Bool {
        switch (value, type) {
        case (.string(let string), "string"): return Array(string.unicodeScalars) == Array(expected.unicodeScalars)
        case (.integer(let integer), "integer"): return Int64(expected) == integer
        case (.float(let float), "float"):
            switch expected {
            case "nan", "+nan", "-nan": return float.isNaN
            case "inf", "+inf": return float == .infinity
            case "-inf": return float == -.infinity
            default: return Double(expected) == float
            }
        case (.boolean(let boolean), "bool"): return expected == String(boolean)
        case (.offsetDateTime, "datetime"), (.localDateTime, "datetime-local"), (.localDate, "date-local"),
            (.localTime, "time-local"):
            // The expected text is itself a TOML date-time; read it the same way to compare values.
            return (try? TOMLParser.parse("v = \(expected)"))?["v"]?.value == value
        default: return false
        }
    }
}
