import Foundation
import GRDB
import KindlingControl
import ProcessFixture

#if canImport(Glibc)
    import Glibc
#endif

/// One kindlingd in private XDG directories, started as a child of the test, with what the
/// torture tests measure: its memory and open files (from /proc), and its journal read directly.
final class TortureDaemon: @unchecked Sendable {
    let root: String
    let environment: [String: String]
    var socket: String { root + "/run/kindling/control.sock" }
    var configFile: String { root + "/config/kindling/config.toml" }
    var journal: String { root + "/data/kindling/journal.sqlite" }
    var logPath: String { root + "/daemon.log" }

    private let lock = NSLock()
    private var _process: TestProcess?
    /// The running kindlingd (nil between a kill and the next start). Read from any thread.
    var process: TestProcess? {
        get { lock.withLock { _process } }
        set { lock.withLock { _process = newValue } }
    }

    /// Private directories, and `config` as the config file when given.
    init(config: String? = nil) throws {
        try Self.requirePrerequisites()
        root = try makePrivateDirectory("kindling-torture")
        for dir in ["run", "config/kindling", "data"] {
            try FileManager.default.createDirectory(
                atPath: root + "/" + dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        environment = [
            "HOME": root, "XDG_RUNTIME_DIR": root + "/run", "XDG_CONFIG_HOME": root + "/config",
            "XDG_DATA_HOME": root + "/data", "PATH": "/usr/bin:/bin", "TZ": "UTC", "SWIFT_BACKTRACE": "enable=no",
        ]
        if let config { try config.write(toFile: configFile, atomically: true, encoding: .utf8) }
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // KINDLING_TORTURE_KEEP=1 keeps the directories (log, journal) for a post-mortem.
        if ProcessInfo.processInfo.environment["KINDLING_TORTURE_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: root)
        } else {
            print("torture: kept \(root)")
        }
    }

    /// A missing binary fails the test with the fix; nothing is ever skipped.
    static func requirePrerequisites() throws {
        for binary in ["kindlingd", "kindling"] where !FileManager.default.isExecutableFile(atPath: binDirectory + "/" + binary) {
            throw TestSetupError("\(binDirectory)/\(binary) is missing: build with `swift build` first (make torture does)")
        }
    }

    // MARK: - Starting and stopping

    /// Starts kindlingd and waits until it answers `status` (the log is appended to, across restarts).
    @discardableResult
    func start() throws -> TestProcess {
        let process = TestProcess(
            binDirectory + "/kindlingd", environment: environment, standardOutput: .appending(logPath),
            standardError: .standardOutput)
        try process.run()
        let client = ControlClient(socketPath: socket)
        let up = waitUntil(timeout: 20) {
            guard process.isRunning else { return false }
            if case .success? = try? client.send(Request.Status()) { return true }
            return false
        }
        guard up else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw TestSetupError("kindlingd did not answer within 20 s; its log:\n\(logText.suffix(2000))")
        }
        self.process = process
        return process
    }

    /// SIGKILL, and waits for the process to be gone.
    func killHard() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM; returns the exit status (nil when it did not exit normally within `timeout`).
    func terminate(timeout: Double = 10) -> Int32? {
        guard let process else { return nil }
        kill(process.processIdentifier, SIGTERM)
        let exited = waitUntil(timeout: timeout) { !process.isRunning }
        self.process = nil
        guard exited else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    var logText: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// For failure messages: is it running, how did it end, what did it log last.
    var state: String {
        guard let process else { return "kindlingd is not running" }
        let how =
            process.isRunning
            ? "kindlingd \(process.processIdentifier) is running"
            : "kindlingd ended (\(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus))"
        let socketThere = FileManager.default.fileExists(atPath: socket) ? "socket present" : "socket GONE"
        return "\(how), \(socketThere); its log ends:\n\(logText.suffix(1500))"
    }

    func kindling(_ arguments: String..., stdin: String? = nil) throws -> Outcome {
        try run(binDirectory + "/kindling", arguments, environment: environment, stdin: stdin)
    }

    func kindlingd(_ arguments: String...) throws -> Outcome {
        try run(binDirectory + "/kindlingd", arguments, environment: environment)
    }

    // MARK: - What /proc says

    /// A resident-set field of /proc/PID/status in KiB: VmRSS (all of it), or RssAnon
    /// (anonymous memory only, where a leak shows; mapped files' pages come and go).
    func residentKiB(_ field: String = "VmRSS") throws -> Int {
        guard let pid = process?.processIdentifier else { throw TestSetupError("kindlingd is not running") }
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(field):") }),
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw TestSetupError("no \(field) in /proc/\(pid)/status") }
        return kib
    }

    /// How many file descriptors the daemon holds open.
    func openFileCount() throws -> Int {
        guard let pid = process?.processIdentifier else { throw TestSetupError("kindlingd is not running") }
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    // MARK: - The journal, read directly

    /// `PRAGMA integrity_check` and the ids of every answer and note (the daemon must be stopped).
    func readJournal() throws -> (integrity: String, entryIDs: Set<Int64>) {
        let queue = try DatabaseQueue(path: journal)
        defer { try? queue.close() }
        return try queue.read { db in
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer"
            let ids = try Int64.fetchSet(db, sql: "SELECT id FROM answers UNION SELECT id FROM notes")
            return (integrity, ids)
        }
    }
}
