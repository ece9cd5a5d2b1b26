import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small `org.freedesktop.Notifications` in the manner of KDE Plasma's: it names itself
/// "Plasma", keeps do-not-disturb in its `Inhibited` property (announced with
/// `PropertiesChanged`), and turns it on with `Inhibit` and off with `UnInhibit`, as Plasma
/// does for an application that asks (a presentation, say). Plasma's server lives inside
/// plasmashell, which does not run headless, so this stands in for it; it shows nothing and
/// answers each `Notify` with a new id (the test reads the calls from a bus monitor). Stopped
/// by ``stop()`` and on deinit.
final class FakePlasmaNotifications: @unchecked Sendable {
    private let root: String
    private let busAddress: String
    private var pid: pid_t = 0
    private let timeout: Double

    var log: String { (try? String(contentsOfFile: root + "/plasma.log", encoding: .utf8)) ?? "" }

    init(desktop: DesktopSession, timeout: Double = 10) throws {
        self.timeout = timeout
        busAddress = desktop.variables["DBUS_SESSION_BUS_ADDRESS"] ?? ""
        root = try makePrivateDirectory("kindling-plasma")
        try Self.script.write(toFile: root + "/plasma.py", atomically: true, encoding: .utf8)
        let ready = root + "/ready"
        pid = try spawnSessionLeader(
            "/usr/bin/python3", [root + "/plasma.py", busAddress, ready], environment: ["PATH": "/usr/bin:/bin"],
            logPath: root + "/plasma.log")
        guard waitUntil(timeout: timeout, { FileManager.default.fileExists(atPath: ready) || !isAlive(pid) }), isAlive(pid)
        else {
            let log = self.log
            stop()
            throw TestSetupError("the stand-in Plasma notification server did not start (needs python3-gi): \(log)")
        }
    }

    deinit { stop() }

    func stop() {
        stopSessionLeader(pid)
        pid = 0
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Calls `Inhibit` (do-not-disturb on) and returns its cookie.
    func inhibit() throws -> UInt32 {
        let outcome = try call("Inhibit", ["kindling-test", "a test", "{}"])
        let digits = outcome.split(whereSeparator: { !$0.isNumber }).last.map(String.init) ?? ""
        guard let cookie = UInt32(digits) else { throw TestSetupError("Inhibit answered \(outcome)") }
        return cookie
    }

    /// Calls `UnInhibit` with `cookie` (do-not-disturb off once no inhibition is left).
    func uninhibit(_ cookie: UInt32) throws {
        _ = try call("UnInhibit", ["\(cookie)"])
    }

    private func call(_ method: String, _ arguments: [String]) throws -> String {
        let outcome = try run(
            "/usr/bin/gdbus",
            [
                "call", "--address", busAddress, "--dest", "org.freedesktop.Notifications", "--object-path",
                "/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications." + method,
            ] + arguments, environment: ["PATH": "/usr/bin:/bin"], timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("\(method) failed: \(outcome)\n\(log)") }
        return outcome.stdout
    }

    static let script = """
        import sys
        from gi.repository import Gio, GLib

        address, ready = sys.argv[1], sys.argv[2]
        NAME = "org.freedesktop.Notifications"
        PATH = "/org/freedesktop/Notifications"
        XML = '''
        <node>
          <interface name="org.freedesktop.Notifications">
            <method name="GetServerInformation">
              <arg type="s" direction="out"/><arg type="s" direction="out"/>
              <arg type="s" direction="out"/><arg type="s" direction="out"/>
            </method>
            <method name="GetCapabilities"><arg type="as" direction="out"/></method>
            <method name="Notify">
              <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
              <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
              <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
            </method>
            <method name="CloseNotification"><arg type="u" direction="in"/></method>
            <method name="Inhibit">
              <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="a{sv}" direction="in"/>
              <arg type="u" direction="out"/>
            </method>
            <method name="UnInhibit"><arg type="u" direction="in"/></method>
            <property name="Inhibited" type="b" access="read"/>
            <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
            <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
          </interface>
        </node>
        '''
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        state = {"next": 1, "cookies": set(), "cookie": 0}
        connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)

        def announce(conn):
            changed = {"Inhibited": GLib.Variant("b", bool(state["cookies"]))}
            conn.emit_signal(None, PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                GLib.Variant("(sa{sv}as)", (NAME, changed, [])))

        def call(conn, sender, path, interface, method, parameters, invocation):
            if method == "GetServerInformation":
                invocation.return_value(GLib.Variant("(ssss)", ("Plasma", "KDE", "5.27.5", "1.2")))
            elif method == "GetCapabilities":
                invocation.return_value(GLib.Variant("(as)", (["body", "actions", "inhibitions"],)))
            elif method == "Notify":
                state["next"] += 1
                invocation.return_value(GLib.Variant("(u)", (state["next"],)))
            elif method == "CloseNotification":
                invocation.return_value(None)
                conn.emit_signal(None, PATH, NAME, "NotificationClosed",
                    GLib.Variant("(uu)", (parameters.unpack()[0], 3)))
            elif method == "Inhibit":
                state["cookie"] += 1
                state["cookies"].add(state["cookie"])
                invocation.return_value(GLib.Variant("(u)", (state["cookie"],)))
                announce(conn)
            elif method == "UnInhibit":
                state["cookies"].discard(parameters.unpack()[0])
                invocation.return_value(None)
                announce(conn)

        def get_property(conn, sender, path, interface, name):
            return GLib.Variant("b", bool(state["cookies"]))

        connection.register_object(PATH, node.interfaces[0], call, get_property, None)
        connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "RequestName", GLib.Variant("(su)", (NAME, 4)), None, Gio.DBusCallFlags.NONE, -1, None)
        open(ready, "w").close()
        GLib.MainLoop().run()

        """
}
