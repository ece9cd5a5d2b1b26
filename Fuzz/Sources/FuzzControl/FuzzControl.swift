import Foundation
import FuzzDriver
import KindlingControl

/// What must hold for any byte stream that reaches the daemon's socket. A broken rule is a
/// crash (`fatalError`), which libFuzzer saves as a reproducer.
///
/// Tests/KindlingControlTests/ControlFuzzCorpusTests.swift replays the corpus and every saved
/// crash against the same rules in `make test`; keep the two in step.
@main
enum FuzzControl {
    static func main() {
        FuzzDriver.run(check)
    }

    static func check(_ bytes: [UInt8]) {
        // Framing must not depend on how the stream was cut into reads: the first byte picks
        // a cut, and both halves go through one framer, which must give what one read gives.
        let limit = 512
        var whole = LineFramer(limit: limit)
        let inOneRead = whole.append(bytes)
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        var split = LineFramer(limit: limit)
        let inTwoReads = split.append(bytes[..<cut]) + split.append(bytes[cut...])
        guard inOneRead == inTwoReads else {
            fatalError("framing depends on the read boundary (cut at \(cut)): \(inOneRead) vs \(inTwoReads)")
        }

        for item in inOneRead {
            switch item {
            case .tooLarge:
                guard bytes.count > limit else { fatalError("tooLarge for a stream of only \(bytes.count) bytes") }
            case .line(let line):
                guard !line.isEmpty, line.count <= limit, !line.contains(UInt8(ascii: "\n")) else {
                    fatalError("the framer returned an impossible line of \(line.count) bytes")
                }
                checkDecoding(Data(line))
            }
        }
        // The whole input as one line too, newlines and all (JSON allows them as whitespace).
        checkDecoding(Data(bytes))
    }

    /// A line either decodes to a request that survives encoding and decoding unchanged, or
    /// fails with an error the daemon can put into a one-line response.
    static func checkDecoding(_ line: Data) {
        switch RequestEnvelope.decode(line) {
        case .success(let envelope):
            let again = envelope.encoded()
            guard !again.isEmpty, !again.contains(UInt8(ascii: "\n")) else {
                fatalError("\(envelope) encodes to an empty or multi-line request")
            }
            guard case .success(let decoded) = RequestEnvelope.decode(again), decoded == envelope else {
                fatalError("\(envelope) does not survive a round trip: \(String(decoding: again, as: UTF8.self))")
            }
        case .failure(let failure):
            guard !failure.error.message.isEmpty else { fatalError("an error without a message for \(line as NSData)") }
            let response = ResponseEnvelope<EmptyResult>(id: failure.id, error: failure.error)
            guard let encoded = try? ControlProtocol.makeEncoder().encode(response),
                !encoded.contains(UInt8(ascii: "\n"))
            else {
                fatalError("the error response for \(line as NSData) cannot be sent on one line")
            }
        }
    }
}
