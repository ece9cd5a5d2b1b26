// A real Secret Service for tests, shared by the tests of SecretStore and the end-to-end tests.
import Foundation
import ProcessFixture

#if canImport(Glibc)
    import Glibc
#endif

/// A session bus of its own and, on it, a real gnome-keyring-daemon (its Secret Service
/// only) whose home, runtime and data directories are in a temporary directory.
///
/// The bus has no service directories: the machine's packaged `org.freedesktop.secrets`
/// service would otherwise be started behind the test's back, with nothing of this fixture's.
/// The keyring's files (under ``root``) outlive ``stopKeyring()``: a later ``startKeyring(unlock:)``
/// finds the same login keyring, as after logging out and in again.
public final class PrivateKeyring {
    /// The login keyring's password, given to gnome-keyring on its stdin.
    public static let password = "kindling-test-password"
    public static let login = "/org/freedesktop/secrets/collection/login"

    public let root: String
    public private(set) var busAddress = ""
    private var bus: pid_t = 0
    private var keyring: pid_t = 0
    private var monitor: pid_t = 0

    public init() throws {
        let missing = Self.tools.filter { !FileManager.default.isExecutableFile(atPath: $0.path) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.path) (Debian package \($0.package))" }.joined(separator: ", ")
            throw KeyringSetupError("missing for the Secret Service tests: \(list); `make test-deps` installs them")
        }
        // Short: the bus socket's path must fit in sun_path.
        var template = Array("/tmp/kindling-keyring-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw KeyringSetupError("mkdtemp failed") }
        root = String(cString: made)
        for directory in ["home", "run", "data", "config"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
            chmod("\(root)/\(directory)", 0o700)
        }
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path=\(root)/run/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>

            """
        try config.write(toFile: root + "/bus.conf", atomically: true, encoding: .utf8)
        bus = try spawn("/usr/bin/dbus-daemon", ["--config-file=\(root)/bus.conf", "--nofork", "--print-address"], log: "bus")
        // dbus-daemon prints its address once it listens.
        try waitUntil("dbus-daemon to listen") { self.file("bus.out").hasSuffix("\n") }
        busAddress = file("bus.out").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { stop() }

    /// Starts gnome-keyring-daemon. With `unlock`, the login keyring (made on first start) is
    /// unlocked with ``password`` and becomes the default collection; without, there is none
    /// on a first start. Returns once the Secret Service owns its name on the bus.
    public func startKeyring(unlock: Bool = true) throws {
        var arguments = ["--components=secrets", "--foreground"]
        if unlock { arguments.insert("--unlock", at: 0) }
        // The password on stdin, then end of file: gnome-keyring reads until then.
        try (unlock ? Self.password : "").write(toFile: root + "/password", atomically: true, encoding: .utf8)
        keyring = try spawn("/usr/bin/gnome-keyring-daemon", arguments, log: "keyring", input: root + "/password")
        try waitUntil("gnome-keyring to own org.freedesktop.secrets") {
            self.ask(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets"
            )
            .contains("boolean true")
        }
        if unlock {
            try waitUntil("the login keyring to be the default collection") {
                self.ask(
                    "org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.ReadAlias",
                    "string:default"
                ).contains(Self.login)
            }
        }
    }

    /// Ends gnome-keyring (SIGTERM, as at logout) and waits for it.
    public func stopKeyring() {
        guard keyring > 0 else { return }
        kill(keyring, SIGTERM)
        if !waitForExit(keyring, seconds: 10) {
            kill(keyring, SIGKILL)
            _ = waitForExit(keyring, seconds: 10)
        }
        keyring = 0
    }

    /// Starts `dbus-monitor` on the bus; ``monitorLog`` is what it has seen since.
    public func startMonitor() throws {
        monitor = try spawn("/usr/bin/dbus-monitor", ["--address", busAddress], log: "monitor")
        // Becoming a monitor makes the bus take back the monitor's unique name.
        try waitUntil("dbus-monitor to watch the bus") { self.file("monitor.out").contains("member=NameLost") }
    }

    public var monitorLog: String { file("monitor.out") }
    public var keyringLog: String { file("keyring.out") + file("keyring.err") }

    /// Whether gnome-keyring runs (started and not stopped).
    public var keyringRuns: Bool { keyring > 0 }

    /// Locks the login keyring, as a keyring manager's "lock" does (no prompt is needed for that).
    public func lock() throws {
        let reply = ask(
            "org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
            "array:objpath:\(Self.login)")
        guard reply.contains("method return") else { throw KeyringSetupError("Lock failed: \(reply)") }
    }

    /// Unlocks the login keyring with ``password``, without a prompt, through gnome-keyring's own
    /// interface for that (as libsecret's tests do). The secret travels in a `plain` session,
    /// which belongs to the connection that opened it: both calls are made on one connection,
    /// by a few lines of Python with GLib's D-Bus (dbus-send opens a connection per call and
    /// cannot write the secret's struct).
    public func unlock() throws {
        let script = """
            import sys
            from gi.repository import Gio, GLib
            address, collection, password = sys.argv[1:4]
            bus = Gio.DBusConnection.new_for_address_sync(
                address,
                Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
                None, None)
            def call(interface, member, arguments):
                return bus.call_sync(
                    "org.freedesktop.secrets", "/org/freedesktop/secrets", interface, member, arguments, None,
                    Gio.DBusCallFlags.NONE, 20000, None)
            opened = call("org.freedesktop.Secret.Service", "OpenSession",
                          GLib.Variant("(sv)", ("plain", GLib.Variant("s", ""))))
            session = opened.unpack()[1]
            call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "UnlockWithMasterPassword",
                 GLib.Variant("(o(oayays))", (collection, (session, b"", password.encode(), "text/plain"))))
            print("unlocked")
            """
        let (status, output) = execute("/usr/bin/python3", ["-c", script, busAddress, Self.login, Self.password])
        guard status == 0, output.contains("unlocked") else {
            throw KeyringSetupError("UnlockWithMasterPassword failed (exit \(status)): \(output)")
        }
    }

    /// Whether the login keyring is locked now, as the Secret Service says.
    public func isLocked() -> Bool {
        ask(
            "org.freedesktop.secrets", Self.login, "org.freedesktop.DBus.Properties.Get",
            "string:org.freedesktop.Secret.Collection", "string:Locked"
        ).contains("boolean true")
    }

    public func stop() {
        stopKeyring()
        for pid in [monitor, bus] where pid > 0 {
            kill(pid, SIGKILL)
            _ = waitForExit(pid, seconds: 10)
        }
        monitor = 0
        bus = 0
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Helpers

    private static let tools: [(path: String, package: String)] = [
        ("/usr/bin/dbus-daemon", "dbus-daemon"),
        ("/usr/bin/dbus-send", "dbus-bin"),
        ("/usr/bin/dbus-monitor", "dbus-bin"),
        ("/usr/bin/gnome-keyring-daemon", "gnome-keyring"),
        ("/usr/bin/python3", "python3-gi"),
    ]

    /// Every program runs with only this environment: nothing of the person's session (their
    /// bus, their keyring, their home) may reach it.
    private var environment: [String: String] {
        [
            "PATH": "/usr/bin:/bin", "HOME": root + "/home", "XDG_RUNTIME_DIR": root + "/run",
            "XDG_DATA_HOME": root + "/data", "XDG_CONFIG_HOME": root + "/config",
            "DBUS_SESSION_BUS_ADDRESS": busAddress, "LANG": "C.UTF-8",
        ]
    }

    /// Starts `executable` with stdout and stderr in `<log>.out` and `<log>.err` under the root.
    ///
    /// Starts a service of the fixture's, its output appended to `log`.out and `log`.err.
    private func spawn(_ executable: String, _ arguments: [String], log: String, input: String = "/dev/null") throws -> pid_t {
        let process = TestProcess(
            executable, arguments, environment: environment, standardInput: .file(input),
            standardOutput: .appending("\(root)/\(log).out"), standardError: .appending("\(root)/\(log).err"))
        do {
            try process.run()
        } catch {
            throw KeyringSetupError("\(error)")
        }
        return process.processIdentifier
    }

    /// A method call with dbus-send, its printed reply (or error).
    private func ask(_ destination: String, _ path: String, _ method: String, _ arguments: String...) -> String {
        execute(
            "/usr/bin/dbus-send", ["--bus=\(busAddress)", "--print-reply", "--dest=\(destination)", path, method] + arguments
        ).output
    }

    /// Runs a tool to its end in the fixture's environment: its exit status, stdout and stderr together.
    private func execute(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let output = "\(root)/execute-\(UUID().uuidString).out"
        defer { unlink(output) }
        let process = TestProcess(
            executable, arguments, environment: environment, standardOutput: .file(output),
            standardError: .standardOutput)
        guard (try? process.run()) != nil else { return (-1, "\(executable) could not be started") }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    private func file(_ name: String) -> String {
        (try? String(contentsOfFile: "\(root)/\(name)", encoding: .utf8)) ?? ""
    }

    private func waitUntil(_ what: String, seconds: Double = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else {
                throw KeyringSetupError("timed out waiting for \(what); gnome-keyring said: \(keyringLog)")
            }
            usleep(50_000)
        }
    }

    /// Reaps `pid` once it has exited; false if it is still running after `seconds`.
    private func waitForExit(_ pid: pid_t, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
        return true
    }
}

public struct KeyringSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
