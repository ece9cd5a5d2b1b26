import KindlingControl
import Testing

@Suite struct LineFramerTests {
    @Test func splitsLinesAcrossReads() {
        var framer = LineFramer()
        #expect(framer.append(Array("{\"a\":".utf8)) == [])
        #expect(
            framer.append(Array("1}\n{\"b\":2}\n{\"c\"".utf8)) == [
                .line(Array("{\"a\":1}".utf8)), .line(Array("{\"b\":2}".utf8)),
            ])
        #expect(framer.pendingByteCount == 4)
        #expect(framer.append(Array(":3}\n".utf8)) == [.line(Array("{\"c\":3}".utf8))])
    }

    @Test func skipsEmptyLines() {
        var framer = LineFramer()
        #expect(framer.append(Array("\n\n{}\n\n".utf8)) == [.line(Array("{}".utf8))])
    }

    @Test func reportsAnOverlongLineOnceAndThenRefusesEverything() {
        var framer = LineFramer(limit: 8)
        #expect(framer.append(Array("12345678\n".utf8)) == [.line(Array("12345678".utf8))])
        #expect(framer.append(Array("123456789".utf8)) == [.tooLarge])
        #expect(framer.append(Array("\n{}\n".utf8)) == [])
    }

    @Test func aLineTooLongAcrossReadsIsCaughtAfterTheLinesBeforeIt() {
        var framer = LineFramer(limit: 8)
        #expect(framer.append(Array("ok\n1234".utf8)) == [.line(Array("ok".utf8))])
        #expect(framer.append(Array("5678".utf8)) == [])
        #expect(framer.pendingByteCount == 8)
        #expect(framer.append(Array("\n{}\n123".utf8)) == [.line(Array("12345678".utf8)), .line(Array("{}".utf8))])
        #expect(framer.append(Array("456789\n".utf8)) == [.tooLarge])
    }

    @Test func aSequenceWithoutContiguousStorageFramesTheSame() {
        var framer = LineFramer()
        #expect(framer.append("a\nbc\n".utf8.lazy.map { $0 }) == [.line([0x61]), .line([0x62, 0x63])])
    }

    @Test func theDefaultLimitIs64KiB() {
        var framer = LineFramer()
        #expect(framer.append([UInt8](repeating: 0x61, count: 65_536)) == [])
        #expect(framer.append([0x61]) == [.tooLarge])
    }
}
