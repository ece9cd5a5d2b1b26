import Foundation
import KindlingControl
import Testing

@testable import KindlingCLI

@Suite struct ExportRendererTests {
    static let header = ExportHeader(version: "0.1.0", exportedAt: "2026-11-21T12:00:00.000+00:00")
    static let answer = ExportEntry(
        type: "answer", id: 2, at: "2026-11-21T08:05:00.000+00:00", localDate: "2026-11-21",
        text: "listen, then \"speak\"\nkindly",
        slot: "intention", prompt: "How will you be kind today?", mood: 4, energy: 3, channel: "cli")
    static let note = ExportEntry(
        type: "note", id: 3, at: "2026-11-22T12:30:00.000+00:00", localDate: "2026-11-22", text: "held the door", kind: "given")

    @Test func csvQuotesPerRFC4180() {
        #expect(ExportRenderer.csvField("plain") == "plain")
        #expect(ExportRenderer.csvField("a, b") == "\"a, b\"")
        #expect(ExportRenderer.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ExportRenderer.csvField("two\nlines") == "\"two\nlines\"")
        #expect(ExportRenderer.csvField("cr\r\nlf") == "\"cr\r\nlf\"")

        var renderer = ExportRenderer(format: .csv)
        #expect(renderer.header(Self.header) == "type,id,at,local_date,slot,prompt,kind,text,mood,energy,channel,edited_at\r\n")
        #expect(
            renderer.entry(Self.answer, raw: [])
                == "answer,2,2026-11-21T08:05:00.000+00:00,2026-11-21,intention,How will you be kind today?,,"
                + "\"listen, then \"\"speak\"\"\nkindly\",4,3,cli,\r\n")
        #expect(
            renderer.entry(Self.note, raw: []) == "note,3,2026-11-22T12:30:00.000+00:00,2026-11-22,,,given,held the door,,,,\r\n")
    }

    @Test func jsonLinesKeepTheDaemonsLinesByteForByte() throws {
        var renderer = ExportRenderer(format: .json)
        let header = renderer.header(Self.header)
        #expect(header == #"{"exported_at":"2026-11-21T12:00:00.000+00:00","kindling_export":1,"version":"0.1.0"}"# + "\n")
        let raw = Array(try ControlProtocol.makeEncoder().encode(Self.note))
        #expect(renderer.entry(Self.note, raw: raw) == String(decoding: raw, as: UTF8.self) + "\n")
    }

    @Test func markdownGroupsEntriesByDay() {
        var renderer = ExportRenderer(format: .markdown)
        var text = renderer.header(Self.header)
        text += renderer.entry(Self.answer, raw: [])
        text += renderer.entry(Self.note, raw: [])
        text += renderer.entry(Self.note, raw: [])
        text += renderer.footer(ExportEnd(count: 3))
        #expect(text.hasPrefix("# Kindling journal\n"))
        #expect(text.components(separatedBy: "## 2026-11-21").count == 2)
        #expect(text.components(separatedBy: "## 2026-11-22").count == 2)
        #expect(
            text.contains(
                "### Intention, 08:05\n\n> How will you be kind today?\n\nlisten, then \"speak\"\nkindly\n\n*mood 4/5, energy 3/5*\n"
            ))
        #expect(text.contains("### Kindness given, 12:30\n\nheld the door\n"))
        #expect(ExportRenderer(format: .markdown).footer(ExportEnd(count: 0)).contains("no entries"))
    }
}
