import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// Whatever arrives on the socket, the daemon answers well-formed clients and stays up.
@Suite(.serialized) struct HostileInputTests {
    typealias Harness = DaemonTests.Harness

    @Test func randomAndMutatedFramesNeverTakeTheDaemonDown() throws {
        let harness = try Harness()
        var generator = SystemRandomNumberGenerator()
        let valid = Array(#"{"v":1,"id":1,"cmd":"status"}"#.utf8)
        let shapes: [[UInt8]] = [
            Array(#"{"v":1,"id":2,"cmd":"respond","prompt_id":"x","text":7}"#.utf8),
            Array(#"{"v":1,"id":3,"cmd":"next","count":1e308}"#.utf8),
            Array(#"{"v":1,"id":true,"cmd":"status"}"#.utf8),
            Array(String(repeating: "[", count: 100_000).utf8),
            [0xC0, 0xAF, 0xFF, 0xFE, 0x7B, 0x7D],
            Array(#"{"v":1,"id":4,"cmd":"pause","until":"99:99"}"#.utf8),
            Array(#"{"v":1,"id":5,"cmd":"fire","slot":"\u0000\u001b[2J"}"#.utf8),
        ]
        for round in 0..<2000 {
            var frame: [UInt8]
            switch round % 3 {
            case 0:
                frame = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1:
                frame = valid
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    frame[Int.random(in: 0..<frame.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            default: frame = shapes[round % shapes.count]
            }
            let fd = try rawConnection(harness.socket)
            _ = (frame + [0x0A]).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // Half the clients vanish before reading their answer.
            if round % 2 == 0 {
                var byte: UInt8 = 0
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                _ = recv(fd, &byte, 1, 0)
            }
            close(fd)
        }
        // Still serving, with every connection closed again.
        #expect(try harness.call(Request.Status()).get().journal == "ok")
        // Clients' hang-ups reach the daemon asynchronously: give them a moment.
        var open = Int.max
        for _ in 0..<200 where open > 0 {
            open = harness.daemon.queue.sync { harness.daemon.server.connectionCount }
            usleep(10_000)
        }
        #expect(open == 0, "\(open) connections still open")
    }
}
