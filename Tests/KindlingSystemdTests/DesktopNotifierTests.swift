import Testing

@testable import KindlingSystemd

/// The parts of DesktopNotifier that need no bus; the end-to-end tests run it against dunst.
@Suite struct DesktopNotifierTests {
    @Test func theSessionBusIsFoundAsDesignSays() {
        #expect(
            DesktopNotifier.sessionBusAddress(environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/x/bus"]) == "unix:path=/x/bus"
        )
        #expect(
            DesktopNotifier.sessionBusAddress(environment: ["DBUS_SESSION_BUS_ADDRESS": "", "XDG_RUNTIME_DIR": "/run/user/7"])
                == "unix:path=/run/user/7/bus")
        #expect(DesktopNotifier.sessionBusAddress(environment: [:]) == nil)
    }

    @Test(
        arguments: [
            ("unix:path=/run/user/1000/bus", "/run/user/1000/bus"),
            ("unix:path=/tmp/a%20b/bus,guid=0123", "/tmp/a b/bus"),
            ("unix:guid=9,path=/tmp/bus;tcp:host=x", "/tmp/bus"),
            ("unix:abstract=/tmp/dbus-X", nil),
            ("tcp:host=localhost,port=1", nil),
        ] as [(String, String?)])
    func theSocketToWatchComesFromTheAddress(address: String, path: String?) {
        #expect(DesktopNotifier.socketPath(of: address) == path)
    }

    @Test func promptTextIsNeverTakenForMarkup() {
        #expect(DesktopNotifier.escapeMarkup("<b>you</b> & me") == "&lt;b&gt;you&lt;/b&gt; &amp; me")
    }
}
