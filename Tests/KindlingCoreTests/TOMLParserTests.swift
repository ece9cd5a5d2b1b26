import Foundation
import Testing

@testable import KindlingCore

/// What the TOML reader keeps beyond values (positions) and what it says when it refuses.
@Suite struct TOMLParserTests {
    @Test func everyKeyAndValueKeepsItsPosition() throws {
        let document = try TOMLParser.parse(
            """
            # a comment
            title = "Kindling"
            [intention]
              at   = 08:30:00
              days.weekend = false
            [[prompt]]
            text = 'be kind'
            [[prompt]]
            text = { words = "ünïcode", n = 2 }
            """)
        let title = try #require(document["title"])
        #expect(title.keyPosition == TOMLPosition(line: 2, column: 1))
        #expect(title.node.position == TOMLPosition(line: 2, column: 9))
        let intention = try #require(document["intention"])
        #expect(intention.node.position == TOMLPosition(line: 3, column: 1))
        guard case .table(let table) = intention.value else { Issue.record("not a table"); return }
        let at = try #require(table["at"])
        #expect(at.keyPosition == TOMLPosition(line: 4, column: 3))
        #expect(at.node.position == TOMLPosition(line: 4, column: 10))
        #expect(at.value == .localTime(TOMLLocalTime(hour: 8, minute: 30, second: 0)!))
        guard case .table(let days) = try #require(table["days"]).value else { Issue.record("not a table"); return }
        let weekend = try #require(days["weekend"])
        #expect(weekend.keyPosition == TOMLPosition(line: 5, column: 8))
        #expect(weekend.node.position == TOMLPosition(line: 5, column: 18))
        guard case .array(let prompts) = try #require(document["prompt"]).value else { Issue.record("no array"); return }
        #expect(prompts.map(\.position.line) == [6, 8])
        guard case .table(let second) = prompts[1].value, case .table(let inline) = try #require(second["text"]).value
        else { Issue.record("no inline table"); return }
        // Columns count characters, not bytes.
        #expect(try #require(inline["n"]).keyPosition == TOMLPosition(line: 9, column: 29))
        #expect(inline["words"]?.value == .string("ünïcode"))
    }

    @Test func keysKeepTheirWrittenOrder() throws {
        let document = try TOMLParser.parse("b = 1\na = 2\nc.d = 3\n")
        #expect(document.keys == ["b", "a", "c"])
    }

    @Test func offsetDateTimesKeepTheirOffset() throws {
        let document = try TOMLParser.parse("a = 1979-05-27T00:32:00.5-07:00\nb = 1979-05-27 07:32:00Z\n")
        guard case .offsetDateTime(let a) = document["a"]?.value else { Issue.record("not a date-time"); return }
        #expect(a.offsetMinutes == -420 && a.time.nanosecond == 500_000_000)
        #expect(a.description == "1979-05-27T00:32:00.5-07:00")
        #expect(document["b"]?.value.kindName == "offset date-time")
    }

    @Test(arguments: [
        ("a = 1\na = 2\n", 2, 1, "a is already defined as an integer on line 1"),
        ("[t]\nx = 1\n[t]\n", 3, 2, "t is already defined as a table on line 1"),
        ("a = \"open\n", 1, 5, "not closed on its line"),
        ("a = 1 2\n", 1, 7, "expected the end of the line"),
        ("a = 01\n", 1, 5, "not a number"),
        ("a = 2023-02-29\n", 1, 5, "not a date in the calendar"),
        ("\n\na = { b = 1,\n c = 2 }\n", 3, 13, "an inline table stays on one line"),
        ("a = \"\\q\"\n", 1, 6, "unknown escape"),
        ("x = 1\u{7}\n", 1, 6, "control character U+0007"),
        ("a.b = 1\n[a]\n", 2, 2, "already defined as a table by dotted keys on line 1"),
    ])
    func refusesWithWhereAndWhat(text: String, line: Int, column: Int, says: String) {
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("read \(text.debugDescription)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(says), "\(error)")
        }
    }

    @Test func invalidUTF8IsRefusedWhereItIs() {
        #expect(throws: TOMLError("the file is not valid UTF-8 here (save it as UTF-8)", at: TOMLPosition(line: 2, column: 6))) {
            try TOMLParser.parse(bytes: Array("a = 1\nb = \"".utf8) + [0xC0, 0x80, 0x22])
        }
    }

    @Test func aByteOrderMarkIsAllowedOnlyAtTheStart() throws {
        #expect(try TOMLParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1".utf8))["a"]?.value == .integer(1))
        #expect(throws: TOMLError.self) { try TOMLParser.parse("a = 1\n\u{FEFF}b = 2\n") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deepArray = "a = " + String(repeating: "[", count: 100_000)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(deepArray) }
        let deepTable = "a = " + String(repeating: "{b = ", count: 100_000)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(deepTable) }
        let longHeader = "[" + Array(repeating: "a", count: 40_000).joined(separator: ".") + "]\n"
        #expect(throws: TOMLError.self) { try TOMLParser.parse(longHeader) }
        let longKey = Array(repeating: "a", count: 40_000).joined(separator: ".") + " = 1\n"
        #expect(throws: TOMLError.self) { try TOMLParser.parse(longKey) }
    }
}
