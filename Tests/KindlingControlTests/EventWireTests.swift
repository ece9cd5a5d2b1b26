import Foundation
import KindlingControl
import Testing

/// The watch stream's event names are typed in the code and unchanged on the wire: clients
/// (`watch --json`, people's scripts) read exactly the names DESIGN.md lists.
struct EventWireTests {
    static let designNames = [
        "pending", "fired", "answered", "snoozed", "skipped", "missed", "expired", "paused", "resumed", "reloaded",
    ]

    @Test func everyNameDesignListsRoundTripsUnchanged() throws {
        for name in Self.designNames {
            let line = Data(#"{"event":"\#(name)","id":4}"#.utf8)
            let event = try ControlProtocol.makeDecoder().decode(Event.self, from: line)
            #expect(event.event.rawValue == name)
            let encoded = String(decoding: try ControlProtocol.makeEncoder().encode(event), as: UTF8.self)
            #expect(encoded.contains(#""event":"\#(name)""#), "\(encoded)")
        }
    }

    @Test func aFiredEventIsWrittenAsDesignShowsIt() throws {
        let event = Event(event: .fired, id: 41, slot: "intention", text: "...")
        let encoded = String(decoding: try ControlProtocol.makeEncoder().encode(event), as: UTF8.self)
        #expect(encoded.hasPrefix(#"{"event":"fired","id":41,"slot":"intention","text":"..."#), "\(encoded)")
    }
}
