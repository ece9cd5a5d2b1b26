import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// A connection whose replies pile up stops being read until they drain (issue 18, case 5;
/// the long attack is in TortureTests). Here: nothing is lost on the way, even when the
/// client has already shut down its sending side.
@Suite(.serialized) struct BackpressureTests {
    typealias Harness = DaemonTests.Harness

    @Test func pipelinedRequestsAfterAHalfCloseAreAllAnsweredInOrder() throws {
        let harness = try Harness()
        let fd = try rawConnection(harness.socket, timeout: 20)
        defer { close(fd) }
        let count = 600
        var payload: [UInt8] = []
        for id in 1...count { payload += Array(#"{"v":1,"id":\#(id),"cmd":"next","count":100}"#.utf8) + [0x0A] }
        let requests = payload
        // A writer thread: the daemon stops reading once ~256 KiB of replies wait for us.
        let writer = Thread {
            var sent = 0
            while sent < requests.count {
                let n = requests[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            shutdown(fd, Int32(SHUT_WR))
        }
        writer.start()
        var ids: [Int] = []
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            buffer += chunk[0..<got]
            var start = 0
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                let object = try? JSONSerialization.jsonObject(with: Data(buffer[start..<newline])) as? [String: Any]
                ids.append((object?["ok"] as? Bool == true ? object?["id"] as? Int : nil) ?? -1)
                start = newline + 1
            }
            buffer.removeFirst(start)
        }
        #expect(
            ids == Array(1...count),
            "got \(ids.count) replies; first wrong: \(ids.enumerated().first { $0.element != $0.offset + 1 }.map { "\($0)" } ?? "none")"
        )
        // The daemon closed the connection after the last reply, and serves others.
        #expect(harness.daemon.queue.sync { harness.daemon.server.connectionCount } == 0)
        #expect(try harness.call(Request.Status()).get().journal == "ok")
    }
}
