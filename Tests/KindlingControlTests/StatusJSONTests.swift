import Foundation
import KindlingControl
import Testing

/// The hand-written `status` and `pending` JSON against JSONEncoder and JSONDecoder.
@Suite struct StatusJSONTests {
    static let tricky = ExportEntryJSONTests.tricky

    static func sample(_ text: String, full: Bool) -> StatusResult {
        var status = StatusResult(
            version: "0.1.0", pid: 4242, uptimeS: full ? 12.345 : 100, paused: full,
            pausedUntil: full ? "2026-11-22T08:00:00.000+01:00" : nil,
            timezone: "Europe/Berlin",
            next: full ? [.init(slot: "intention", at: "2026-11-22T08:00:00.000+01:00"), .init(slot: text, at: "b")] : [],
            pending: full
                ? [
                    .init(id: 3, slot: "nudge", text: text, firedAt: "2026-11-21T10:00:00.000+01:00", expiresAt: nil),
                    .init(
                        id: 9_000_000_000, slot: "water", text: "b", firedAt: "f", expiresAt: "e", status: "snoozed",
                        until: "2026-11-21T10:10:00.000+01:00"),
                ] : [],
            configPath: "/home/a/.config/kindling/config.toml", databasePath: "/d/journal.sqlite", socketPath: "/run/s",
            notifications: full ? "connected" : "unavailable", journal: full ? "ok" : text, statusLine: "next: \(text)",
            lastError: full ? text : nil)
        if full {
            status.program = "Widening circle, week 1 of 4: yourself"
            status.today = "2026-11-21"
            status.todaysIntention = text
            status.streak = 7
            status.desktop = .init(
                bus: "unix:path=/run/user/1000/bus", busConnected: true, server: "dunst 1.9.0", capabilities: ["actions", text],
                doNotDisturb: true, quietSources: ["xfce4-notifyd", text],
                quietReadings: [.init(source: "dunst", reading: "off"), .init(source: text, reading: "quiet")])
            status.calendar = .init(
                path: "/home/a/\(text).ics", files: 2, eventsToday: 5, holds: true, busyUntil: "2026-11-21T10:50:00.000+01:00",
                problems: [text, "/home/a/b.ics: is malformed"])
            status.calls = .init(
                holds: true, pipewire: "connected", holders: ["\(text) (microphone)", "zoom (camera)"], ignored: [text])
            status.encryption = .init(journal: "locked", key: nil, detail: text, cipher: "4.6.1 community")
        } else {
            status.desktop = .init(bus: nil, busConnected: false, server: nil, capabilities: [], doNotDisturb: true)
            if text.count % 2 == 0 {
                status.calendar = .init(path: "p", files: 0, eventsToday: 0, holds: false, busyUntil: nil, problems: [])
                status.calls = .init(holds: false, pipewire: "failed", problem: text, holders: [], ignored: [])
                status.encryption = .init(journal: "encrypted", key: "keyring", detail: nil, cipher: text)
            }
        }
        return status
    }

    @Test(arguments: tricky, [true, false])
    func theHandWrittenResponseIsExactlyWhatJSONEncoderWrites(text: String, full: Bool) throws {
        let status = Self.sample(text, full: full)
        let reference = try ControlProtocol.makeEncoder().encode(ResponseEnvelope(id: 17, result: status))
        #expect(String(decoding: status.responseLine(id: 17), as: UTF8.self) == String(decoding: reference, as: UTF8.self))

        let pending = PendingResult(pending: status.pending)
        let pendingReference = try ControlProtocol.makeEncoder().encode(ResponseEnvelope(id: 3, result: pending))
        #expect(String(decoding: pending.responseLine(id: 3), as: UTF8.self) == String(decoding: pendingReference, as: UTF8.self))
    }

    @Test(arguments: tricky, [true, false])
    func readingItBackGivesTheSameResult(text: String, full: Bool) throws {
        let status = Self.sample(text, full: full)
        let encoded = Array(try ControlProtocol.makeEncoder().encode(status))
        let json = try #require(JSONValue.parse(encoded))
        #expect(StatusResult(json: json) == status)
        // The same bytes JSONEncoder prints with --json.
        let encoder = ControlProtocol.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        #expect(
            String(decoding: json.prettyPrinted(), as: UTF8.self) == String(decoding: try encoder.encode(status), as: UTF8.self))
    }

    @Test func aResultWithAMissingOrMistypedKeyIsRefused() throws {
        var compact: [UInt8] = []
        Self.sample("x", full: true).appendJSON(to: &compact)
        guard case .object(var members) = try #require(JSONValue.parse(compact)) else {
            Issue.record("not an object")
            return
        }
        #expect(StatusResult(json: .object(members)) != nil)
        members["paused"] = .string("no")
        #expect(StatusResult(json: .object(members)) == nil)
        members["paused"] = nil
        #expect(StatusResult(json: .object(members)) == nil)
    }

    /// `quiet_sources` and `quiet_readings` came later: a status without them is still read.
    @Test func aDesktopWithoutTheQuietFieldsIsStillRead() throws {
        var compact: [UInt8] = []
        Self.sample("x", full: true).appendJSON(to: &compact)
        guard case .object(var members) = try #require(JSONValue.parse(compact)),
            case .object(var desktop)? = members["desktop"]
        else {
            Issue.record("no desktop object")
            return
        }
        desktop["quiet_sources"] = nil
        desktop["quiet_readings"] = nil
        members["desktop"] = .object(desktop)
        let read = try #require(StatusResult(json: .object(members)))
        #expect(read.desktop?.quietSources == nil && read.desktop?.quietReadings == nil)
        #expect(read.desktop?.doNotDisturb == true)
        desktop["quiet_sources"] = .string("dunst")
        members["desktop"] = .object(desktop)
        #expect(StatusResult(json: .object(members)) == nil, "a mistyped quiet_sources is refused")
    }
}

@Suite struct JSONValueTests {
    @Test(arguments: [
        (#"{"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude0a\n"],"b":{}}"#, true),
        (" [ ] ", true), (#""\/""#, true), ("0", true), ("-0.0E+1", true),
        ("", false), ("{", false), ("[1,]", false), (#"{"a":1,}"#, false), ("01", false), ("1.", false), ("+1", false),
        (#""\ud83d""#, false), (#""\x""#, false), ("\"a\u{1}\"", false), ("nul", false), ("[1] x", false), ("{'a':1}", false),
        (String(repeating: "[", count: 65) + String(repeating: "]", count: 65), false),
        (String(repeating: "[", count: 64) + String(repeating: "]", count: 64), true),
    ])
    func acceptsJSONAndNothingElse(text: String, valid: Bool) {
        #expect((JSONValue.parse(Array(text.utf8)) != nil) == valid, "\(text)")
    }

    @Test func refusesInvalidUTF8InStrings() {
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(JSONValue.parse([0x22, 0xC3, 0xA9, 0x22]) == .string("é"))
    }

    @Test func readsWhatJSONSerializationReads() throws {
        let text = #"{"s":"a\"b\\c\/d\u0041\t","n":[0,7,7.0,1.5,-3,1e2],"t":true,"z":null}"#
        let value = try #require(JSONValue.parse(Array(text.utf8)))
        #expect(value["s"]?.string == "a\"b\\c/dA\t")
        guard case .array(let numbers)? = value["n"] else {
            Issue.record("no numbers")
            return
        }
        #expect(numbers.map(\.integer) == [0, 7, 7, nil, -3, 100])
        #expect(value["t"]?.bool == true && value["t"]?.integer == nil)
        #expect(value["z"]?.isNull == true)
        // Written back, it reads the same.
        #expect(JSONValue.parse(value.serialized()) == value)
    }
}
