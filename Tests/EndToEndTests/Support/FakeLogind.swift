import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private bus standing in for the system bus, with a small `org.freedesktop.login1` on it:
/// `/org/freedesktop/login1/user/self` names one display session, and that session has a
/// `LockedHint` that `SetLockedHint` changes and announces with `PropertiesChanged`, as logind
/// does. Tests cannot run the real logind (it needs PID 1 and a seat), so this serves only the
/// part of its interface Kindling reads. Stopped by ``stop()`` and on deinit.
final class FakeLogind: @unchecked Sendable {
    static let sessionPath = "/org/freedesktop/login1/session/_32"

    let root: String
    /// The address to hand the daemon as `DBUS_SYSTEM_BUS_ADDRESS`.
    private(set) var busAddress = ""
    private var busPID: pid_t = 0
    private var servicePID: pid_t = 0
    private let timeout: Double

    var serviceLog: String { (try? String(contentsOfFile: root + "/login1.log", encoding: .utf8)) ?? "" }

    init(timeout: Double = 10) throws {
        self.timeout = timeout
        root = try makePrivateDirectory("kindling-logind")
        do {
            try start()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    func stop() {
        stopSessionLeader(servicePID)
        servicePID = 0
        stopSessionLeader(busPID)
        busPID = 0
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Calls the session's `SetLockedHint`, as a screen locker tells logind.
    func setLockedHint(_ locked: Bool) throws {
        // gdbus registers with Hello on an --address bus; dbus-send would not, and be refused.
        let outcome = try run(
            "/usr/bin/gdbus",
            [
                "call", "--address", busAddress, "--dest", "org.freedesktop.login1", "--object-path", Self.sessionPath,
                "--method", "org.freedesktop.login1.Session.SetLockedHint", "\(locked)",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: timeout)
        guard outcome.status == 0 else { throw TestSetupError("SetLockedHint failed: \(outcome)\n\(serviceLog)") }
    }

    private func start() throws {
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path=\(root)/system_bus_socket</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>

            """
        try config.write(toFile: root + "/bus.conf", atomically: true, encoding: .utf8)
        try Self.script.write(toFile: root + "/login1.py", atomically: true, encoding: .utf8)
        let addressFile = root + "/bus.address"
        busPID = try spawnSessionLeader(
            "/usr/bin/dbus-daemon", ["--config-file=" + root + "/bus.conf", "--nofork", "--print-address"],
            environment: ["PATH": "/usr/bin:/bin"], logPath: addressFile, errorLogPath: root + "/bus.log")
        let up = waitUntil(timeout: timeout) { contents(addressFile).hasSuffix("\n") || !isAlive(busPID) }
        busAddress = contents(addressFile).trimmingCharacters(in: .whitespacesAndNewlines)
        guard up, !busAddress.isEmpty else {
            throw TestSetupError("the fake system bus did not start: \(contents(root + "/bus.log"))")
        }

        let ready = root + "/login1.ready"
        servicePID = try spawnSessionLeader(
            "/usr/bin/python3", [root + "/login1.py", busAddress, ready], environment: ["PATH": "/usr/bin:/bin"],
            logPath: root + "/login1.log")
        guard waitUntil(timeout: timeout, { FileManager.default.fileExists(atPath: ready) || !isAlive(servicePID) }),
            isAlive(servicePID)
        else {
            throw TestSetupError("the fake login1 did not start (needs python3-gi): \(serviceLog)")
        }
    }

    private func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// The service, with GLib's D-Bus (python3-gi): it answers property reads itself.
    static let script = """
        import sys
        from gi.repository import Gio, GLib

        address, ready = sys.argv[1], sys.argv[2]
        SESSION = "\(sessionPath)"
        XML = '''
        <node>
          <interface name="org.freedesktop.login1.User">
            <property name="Display" type="(so)" access="read"/>
          </interface>
          <interface name="org.freedesktop.login1.Session">
            <property name="LockedHint" type="b" access="read"/>
            <method name="SetLockedHint"><arg name="locked" type="b" direction="in"/></method>
          </interface>
        </node>
        '''
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        state = {"locked": False}
        connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)

        def get_property(conn, sender, path, interface, name):
            if name == "Display":
                return GLib.Variant("(so)", ("32", SESSION))
            return GLib.Variant("b", state["locked"])

        def call(conn, sender, path, interface, method, parameters, invocation):
            state["locked"] = parameters.unpack()[0]
            conn.emit_signal(None, SESSION, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                GLib.Variant("(sa{sv}as)", ("org.freedesktop.login1.Session",
                                            {"LockedHint": GLib.Variant("b", state["locked"])}, [])))
            invocation.return_value(None)

        connection.register_object("/org/freedesktop/login1/user/self", node.interfaces[0], None, get_property, None)
        connection.register_object(SESSION, node.interfaces[1], call, get_property, None)
        reply = connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "RequestName", GLib.Variant("(su)", ("org.freedesktop.login1", 4)), None, Gio.DBusCallFlags.NONE, -1, None)
        print("RequestName:", reply.unpack()[0], flush=True)
        open(ready, "w").close()
        GLib.MainLoop().run()

        """
}
