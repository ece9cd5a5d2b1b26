import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// GNOME's settings store on a ``DesktopSession``'s bus: the real dconf-service, started with
/// the environment of the program under test (so both find the same settings file under its
/// XDG_CONFIG_HOME), and `dconf write` to change a key as GNOME's settings panel would.
/// ``stop()`` (also run from `deinit`) ends it; stop it before the session.
final class DconfService: @unchecked Sendable {
    static let service = "/usr/libexec/dconf-service"
    static let cli = "/usr/bin/dconf"

    private let environment: [String: String]
    private var pid: pid_t = 0
    private let logPath: String

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Starts dconf-service with `environment` (which must name the session's bus) and waits
    /// until it owns `ca.desrt.dconf`. A missing program fails with the package to install.
    init(environment: [String: String], session: DesktopSession) throws {
        let missing = [(Self.service, "dconf-service"), (Self.cli, "dconf-cli")].filter {
            !FileManager.default.fileExists(atPath: $0.0)
        }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ")
            throw TestSetupError("missing for the GNOME do-not-disturb test: \(list); run `make test`, which installs them")
        }
        self.environment = environment
        logPath = session.root + "/dconf-service.log"
        pid = try spawnSessionLeader(Self.service, [], environment: environment, logPath: logPath)
        let owned = try waitUntil(timeout: 10, interval: 0.02) {
            guard isAlive(pid) else { return true }
            return try session.nameHasOwner("ca.desrt.dconf")
        }
        guard owned, isAlive(pid) else {
            stop()
            throw TestSetupError("dconf-service did not take ca.desrt.dconf within 10 s; its log:\n\(log)")
        }
    }

    deinit { stop() }

    func stop() {
        stopSessionLeader(pid)
        pid = 0
    }

    /// `dconf write KEY VALUE` (VALUE in GVariant text: `false`, `true`).
    func write(_ key: String, _ value: String) throws {
        let outcome = try run(Self.cli, ["write", key, value], environment: environment, timeout: 10)
        guard outcome.status == 0 else { throw TestSetupError("dconf write \(key) \(value) failed: \(outcome)") }
    }

    /// `dconf reset KEY`: back to the schema's default.
    func reset(_ key: String) throws {
        let outcome = try run(Self.cli, ["reset", key], environment: environment, timeout: 10)
        guard outcome.status == 0 else { throw TestSetupError("dconf reset \(key) failed: \(outcome)") }
    }
}
