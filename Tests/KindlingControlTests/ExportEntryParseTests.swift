import Foundation
import KindlingControl
import Testing

/// `ExportEntry.parse(line:)` and the request decoder read entries without a JSONValue each: for
/// any text they must decide exactly as `JSONValue.parse` then `ExportEntry(json:)` do.
@Suite struct ExportEntryParseTests {
    static let base = #""type":"note","at":"2026-11-21T08:00:00.000Z","local_date":"2026-11-21","text":"hi""#

    static let lines: [String] = [
        "{\(base)}",
        " {\(base)} \n",
        "{\(base),\"id\":7}",
        "{\(base),\"id\":7.0}",  // a whole number written with a fraction is still an id
        "{\(base),\"id\":7.5}",
        "{\(base),\"id\":1e400}",
        "{\(base),\"id\":\"7\"}",
        "{\(base),\"mood\":9223372036854775807,\"energy\":null}",
        "{\(base),\"mood\":true}",
        "{\(base),\"slot\":null,\"prompt\":\"p\",\"kind\":\"given\",\"channel\":\"cli\",\"edited_at\":\"x\"}",
        "{\(base),\"slot\":3}",
        "{\(base),\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"more\":[]}",
        "{\(base),\"text\":\"second wins\"}",
        "{\(base),\"text\":null}",
        #"{"\u0074ype":"answer","at":"a","local_date":"d","t\u0065xt":"escaped keys","text":"\ud83d\ude0a"}"#,
        #"{"type":"note","at":"a","local_date":"d"}"#,
        "{}", "[]", "[{\(base)}]", "\"text\"", "null", "7",
        "{\(base)", "{\(base),}", "{\(base)} x", "{\(base),\"text\":\"\\ud800\"}", "{\(base),\"x\":01}", "",
        "{\(base),\"x\":\(String(repeating: "[", count: 80))\(String(repeating: "]", count: 80))}",
    ]

    @Test(arguments: lines)
    func aLineIsReadAsTheGenericReaderReadsIt(line: String) {
        let generic = JSONValue.parse(Array(line.utf8)).flatMap(ExportEntry.init(json:))
        var copy = line
        let direct = copy.withUTF8 { ExportEntry.parse(line: $0) }
        #expect(direct == generic)
    }

    @Test(arguments: lines)
    func aRequestReadsEachEntryAsTheGenericReaderDoes(line: String) throws {
        let item = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let request = #"{"v":1,"id":5,"cmd":"import","entries":[{\#(Self.base)},\#(item)]}"#
        let decoded = RequestEnvelope.decode(Data(request.utf8))
        guard let json = JSONValue.parse(Array(request.utf8)) else {
            #expect(throws: RequestDecodingError.self) { try decoded.get() }
            return
        }
        guard case .array(let items)? = json["entries"], let second = ExportEntry(json: items[1]) else {
            if case .failure(let failure) = decoded {
                #expect(failure.error.message == "entry 2 of the batch is not an exported entry")
            } else {
                Issue.record("accepted \(request)")
            }
            return
        }
        let first = ExportEntry(json: items[0])
        #expect(try decoded.get().request as? Request.Import == Request.Import(entries: [first, second].compactMap { $0 }))
    }

    @Test func theLastEntriesKeyWinsAsInADictionary() throws {
        let twice = #"{"v":1,"id":5,"cmd":"import","entries":[{\#(Self.base)}],"entries":"no"}"#
        #expect(throws: RequestDecodingError.self) { try RequestEnvelope.decode(Data(twice.utf8)).get() }
        let again = #"{"v":1,"id":5,"cmd":"import","entries":"no","entries":[{\#(Self.base)}],"more":true}"#
        guard let request = try RequestEnvelope.decode(Data(again.utf8)).get().request as? Request.Import else {
            Issue.record("not an import")
            return
        }
        #expect(request.entries.map(\.text) == ["hi"] && request.more)
        // "entries" inside an entry, or in another verb, is an ordinary key.
        let nested = #"{"v":1,"id":5,"cmd":"status","x":{"entries":[1]},"entries":[2]}"#
        #expect(try RequestEnvelope.decode(Data(nested.utf8)).get().request is Request.Status)
    }
}
