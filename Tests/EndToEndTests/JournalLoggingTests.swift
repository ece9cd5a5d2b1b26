import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Under systemd (JOURNAL_STREAM names its stderr) kindlingd logs structured entries with
/// sd_journal_sendv. These machines run no journald, so the test plays its part: a datagram
/// socket reading the native journal protocol, bind-mounted over /run/systemd/journal in a
/// private mount namespace that only the daemon sees.
@Suite(.serialized) struct JournalLoggingTests {
    /// Reads native-protocol datagrams: `KEY=value\n`, or `KEY\n` + 64-bit little-endian
    /// length + bytes + `\n` for values that hold newlines.
    final class JournalSocket {
        let socket: DatagramSocket

        init(path: String) throws {
            socket = try DatagramSocket(path: path)
        }

        /// The next entry, or nil after 200 ms of silence.
        func receive() -> [String: String]? {
            socket.receive().map(Self.parse)
        }

        static func parse(_ bytes: [UInt8]) -> [String: String] {
            var fields: [String: String] = [:]
            var i = 0
            while i < bytes.count {
                guard let end = bytes[i...].firstIndex(of: UInt8(ascii: "\n")) else { break }
                let line = bytes[i..<end]
                if let equals = line.firstIndex(of: UInt8(ascii: "=")) {
                    fields[String(decoding: line[..<equals], as: UTF8.self)] = String(
                        decoding: line[(equals + 1)...], as: UTF8.self)
                    i = end + 1
                } else {
                    var length = 0
                    for k in 0..<8 where end + 1 + k < bytes.count { length |= Int(bytes[end + 1 + k]) << (8 * k) }
                    let start = end + 9
                    let stop = min(bytes.count, start + length)
                    fields[String(decoding: line, as: UTF8.self)] = String(decoding: bytes[start..<stop], as: UTF8.self)
                    i = stop + 1
                }
            }
            return fields
        }
    }

    @Test func underSystemdEveryPromptIsAStructuredJournalEntry() throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let journalDirectory = sandbox.root + "/journal"
        try FileManager.default.createDirectory(atPath: journalDirectory, withIntermediateDirectories: true)
        let journal = try JournalSocket(path: journalDirectory + "/socket")

        // The daemon's stderr, named in JOURNAL_STREAM as systemd does (device:inode).
        let stderrPath = sandbox.root + "/stderr.log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        var info = stat()
        #expect(stat(stderrPath, &info) == 0)
        var environment = sandbox.environment
        environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"

        let script = """
            mkdir -p /run/systemd/journal && mount --bind "$1" /run/systemd/journal && exec "$2" 2>>"$3"
            """
        let pid = try spawnSessionLeader(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", journalDirectory,
                binDirectory + "/kindlingd",
                stderrPath,
            ],
            environment: environment, logPath: sandbox.root + "/stdout.log")
        defer { stopSessionLeader(pid) }
        let up = try waitUntil(timeout: 10) { try sandbox.kindling("status").status == 0 }
        try #require(up, "kindlingd did not start: \((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")")

        let fired = try sandbox.kindling("fire", "intention")
        #expect(fired.status == 0, "\(fired)")
        var entries: [[String: String]] = []
        _ = waitUntil(timeout: 10, interval: 0) {
            while let entry = journal.receive() { entries.append(entry) }
            return entries.contains { $0["KINDLING_EVENT"] == "fired" }
        }
        let delivered = try #require(
            entries.first { $0["KINDLING_EVENT"] == "fired" }, "no fired entry among \(entries.map { $0["MESSAGE"] ?? "" })")
        #expect(delivered["KINDLING_SLOT"] == "intention")
        #expect(delivered["PRIORITY"] == "6")
        #expect(delivered["SYSLOG_IDENTIFIER"] == "kindlingd")
        #expect(delivered["CODE_FILE"]?.hasSuffix("PromptLifecycle.swift") == true, "CODE_FILE=\(delivered["CODE_FILE"] ?? "")")
        #expect(Int(delivered["CODE_LINE"] ?? "") != nil)
        #expect(delivered["MESSAGE"]?.contains("delivered") == true)
        #expect(entries.contains { $0["MESSAGE"]?.hasPrefix("ready:") == true })
        // The entries went to the journal, not also to stderr as plain lines.
        let plain = try String(contentsOfFile: stderrPath, encoding: .utf8)
        #expect(!plain.contains("delivered"), "stderr still got plain lines: \(plain)")
    }
}
