import Foundation
import KindlingControl
import KindlingCore
import Testing

@testable import KindlingDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The `journal` and `stats` response lines for one fixed journal, pinned byte for byte (by
/// length and fingerprint): work that makes them cheaper (narrower queries, kept answers) must
/// not change a byte of what the CLI receives. The journal: ten weeks of answers and notes up
/// to the harness's Saturday 2026-11-21, some edited, some on several lines, one custom slot.
@Suite(.serialized) struct ViewResponsePinTests {
    typealias Harness = DaemonTests.Harness

    static let config = """
        timezone = "UTC"
        [nudge]
        enabled = false
        [program]
        name = "none"
        """

    /// The same entries on every run: a small linear congruential generator picks their details.
    static func entries() -> [ExportEntry] {
        var seed: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let slots = ["intention", "nudge", "reflection", "review", "water"]
        var entries: [ExportEntry] = []
        for back in 0..<70 where next(5) != 0 {
            let date = LocalDate(year: 2026, month: 11, day: 21).adding(days: -back).description
            for index in 0..<(1 + next(7)) {
                let time = "\(date)T\(String(format: "%02d", 7 + 2 * index)):\(String(format: "%02d", next(60))):00.000+00:00"
                let words = (0...next(4)).map { _ in ["warm", "kind", "calm", "a small step", "thanks"][next(5)] }
                var text = "Entry \(entries.count): " + words.joined(separator: " ")
                if next(9) == 0 { text += "\nand a second line\n\tindented" }
                let edited = next(11) == 0 ? "\(date)T22:00:00.000+00:00" : nil
                if next(3) == 0 {
                    let kind = [nil, "given", "received"][next(3)]
                    entries.append(
                        ExportEntry(type: "note", at: time, localDate: date, text: text, kind: kind, editedAt: edited))
                } else {
                    let slot = slots[next(slots.count)]
                    let mood = next(2) == 0 ? 1 + next(5) : nil
                    entries.append(
                        ExportEntry(
                            type: "answer", at: time, localDate: date, text: text, slot: slot,
                            prompt: "What \"kindness\" for \(slot)?", mood: mood, energy: mood.map { _ in 1 + next(5) },
                            channel: "cli", editedAt: edited))
                }
            }
        }
        return entries
    }

    /// One request line sent as the CLI sends it, and the response line exactly as it came.
    static func exchange(_ harness: Harness, _ request: String) throws -> String {
        let fd = try rawConnection(harness.socket)
        defer { close(fd) }
        let line = Array((request + "\n").utf8)
        guard write(fd, line, line.count) == line.count else { throw POSIXError(.EIO) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while reply.last != UInt8(ascii: "\n") {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { throw POSIXError(.EIO) }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Each request, with the length and fingerprint of its response line.
    static let pinned: [(request: String, bytes: Int, digest: String)] = [
        (#"{"v":1,"cmd":"journal","id":1}"#, 27620, "041736032842ad8e"),
        (#"{"v":1,"cmd":"journal","id":1,"since":"2026-10-23"}"#, 20815, "8f9816634a4be2da"),
        (#"{"v":1,"cmd":"journal","id":1,"until":"2026-11-01","limit":5}"#, 5985, "cfd0d3d7d1135250"),
        (#"{"v":1,"cmd":"journal","id":1,"slot":"water"}"#, 6012, "3c87bac1ed2318d8"),
        (#"{"v":1,"cmd":"journal","id":1,"search":"SECOND"}"#, 10448, "1e2deb5eef667cbb"),
        // More days than one page holds.
        (#"{"v":1,"cmd":"journal","id":1,"limit":70}"#, 48358, "5aff45ecb442a411"),
        (#"{"v":1,"cmd":"journal","id":1,"search":"nowhere"}"#, 59, "7c2e44c427d65358"),
        (#"{"v":1,"cmd":"stats","id":1,"weeks":8}"#, 5481, "a9098c5aaef11a9d"),
        (#"{"v":1,"cmd":"stats","id":1,"weeks":2}"#, 1466, "1dd351c1e909d4d1"),
    ]

    @Test func theViewsAnswerTheSameBytes() throws {
        let harness = try Harness(config: Self.config)
        let imported = try harness.call(Request.Import(entries: Self.entries())).get()
        #expect(imported.added > 200)
        for pin in Self.pinned {
            // Twice: the second answer may come another way (kept, say) and must be the same.
            for round in 1...2 {
                let line = try Self.exchange(harness, pin.request)
                #expect(line.hasPrefix(#"{"id":1,"ok":true,"#), "\(pin.request): \(line.prefix(300))")
                #expect(
                    line.utf8.count == pin.bytes && TextDigest.of(line) == pin.digest,
                    "\(pin.request), round \(round): \(line.utf8.count) bytes, \(TextDigest.of(line))")
            }
        }
    }
}
