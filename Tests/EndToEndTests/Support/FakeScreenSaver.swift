import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small `org.freedesktop.ScreenSaver` on a test desktop's bus: `GetActive`, and `SetActive`
/// announcing the change with `ActiveChanged`, as KDE, xfce4-screensaver and light-locker offer
/// it. Debian 12 has no locker owning this name that runs headless (xfce4-screensaver is not
/// packaged; light-locker needs LightDM and a logind session), so this stands in for one; the
/// same interface under MATE's name is tested against the real mate-screensaver. Stopped by
/// ``stop()`` and on deinit.
final class FakeScreenSaver: @unchecked Sendable {
    private let root: String
    private let busAddress: String
    private var pid: pid_t = 0
    private let timeout: Double

    var log: String { (try? String(contentsOfFile: root + "/screensaver.log", encoding: .utf8)) ?? "" }

    /// `answerDelay`: seconds `GetActive` takes to answer, as a busy session might. `active`: the
    /// state it starts in.
    init(desktop: DesktopSession, timeout: Double = 10, answerDelay: Double = 0, active: Bool = false) throws {
        self.timeout = timeout
        busAddress = desktop.variables["DBUS_SESSION_BUS_ADDRESS"] ?? ""
        root = try makePrivateDirectory("kindling-screensaver")
        try Self.script.write(toFile: root + "/screensaver.py", atomically: true, encoding: .utf8)
        let ready = root + "/ready"
        pid = try spawnSessionLeader(
            "/usr/bin/python3", [root + "/screensaver.py", busAddress, ready, "\(Int(answerDelay * 1000))", active ? "1" : "0"],
            environment: ["PATH": "/usr/bin:/bin"],
            logPath: root + "/screensaver.log")
        guard waitUntil(timeout: timeout, { FileManager.default.fileExists(atPath: ready) || !isAlive(pid) }), isAlive(pid)
        else {
            let log = self.log
            stop()
            throw TestSetupError("the stand-in org.freedesktop.ScreenSaver did not start (needs python3-gi): \(log)")
        }
    }

    deinit { stop() }

    func stop() {
        stopSessionLeader(pid)
        pid = 0
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Calls `SetActive`, as `xdg-screensaver activate` would.
    func setActive(_ active: Bool) throws {
        let outcome = try run(
            "/usr/bin/gdbus",
            [
                "call", "--address", busAddress, "--dest", "org.freedesktop.ScreenSaver", "--object-path",
                "/org/freedesktop/ScreenSaver", "--method", "org.freedesktop.ScreenSaver.SetActive", "\(active)",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("SetActive failed: \(outcome)\n\(log)") }
    }

    static let script = """
        import sys
        from gi.repository import Gio, GLib

        address, ready, delay_ms, active = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
        NAME = "org.freedesktop.ScreenSaver"
        PATH = "/org/freedesktop/ScreenSaver"
        XML = '''
        <node>
          <interface name="org.freedesktop.ScreenSaver">
            <method name="GetActive"><arg type="b" direction="out"/></method>
            <method name="SetActive"><arg type="b" direction="in"/><arg type="b" direction="out"/></method>
            <signal name="ActiveChanged"><arg type="b"/></signal>
          </interface>
        </node>
        '''
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        state = {"active": active}
        connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)

        def call(conn, sender, path, interface, method, parameters, invocation):
            if method == "SetActive":
                state["active"] = parameters.unpack()[0]
                conn.emit_signal(None, PATH, NAME, "ActiveChanged", GLib.Variant("(b)", (state["active"],)))
            answer = GLib.Variant("(b)", (state["active"],))
            if method == "GetActive" and delay_ms > 0:
                GLib.timeout_add(delay_ms, lambda: invocation.return_value(answer) and False)
            else:
                invocation.return_value(answer)

        connection.register_object(PATH, node.interfaces[0], call, None, None)
        connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "RequestName", GLib.Variant("(su)", (NAME, 4)), None, Gio.DBusCallFlags.NONE, -1, None)
        open(ready, "w").close()
        GLib.MainLoop().run()

        """
}
