import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// Hundreds of waiting prompts (only `kindling fire` in a loop makes that many) must not
/// push `status` or `pending` past the protocol's 64 KiB line.
@Suite(.serialized) struct PendingLimitTests {
    @Test func statusAndPendingStayWithinOneLine() throws {
        let harness = try DaemonTests.Harness(config: "timezone = \"UTC\"\n")
        var last: PromptResult?
        for _ in 0..<400 {
            harness.clock.advance(by: 1)
            last = try harness.call(Request.Fire(slot: "nudge")).get()
        }

        let client = ControlClient(socketPath: harness.socket)
        for request: any ControlVerb in [Request.Status(), Request.Pending()] {
            let line = try client.sendRaw(request)
            #expect(line.count < ControlProtocol.maxLineBytes, "\(request): \(line.count) bytes")
        }
        let status = try harness.call(Request.Status()).get()
        #expect(status.pending.count > 20 && status.pending.count < 400, "\(status.pending.count) listed")
        #expect(status.pending.last?.id == last?.id, "the newest prompt must be listed")
        let pending = try harness.call(Request.Pending()).get()
        #expect(pending.pending == status.pending)
    }
}
