import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `systemd --user` with private XDG directories, so a developer's own session is
/// never touched. Started as `/lib/systemd/systemd --user` in a session of its own, stopped by its PID.
final class UserManager {
    let root: String
    let environment: [String: String]
    var runtimeDirectory: String { environment["XDG_RUNTIME_DIR"]! }
    var configHome: String { environment["XDG_CONFIG_HOME"]! }
    var dataHome: String { environment["XDG_DATA_HOME"]! }
    /// The daemon's stdout and stderr (no journald here: units log with append:FILE).
    var daemonLog: String { root + "/kindlingd.log" }
    private let pid: pid_t

    /// `systemUnitDirectory`: a private `XDG_DATA_DIRS` whose systemd/user folder stands in for
    /// /usr/lib/systemd/user, where a package puts its units (see ``systemUnitDirectory``).
    init(systemUnitDirectory withSystemUnits: Bool = false) throws {
        try Prerequisites.require()
        root = try makePrivateDirectory("kindling-e2e")
        var env: [String: String] = [
            "HOME": root + "/home",
            "XDG_RUNTIME_DIR": root + "/run",
            "XDG_CONFIG_HOME": root + "/config",
            "XDG_DATA_HOME": root + "/data",
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "TZ": "Europe/Berlin",
        ]
        if let ci = ProcessInfo.processInfo.environment["CI"] { env["CI"] = ci }
        if withSystemUnits { env["XDG_DATA_DIRS"] = root + "/share" }
        environment = env
        for dir in ["home", "run", "config", "data"] + (withSystemUnits ? ["share", "share/systemd", "share/systemd/user"] : []) {
            try FileManager.default.createDirectory(
                atPath: root + "/" + dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Each manager gets a cgroup of its own where the hierarchy allows it (root, as in CI):
        // managers sharing one cgroup would kill each other's kindling.service when two test
        // runs overlap. The shell moves itself, then becomes the manager (same pid).
        let isolate = """
            for base in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
              [ -w "$base/cgroup.procs" ] || continue
              mkdir -p "$base/kindling-e2e-$$" 2>/dev/null && echo $$ > "$base/kindling-e2e-$$/cgroup.procs" 2>/dev/null
            done
            exec /lib/systemd/systemd --user
            """
        pid = try spawnSessionLeader("/bin/sh", ["-c", isolate], environment: env, logPath: root + "/manager.log")
        let up = try waitUntil(timeout: 15, interval: 0.05) {
            guard isAlive(pid) else { return false }
            let state = try systemctl("is-system-running").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return state == "running" || state == "degraded"
        }
        guard up else {
            let log = (try? String(contentsOfFile: root + "/manager.log", encoding: .utf8)) ?? ""
            stop()
            throw TestSetupError("systemd --user did not come up within 15 s; its log:\n\(log)")
        }
    }

    /// Stops the manager (it stops its units first) and removes every private directory.
    func stop() {
        if isAlive(pid) {
            kill(pid, SIGTERM)
            if !waitUntil(timeout: 10, { !isAlive(pid) }) {
                kill(pid, SIGKILL)
                _ = waitUntil(timeout: 5, { !isAlive(pid) })
            }
        }
        try? FileManager.default.removeItem(atPath: root)
        // Empty cgroups are removed with rmdir; the units' child cgroups go first.
        for base in ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"] {
            let own = "\(base)/kindling-e2e-\(pid)"
            guard FileManager.default.fileExists(atPath: own) else { continue }
            let nested = (FileManager.default.enumerator(atPath: own)?.allObjects as? [String] ?? [])
                .filter { entry in
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: own + "/" + entry, isDirectory: &isDirectory)
                        && isDirectory.boolValue
                }
                .sorted { $0.count > $1.count }  // deepest first
            for dir in nested { rmdir(own + "/" + dir) }
            rmdir(own)
        }
    }

    // MARK: - Commands against this manager

    @discardableResult
    func systemctl(_ arguments: String...) throws -> Outcome {
        try run("/usr/bin/systemctl", ["--user"] + arguments, environment: environment)
    }

    /// `systemctl --user show -p NAME --value UNIT`.
    func property(_ name: String, of unit: String = "kindling.service") throws -> String {
        try systemctl("show", "-p", name, "--value", unit).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func kindling(_ arguments: String..., stdin: String? = nil) throws -> Outcome {
        try run(binDirectory + "/kindling", arguments, environment: environment, stdin: stdin)
    }

    /// Adds a drop-in for kindling.service (test-only settings such as a short watchdog).
    func addDropIn(_ name: String, _ contents: String) throws {
        let dir = configHome + "/systemd/user/kindling.service.d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try contents.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Writes the daemon's config file (the default path under this XDG_CONFIG_HOME).
    func writeConfig(_ text: String) throws {
        let dir = configHome + "/kindling"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/config.toml", atomically: true, encoding: .utf8)
    }

    /// Where this manager looks for units installed with the system (only with
    /// `init(systemUnitDirectory: true)`): both systemd and `kindling install` search it.
    var systemUnitDirectory: String { root + "/share/systemd/user" }

    var daemonLogText: String { (try? String(contentsOfFile: daemonLog, encoding: .utf8)) ?? "" }
}

/// What the end-to-end tests need. A missing prerequisite fails the test with the fix; it
/// never skips silently (in CI or anywhere else).
enum Prerequisites {
    static func require() throws {
        for tool in ["/lib/systemd/systemd", "/usr/bin/systemctl"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw TestSetupError("\(tool) is missing: run `make test`, which installs the test prerequisites")
        }
        for binary in ["kindlingd", "kindling"] where !FileManager.default.isExecutableFile(atPath: binDirectory + "/" + binary) {
            throw TestSetupError("\(binDirectory)/\(binary) is missing: build with `swift build` first (make test does)")
        }
        // systemd --user refuses to start unless the system looks booted with systemd.
        if !FileManager.default.fileExists(atPath: "/run/systemd/system") {
            guard getuid() == 0 else {
                throw TestSetupError(
                    "/run/systemd/system does not exist; as root run `mkdir -p /run/systemd/system` (make test does when root)")
            }
            try FileManager.default.createDirectory(atPath: "/run/systemd/system", withIntermediateDirectories: true)
        }
    }
}
