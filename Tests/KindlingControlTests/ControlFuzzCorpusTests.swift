import Foundation
import KindlingControl
import Testing

/// The control-protocol fuzzer's corpus and every input that ever crashed it
/// (Fuzz/corpus/control, Fuzz/regressions/control), replayed against the fuzzer's rules on every
/// `make test`. The rules are those of Fuzz/Sources/FuzzControl/FuzzControl.swift; keep the two in step.
@Suite struct ControlFuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Every file of `Fuzz/<kind>/control`, by name.
    static func inputs(_ kind: String) -> [String] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent("control")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs("corpus").count >= 10, "Fuzz/corpus/control is missing or nearly empty")
    }

    @Test(arguments: inputs("corpus") + inputs("regressions"))
    func holdsTheFuzzerRules(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let limit = 512
        var whole = LineFramer(limit: limit)
        let inOneRead = whole.append(bytes)
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        var split = LineFramer(limit: limit)
        #expect(inOneRead == split.append(bytes[..<cut]) + split.append(bytes[cut...]), "framing depends on the cut at \(cut)")
        for case .line(let line) in inOneRead {
            #expect(!line.isEmpty && line.count <= limit && !line.contains(UInt8(ascii: "\n")))
            checkDecoding(Data(line))
        }
        checkDecoding(Data(bytes))
    }

    /// A line decodes to a request that survives a round trip, or to an error that fits a response line.
    private func checkDecoding(_ line: Data) {
        switch RequestEnvelope.decode(line) {
        case .success(let envelope):
            let again = envelope.encoded()
            #expect(!again.isEmpty && !again.contains(UInt8(ascii: "\n")))
            #expect((try? RequestEnvelope.decode(again).get()) == envelope, "\(envelope) does not survive a round trip")
        case .failure(let failure):
            #expect(!failure.error.message.isEmpty)
            let encoded = try? ControlProtocol.makeEncoder().encode(
                ResponseEnvelope<EmptyResult>(id: failure.id, error: failure.error))
            #expect(encoded.map { !$0.contains(UInt8(ascii: "\n")) } == true)
        }
    }
}
