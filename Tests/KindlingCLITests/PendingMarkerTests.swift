import Testing

@testable import KindlingCLI

@Suite struct PendingMarkerTests {
    @Test func onlyTheShellPromptFormTakesTheFastPath() {
        #expect(PendingMarker.matches(["pending", "--short"]) == .init(socket: nil))
        #expect(PendingMarker.matches(["--socket", "/s", "pending", "--short"]) == .init(socket: "/s"))
        #expect(PendingMarker.matches(["pending", "--short", "--socket", "/s"]) == .init(socket: "/s"))
        #expect(PendingMarker.matches(["pending"]) == nil)
        #expect(PendingMarker.matches(["pending", "--short", "--json"]) == nil)
        #expect(PendingMarker.matches(["status"]) == nil)
    }

    @Test func onlyExactFormsSkipTheParser() {
        #expect(FastPath.match(["--version"]) == .version)
        #expect(FastPath.match(["status"]) == .status(socket: nil, json: false))
        #expect(FastPath.match(["status", "--json", "--socket", "/s"]) == .status(socket: "/s", json: true))
        #expect(FastPath.match(["--json", "status"]) == .status(socket: nil, json: true))
        for other in [
            ["status", "--help"], ["status", "extra"], ["--version", "status"], ["--socket"],
            ["status", "--socket"], ["status", "--socket", "--json"], ["--socket", "-s", "status"],
        ] {
            #expect(FastPath.match(other) == nil, "\(other)")
        }
    }

    @Test func countsThePromptsInAResponseAndNothingElse() {
        let two =
            #"{"id":1,"ok":true,"result":{"pending":[{"expires_at":"x","fired_at":"y","id":3,"slot":"nudge","text":"a \",\"slot\": trick"},{"expires_at":null,"fired_at":"y","id":4,"slot":"water","text":"b"}]},"v":1}"#
        #expect(PendingMarker.waitingCount(in: Array(two.utf8)) == 2)
        #expect(PendingMarker.waitingCount(in: Array(#"{"id":1,"ok":true,"result":{"pending":[]},"v":1}"#.utf8)) == 0)
        let error = #"{"error":{"code":"storage","message":"x,\"slot\":"},"id":1,"ok":false,"v":1}"#
        #expect(PendingMarker.waitingCount(in: Array(error.utf8)) == 0)
    }
}
