import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, case 7: connections that hold a slot and do nothing. 128 `watch` connections
/// that never read, or 500 idle plain ones, used to fill every slot, so `status` and `note`
/// from the person's own CLI were refused for as long as they stayed.
@Suite(.serialized) struct ConnectionFloodTortureTests {
    @Test func watchersThatNeverReadDoNotLockOutTheCLIOrAWatcherThatReads() throws {
        let daemon = try TortureDaemon()
        try daemon.start()
        // The person's own `kindling watch`, which reads what it is sent.
        let own = try RawClient(daemon.socket, timeout: 10)
        own.send(#"{"v":1,"id":1,"cmd":"watch"}"# + "\n")
        #expect(own.readLines(1).first?.contains(#""ok":true"#) == true)

        var flood: [RawClient] = []
        for _ in 0..<200 {
            let client = try RawClient(daemon.socket, timeout: 10)
            client.send(#"{"v":1,"id":1,"cmd":"watch"}"# + "\n")
            flood.append(client)
        }
        usleep(300_000)
        let status = try daemon.kindling("status")
        #expect(status.status == 0, "status beside 200 stalled watchers: \(status)")
        let note = try daemon.kindling("note", "held the door")
        #expect(note.status == 0, "note beside 200 stalled watchers: \(note)")
        // The watcher that reads keeps its place and still hears events.
        #expect(try daemon.kindling("fire", "nudge").status == 0)
        let events = own.readLines(1)
        #expect(events.first?.contains(#""event":"fired""#) == true, "the reading watcher got: \(events)")
        #expect(daemon.process?.isRunning == true, "\(daemon.state)")
        let open = try daemon.openFileCount()
        print("measured: 200 stalled watchers -> the daemon holds \(open) fds")
        #expect(open < 128, "the daemon keeps \(open) fds open for stalled watchers")
    }

    @Test func fiveHundredIdleConnectionsDoNotLockOutTheCLI() throws {
        let daemon = try TortureDaemon()
        try daemon.start()
        var idle: [RawClient] = []
        for _ in 0..<500 {
            // connect() itself may wait while the listen backlog is full.
            idle.append(try RawClient(daemon.socket, timeout: 10))
        }
        usleep(300_000)
        for attempt in 1...5 {
            let started = Date()
            let status = try daemon.kindling("status")
            let seconds = Date().timeIntervalSince(started)
            print("measured: status \(attempt) beside 500 idle connections: exit \(status.status) in \(Int(seconds * 1000)) ms")
            #expect(status.status == 0, "status beside 500 idle connections: \(status)")
            #expect(seconds < 2)
        }
        #expect(try daemon.kindling("note", "thanked the bus driver").status == 0)
        #expect(daemon.process?.isRunning == true, "\(daemon.state)")
    }
}
