import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, case 8: a burst of `fire`s with a slow hook started one process per prompt,
/// and near the fd limit the accept source spun, logging "accept failed" tens of thousands
/// of times a second. Hooks are bounded (8 running, 32 waiting, the rest dropped with a log
/// line) and accepting backs off while descriptors are short.
@Suite(.serialized) struct HookFloodTortureTests {
    /// HookLimiter.maxRunning in the daemon.
    static let maxRunningHooks = 8

    @Test func aFloodOfFiresStartsFewHooksAndAcceptBacksOffAtTheFdLimit() throws {
        let daemon = try TortureDaemon(config: "[delivery]\ndesktop = false\ncommand = \"sleep 2\"\n")
        let process = try daemon.start()
        let pid = process.processIdentifier
        // A low descriptor limit on the running daemon, as setrlimit before exec would give.
        let limited = try run("/usr/bin/prlimit", ["--pid", "\(pid)", "--nofile=100:100"], environment: daemon.environment)
        try #require(limited.status == 0, "prlimit: \(limited)")

        let client = try RawClient(daemon.socket, timeout: 30)
        var payload = ""
        for id in 1...300 { payload += #"{"v":1,"id":\#(id),"cmd":"fire","slot":"nudge"}"# + "\n" }
        client.send(payload)
        let replies = client.readLines(300)
        #expect(replies.count == 300 && replies.allSatisfy { $0.contains(#""ok":true"#) }, "\(replies.count) replies")
        let hooks = children(of: pid)
        print("measured: 300 fires with a 2 s hook -> \(hooks) hook processes at once")
        #expect(hooks <= Self.maxRunningHooks, "\(hooks) hooks run at once")

        // Use up the daemon's descriptors with connections that wait in the backlog.
        let before = countLines(daemon.logText, containing: "accept failed")
        var flood: [RawClient] = []
        for _ in 0..<110 { flood.append(try RawClient(daemon.socket, timeout: 5)) }
        sleep(2)
        let failures = countLines(daemon.logText, containing: "accept failed") - before
        print("measured: \(failures) \"accept failed\" log lines in 2 s at the fd limit")
        #expect(failures <= 4, "the accept source spins at the fd limit: \(failures) log lines in 2 s")
        #expect(process.isRunning, "\(daemon.state)")
        flood.forEach { $0.close() }
        flood.removeAll()
        // Once descriptors are back, the person's CLI is served again.
        let served = try waitUntil(timeout: 5, interval: 0.2) { try daemon.kindling("status").status == 0 }
        #expect(served, "status was not answered after the flood ended: \(daemon.state)")

        // Every hook that ran was reaped: none is left, not even a zombie.
        let drained = waitUntil(timeout: 30, interval: 0.5) { children(of: pid) == 0 }
        #expect(drained, "\(children(of: pid)) hook processes remain")
        #expect(daemon.logText.contains("were dropped"), "the dropped hooks were not logged")
    }

    /// Processes (zombies included) whose parent is `pid`.
    private func children(of pid: pid_t) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }.count
    }

    private func countLines(_ text: String, containing needle: String) -> Int {
        text.split(separator: "\n").filter { $0.contains(needle) }.count
    }
}
