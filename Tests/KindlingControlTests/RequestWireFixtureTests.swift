import Foundation
import KindlingControl
import Testing

/// Holds the request wire to ``RequestWireFixtures``: every verb, in both directions.
@Suite struct RequestWireFixtureTests {
    /// Every wire name DESIGN.md's clients use today.
    static let wireNames: Set<String> = [
        "status", "reload", "next", "pending", "watch", "fire", "respond", "snooze", "skip", "pause", "resume", "note",
        "entry", "edit", "delete", "erase", "journal", "stats", "backup", "restore", "export", "import", "week", "breathe",
        "prompt_list", "prompt_hide", "prompt_show", "report", "program_list", "program_show", "program_add",
        "program_start", "program_stop", "program_skip", "encrypt", "decrypt", "unlock",
    ]

    @Test func everyVerbHasACanonicalLine() throws {
        var names: Set<String> = []
        for fixture in RequestWireFixtures.canonical {
            let object = try #require(JSONValue.parse(Array(fixture.line.utf8)), "\(fixture.line)")
            names.insert(try #require(object["cmd"]?.string))
        }
        #expect(names == Self.wireNames)
    }

    @Test func theRegistryHoldsEveryVerbOnce() {
        let names = Request.verbs.map { $0.wireName }
        #expect(Set(names) == Self.wireNames)
        #expect(names.count == Self.wireNames.count, "a verb is listed twice: \(names)")
    }

    @Test func eachLineDecodesToItsVerbsType() throws {
        for fixture in RequestWireFixtures.canonical {
            let decoded = try RequestEnvelope.decode(Data(fixture.line.utf8)).get().request
            #expect(type(of: decoded) == type(of: fixture.request), "\(fixture.line)")
        }
    }

    @Test(arguments: RequestWireFixtures.canonical.indices)
    func encodesExactlyTheRecordedLine(index: Int) {
        let fixture = RequestWireFixtures.canonical[index]
        let line = RequestEnvelope(id: 7, request: fixture.request).encoded()
        #expect(String(decoding: line, as: UTF8.self) == fixture.line)
    }

    @Test(arguments: RequestWireFixtures.canonical.indices)
    func decodesTheRecordedLine(index: Int) throws {
        let fixture = RequestWireFixtures.canonical[index]
        let envelope = try RequestEnvelope.decode(Data(fixture.line.utf8)).get()
        #expect(envelope == RequestEnvelope(id: 7, request: fixture.request), "\(fixture.line)")
        // The daemon's own buffer takes the same road.
        #expect(try RequestEnvelope.decode(bytes: Array(fixture.line.utf8)).get() == envelope)
    }

    @Test(arguments: RequestWireFixtures.accepted.indices)
    func readsWhatOtherClientsMayWrite(index: Int) throws {
        let fixture = RequestWireFixtures.accepted[index]
        let envelope = try RequestEnvelope.decode(Data(fixture.line.utf8)).get()
        #expect(envelope == RequestEnvelope(id: 7, request: fixture.request), "\(fixture.line)")
    }

    @Test(arguments: RequestWireFixtures.refused.indices)
    func refusesWithTheRecordedAnswer(index: Int) {
        let fixture = RequestWireFixtures.refused[index]
        switch RequestEnvelope.decode(Data(fixture.line.utf8)) {
        case .success(let envelope): Issue.record("accepted \(fixture.line) as \(envelope)")
        case .failure(let failure):
            #expect(failure.id == 7, "\(fixture.line)")
            #expect(failure.error == ControlError(fixture.code, fixture.message), "\(fixture.line)")
        }
    }
}

/// The replies of the verbs whose results are plain values, as the daemon writes them: the
/// verbs' new types must keep pairing each request with the same result shape.
@Suite struct ResponseWireFixtureTests {
    private func line<R: Codable & Sendable>(_ envelope: ResponseEnvelope<R>) throws -> String {
        String(decoding: try ControlProtocol.makeEncoder().encode(envelope), as: UTF8.self)
    }

    private func check<R: Codable & Equatable & Sendable>(_ result: R, _ expected: String) throws {
        #expect(try line(ResponseEnvelope(id: 7, result: result)) == expected)
        let decoded = try ControlProtocol.makeDecoder().decode(ResponseEnvelope<R>.self, from: Data(expected.utf8))
        #expect(decoded.result == result)
    }

    @Test func plainResultsKeepTheirShape() throws {
        try check(
            PromptResult(id: 41, slot: "intention", text: "t", status: "snoozed", until: "2026-11-21T08:10:00.000Z"),
            #"{"id":7,"ok":true,"result":{"id":41,"slot":"intention","status":"snoozed","text":"t","until":"2026-11-21T08:10:00.000Z"},"v":1}"#
        )
        try check(RespondResult(id: 12, promptId: 41), #"{"id":7,"ok":true,"result":{"id":12,"prompt_id":41},"v":1}"#)
        try check(RespondResult(id: 13, promptId: nil), #"{"id":7,"ok":true,"result":{"id":13},"v":1}"#)
        try check(PauseResult(paused: true, pausedUntil: nil), #"{"id":7,"ok":true,"result":{"paused":true},"v":1}"#)
        try check(WatchResult(), #"{"id":7,"ok":true,"result":{"watching":true},"v":1}"#)
        try check(BackupResult(path: "/b/x.sqlite"), #"{"id":7,"ok":true,"result":{"path":"/b/x.sqlite"},"v":1}"#)
        try check(ImportResult(added: 2, skipped: 1), #"{"id":7,"ok":true,"result":{"added":2,"skipped":1},"v":1}"#)
        try check(
            ProgramStateResult(program: "gentle-week", position: "day 2 of 7", step: 2, message: "m"),
            #"{"id":7,"ok":true,"result":{"message":"m","position":"day 2 of 7","program":"gentle-week","step":2},"v":1}"#
        )
    }

    @Test func anErrorHasItsCodeAndMessage() throws {
        let error = ResponseEnvelope<EmptyResult>(id: 7, error: ControlError(.storage, "your answer was NOT saved: x"))
        #expect(
            try line(error)
                == #"{"error":{"code":"storage","message":"your answer was NOT saved: x"},"id":7,"ok":false,"v":1}"#)
        let unread = ResponseEnvelope<EmptyResult>(id: nil, error: ControlError(.badRequest, "the request is not valid JSON"))
        #expect(
            try line(unread) == #"{"error":{"code":"bad_request","message":"the request is not valid JSON"},"ok":false,"v":1}"#)
    }
}
