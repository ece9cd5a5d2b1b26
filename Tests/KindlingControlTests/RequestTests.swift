import Foundation
import KindlingControl
import Testing

@Suite struct RequestTests {
    private func decode(_ text: String) -> Result<RequestEnvelope, RequestDecodingError> {
        RequestEnvelope.decode(Data(text.utf8))
    }

    @Test func roundTripsEveryRequest() throws {
        for request: any ControlVerb in [Request.Status(), Request.Reload()] {
            let line = RequestEnvelope(id: 42, request: request).encoded()
            #expect(!line.contains(UInt8(ascii: "\n")))
            #expect(try decode(String(decoding: line, as: UTF8.self)).get() == RequestEnvelope(id: 42, request: request))
        }
    }

    @Test func everyKindOfRequestSurvivesTheWire() throws {
        let text = "quote \" backslash \\ slash / newline \n tab \t control \u{1} unicode 😊"
        let entry = ExportEntry(
            type: "note", id: 9_007_199_254, at: "2026-11-21T08:00:00.000-03:30", localDate: "2026-11-21", text: text,
            slot: nil, prompt: nil, kind: "given", mood: nil, energy: 5, channel: nil, editedAt: nil)
        let requests: [any ControlVerb] = [
            Request.Status(), Request.Reload(), Request.Pending(), Request.Watch(), Request.Resume(), Request.Export(),
            Request.Next(count: 3, from: "2026-11-21T08:00:00Z"),
            Request.Next(count: 5, from: nil), Request.Fire(slot: text),
            Request.Respond(id: 41, text: text, mood: 3, energy: nil, channel: "cli"),
            Request.Respond(id: nil, text: "", mood: nil, energy: 1, channel: "desktop"), Request.Snooze(id: 2, duration: "10m"),
            Request.Skip(id: nil), Request.Pause(duration: nil, until: "21:00"), Request.Note(text: text, kind: "received"),
            Request.Note(text: text, kind: nil, mood: 4, energy: 1), Request.Entry(id: 7),
            Request.Edit(id: 7, text: nil, mood: 5, energy: nil),
            Request.Edit(id: 7, text: "new", mood: nil, energy: nil, expected: text),
            Request.Delete(id: 8), Request.Erase(),
            Request.Journal(since: "today", until: nil, slot: "nudge", search: text, limit: 30), Request.Stats(weeks: 12),
            Request.Backup(output: "/tmp/b.sqlite"), Request.Backup(output: "/tmp/b.sqlite", replace: true),
            Request.Restore(path: "/tmp/b.sqlite"),
            Request.Import(entries: [entry, entry]), Request.Import(entries: [entry], more: true),
            Request.Import(entries: [], more: true),
            Request.Week(date: "2026-11-18"), Request.Week(date: nil), Request.Breathe(), Request.PromptList(),
            Request.PromptHide(key: "nudge.hold-a-door"), Request.PromptShow(key: text),
            Request.Report(since: nil, until: nil),
            Request.Report(since: "2026-01-01", until: "today", withText: true, entries: [3, 9_007_199_254]),
        ]
        for request in requests {
            let line = RequestEnvelope(id: 42, request: request).encoded()
            #expect(!line.contains(UInt8(ascii: "\n")))
            #expect(try RequestEnvelope.decode(line).get() == RequestEnvelope(id: 42, request: request), "\(request)")
            // Valid JSON for any other reader too, with the keys sorted.
            let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
            #expect(object["cmd"] as? String == type(of: request).wireName)
            let keys = try #require(JSONValue.parse(Array(line))).serialized()
            #expect(keys == Array(line), "keys are written sorted")
        }
    }

    @Test(arguments: [
        ("not json", ControlError.Code.badRequest, nil as Int?),
        ("[1,2]", .badRequest, nil),
        (#"{"id":3,"cmd":"status"}"#, .badRequest, 3),
        (#"{"v":2,"id":3,"cmd":"status"}"#, .unsupportedVersion, 3),
        (#"{"v":1,"cmd":"status"}"#, .badRequest, nil),
        (#"{"v":1,"id":4}"#, .badRequest, 4),
        (#"{"v":1,"id":5,"cmd":"dance"}"#, .unknownCommand, 5),
        (#"{"v":1,"id":1.5,"cmd":"status"}"#, .badRequest, nil),
        // Erasing everything is never implied: it takes "all": true, not a missing or other value.
        (#"{"v":1,"id":6,"cmd":"erase"}"#, .badRequest, 6),
        (#"{"v":1,"id":6,"cmd":"erase","all":1}"#, .badRequest, 6),
        (#"{"v":1,"id":8,"cmd":"report","entry_ids":["3"]}"#, .badRequest, 8),
        (#"{"v":1,"id":8,"cmd":"report","entry_ids":3}"#, .badRequest, 8),
        (#"{"v":1,"id":8,"cmd":"report","with_text":"yes"}"#, .badRequest, 8),
    ])
    func refusesBadRequestsWithTheRightCode(line: String, code: ControlError.Code, id: Int?) {
        switch decode(line) {
        case .success(let envelope): Issue.record("accepted \(line) as \(envelope)")
        case .failure(let failure):
            #expect(failure.error.code == code, "\(line)")
            #expect(failure.id == id, "\(line)")
        }
    }

    @Test func invalidUTF8IsABadRequest() {
        guard case .failure(let failure) = RequestEnvelope.decode(Data([0x7B, 0xFF, 0xFE, 0x7D])) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(failure.error.code == .badRequest)
    }

    @Test func responsesUseSnakeCaseKeys() throws {
        let envelope = ResponseEnvelope(id: 9, result: ReloadResult(configPath: "/c.toml", statusLine: "next: x"))
        let text = String(decoding: try ControlProtocol.makeEncoder().encode(envelope), as: UTF8.self)
        #expect(text == #"{"id":9,"ok":true,"result":{"config_path":"/c.toml","status_line":"next: x"},"v":1}"#)
        let error = ResponseEnvelope<EmptyResult>(id: 3, error: ControlError(.notFound, "no such prompt"))
        let errorText = String(decoding: try ControlProtocol.makeEncoder().encode(error), as: UTF8.self)
        #expect(errorText == #"{"error":{"code":"not_found","message":"no such prompt"},"id":3,"ok":false,"v":1}"#)
    }
}

@Suite struct StatusResultTests {
    @Test func everyContractKeyIsPresentEvenWhenEmpty() throws {
        let status = StatusResult(
            version: "1.0.0", pid: 1, uptimeS: 2, paused: false, pausedUntil: nil, timezone: "UTC", next: [],
            pending: [.init(id: 1, slot: "intention", text: "t", firedAt: "f", expiresAt: nil)],
            configPath: "c", databasePath: "d", socketPath: "s", notifications: "unavailable", journal: "ok",
            statusLine: "l", lastError: nil)
        let object = try JSONSerialization.jsonObject(with: ControlProtocol.makeEncoder().encode(status)) as! [String: Any]
        for key in [
            "version", "pid", "uptime_s", "paused", "paused_until", "timezone", "next", "pending", "config_path",
            "database_path", "socket_path", "notifications", "last_error",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["last_error"] is NSNull)
        let pending = (object["pending"] as! [[String: Any]])[0]
        #expect(Set(pending.keys) == ["id", "slot", "text", "fired_at", "expires_at", "status", "until", "ask_mood"])
        #expect(
            try ControlProtocol.makeDecoder().decode(StatusResult.self, from: ControlProtocol.makeEncoder().encode(status))
                == status)
    }
}
