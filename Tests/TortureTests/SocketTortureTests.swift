import Foundation
import KindlingControl
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile clients on the real socket of a real kindlingd: the daemon stays up, keeps answering
/// a well-formed client, and gives back the memory and file descriptors the attack cost it.
@Suite(.serialized) struct SocketTortureTests {
    /// How much anonymous memory may stay above its warmed-up baseline once the attacks are
    /// over: SQLite's page caches fill up as the journal grows, and malloc keeps what it cannot
    /// hand back; a leak per connection or per frame (100,000 of them) would be far beyond it.
    /// Pages of the mapped binary and ICU's data are not counted: they are the kernel's to
    /// drop, and how many an attack touches says nothing about a leak.
    static let rssToleranceKiB = 24 * 1024

    @Test func hostileClientsNeitherStopTheDaemonNorLeakMemoryOrFileDescriptors() throws {
        let daemon = try TortureDaemon()
        try daemon.start()
        var random = SeededRandom.fromEnvironment()
        print("torture: seed \(random.seed) (set KINDLING_TORTURE_SEED to replay)")

        // A journal big enough that `export` is a long stream to walk away from.
        let writer = ControlClient(socketPath: daemon.socket)
        for number in 0..<2000 {
            let text = "held the door for a neighbour #\(number) " + String(repeating: "kindly ", count: 40)
            guard case .success = try writer.send(Request.Note(text: text, kind: "given")) else {
                Issue.record("seeding the journal failed at note \(number)")
                return
            }
        }

        // Every kind of attack once, lightly, so lazily allocated buffers exist before the baseline.
        try sendFrames(daemon, count: 2000, random: &random)
        try sendHugeLines(daemon, count: 1)
        try connectAtOnce(daemon, count: 150)
        try disconnectMidResponse(daemon, count: 20)
        let (baselineKiB, baselineFiles) = try settle(daemon)
        print(
            "torture: baseline anonymous RSS \(baselineKiB) KiB (all RSS \(try daemon.residentKiB()) KiB),"
                + " \(baselineFiles) open fds")

        let prober = Prober(socket: daemon.socket)
        prober.start()
        let frames = try sendFrames(daemon, count: 100_000, random: &random)
        print("torture: 100,000 random and mutated frames sent, \(frames) response lines, all JSON objects")
        try sendHugeLines(daemon, count: 3)
        try sendInvalidUTF8(daemon)
        try sendDeepNesting(daemon)
        try connectAtOnce(daemon, count: 1000)
        try disconnectMidResponse(daemon, count: 300)
        try holdSilentClients(daemon, silent: 60, halfLines: 20)
        prober.stop()
        print("torture: the well-formed client during the attacks: \(prober.summary)")
        #expect(prober.failures.isEmpty, "the well-formed client was not answered: \(prober.failures.prefix(5))")
        #expect(prober.answered > 0)

        #expect(daemon.process?.isRunning == true, "\(daemon.state)")
        let (afterKiB, afterFiles) = try settle(daemon, towards: baselineFiles)
        print(
            "measured: anonymous RSS \(baselineKiB) KiB before, \(afterKiB) KiB after (\(afterKiB - baselineKiB) KiB),"
                + " all RSS \(try daemon.residentKiB()) KiB;"
                + " open fds \(baselineFiles) before, \(afterFiles) after")
        #expect(afterFiles <= baselineFiles, "file descriptors leaked: \(baselineFiles) -> \(afterFiles)")
        #expect(afterKiB - baselineKiB < Self.rssToleranceKiB, "anonymous RSS grew from \(baselineKiB) KiB to \(afterKiB) KiB")
        // And it still does its job.
        #expect(try daemon.kindling("note", "still here").status == 0)
        #expect(daemon.terminate() == 0)
    }

    /// Waits until the daemon has closed what its clients left behind (the fd count reaches
    /// `target`, or stops changing), then reads RSS and the fd count.
    private func settle(_ daemon: TortureDaemon, towards target: Int? = nil) throws -> (Int, Int) {
        var last = try daemon.openFileCount()
        _ = try waitUntil(timeout: 60, interval: 0.5) {
            let now = try daemon.openFileCount()
            defer { last = now }
            return target.map { now <= $0 } ?? (now == last)
        }
        // One request through the queue, so whatever was pending on it has run.
        _ = try daemon.kindling("status")
        return (try daemon.residentKiB("RssAnon"), try daemon.openFileCount())
    }

    // MARK: - Frames

    /// Requests a client could send, the seeds of the mutations. Nothing here writes outside
    /// the sandbox (no backup or restore paths).
    static let validFrames: [String] = [
        #"{"v":1,"id":1,"cmd":"status"}"#,
        #"{"v":1,"id":2,"cmd":"next","count":20,"from":"2026-03-29T00:30:00.000+01:00"}"#,
        #"{"v":1,"id":3,"cmd":"pending"}"#,
        #"{"v":1,"id":4,"cmd":"fire","slot":"nudge"}"#,
        #"{"v":1,"id":5,"cmd":"respond","text":"called \"Sam\" $(echo hi)","mood":4,"channel":"cli"}"#,
        #"{"v":1,"id":6,"cmd":"snooze","for":"10m"}"#,
        #"{"v":1,"id":7,"cmd":"skip"}"#,
        #"{"v":1,"id":8,"cmd":"note","text":"a warm drink","kind":"received"}"#,
        #"{"v":1,"id":9,"cmd":"entry","entry_id":3}"#,
        #"{"v":1,"id":10,"cmd":"edit","entry_id":4,"text":"kinder words","energy":2}"#,
        #"{"v":1,"id":11,"cmd":"journal","since":"yesterday","search":"door","limit":3}"#,
        #"{"v":1,"id":12,"cmd":"stats","weeks":4}"#,
        #"{"v":1,"id":13,"cmd":"pause","for":"1m"}"#,
        #"{"v":1,"id":14,"cmd":"resume"}"#,
        #"{"v":1,"id":15,"cmd":"reload"}"#,
        #"{"v":1,"id":16,"cmd":"delete","entry_id":5}"#,
    ]

    /// Sends `count` frames, a hundred a connection over four threads: random bytes, mutated
    /// valid requests, and the valid ones. Every line that comes back must be a JSON object.
    /// Returns how many lines came back.
    @discardableResult
    private func sendFrames(_ daemon: TortureDaemon, count: Int, random: inout SeededRandom) throws -> Int {
        let perConnection = 100
        let connections = count / perConnection
        let threads = 4
        let seeds = (0..<threads).map { _ in random.next() }
        let results = ThreadResults()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var random = SeededRandom(seed: seeds[thread])
            var lines = 0
            var problems: [String] = []
            for _ in stride(from: thread, to: connections, by: threads) {
                var batch: [UInt8] = []
                for _ in 0..<perConnection { batch += Self.frame(&random) + [0x0A] }
                do {
                    let client = try RawClient(daemon.socket)
                    client.send(batch)
                    shutdown(client.fd, Int32(SHUT_WR))
                    for line in client.readLines(Int.max) {
                        lines += 1
                        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                        if object == nil { problems.append("not a JSON object: \(line.prefix(200))") }
                    }
                } catch {
                    problems.append("\(error)")
                }
            }
            results.add(lines: lines, problems: problems)
        }
        #expect(
            results.problems.isEmpty,
            "\(results.problems.count) problems, e.g. \(results.problems.prefix(3)); \(daemon.state)")
        #expect(results.lines >= connections, "fewer response lines (\(results.lines)) than connections (\(connections))")
        return results.lines
    }

    /// One frame: random bytes, a mutated valid request, or a valid one.
    static func frame(_ random: inout SeededRandom) -> [UInt8] {
        let base = Array(validFrames[random.below(validFrames.count)].utf8)
        switch random.below(10) {
        case 0..<3:
            return (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }.filter { $0 != 0x0A }
        case 3..<9:
            var frame = base
            for _ in 0...random.below(6) {
                let at = random.below(frame.count)
                switch random.below(4) {
                case 0: frame[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: frame.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                case 2: frame.remove(at: at)
                default: frame = Array(frame.prefix(at + 1))
                }
                if frame.isEmpty { frame = base }
            }
            return frame.filter { $0 != 0x0A }
        default:
            return base
        }
    }

    // MARK: - Single attacks

    /// 10 MB without a newline (plain bytes, then the start of a valid note): `too_large`, closed.
    private func sendHugeLines(_ daemon: TortureDaemon, count: Int) throws {
        let prefixes = [Array(repeating: UInt8(ascii: "a"), count: 0), Array(#"{"v":1,"id":1,"cmd":"note","text":""#.utf8)]
        for round in 0..<count {
            let client = try RawClient(daemon.socket)
            let line = prefixes[round % 2] + [UInt8](repeating: UInt8(ascii: "k"), count: 10 * 1024 * 1024)
            let sent = client.send(line)
            let reply = client.readLines(1).first ?? ""
            #expect(reply.contains(#""code":"too_large""#), "after \(sent) bytes: \(reply.prefix(200))")
            #expect(client.peerClosed(), "the daemon kept a connection whose line was too long")
        }
        print("torture: \(count) lines of 10 MB refused with too_large")
    }

    /// Invalid UTF-8 outside and inside JSON strings: an error answer (never a saved mangled
    /// text and never a crash), and the connection keeps working.
    private func sendInvalidUTF8(_ daemon: TortureDaemon) throws {
        let frames: [[UInt8]] = [
            [0xC0, 0xAF, 0xFF, 0xFE, 0x7B, 0x7D],
            Array(#"{"v":1,"id":1,"cmd":"note","text":""#.utf8) + [0xED, 0xA0, 0x80, 0xC3] + Array(#""}"#.utf8),
            Array(#"{"v":1,"id":1,"cmd":"note","text":"ok","kind":""#.utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array(#""}"#.utf8),
            Array(#"{"v":1,"id":1,"cmd":"fire","slot":""#.utf8) + [0xFF] + Array(#""}"#.utf8),
            [0xEF, 0xBB, 0xBF] + Array(#"{"v":1,"id":1,"cmd":"status"}"#.utf8),
        ]
        let client = try RawClient(daemon.socket)
        for frame in frames { client.send(frame + [0x0A]) }
        client.send(#"{"v":1,"id":99,"cmd":"status"}"# + "\n")
        let replies = client.readLines(frames.count + 1)
        #expect(replies.count == frames.count + 1, "\(replies)")
        for reply in replies.dropLast() {
            #expect(reply.contains(#""ok":false"#) || reply.contains(#""cmd":"status""#) || reply.contains(#""ok":true"#))
        }
        #expect(replies.last?.contains(#""id":99"#) == true && replies.last?.contains(#""ok":true"#) == true)
        let saved = try daemon.kindling("journal", "--search", "\u{FFFD}")
        print("torture: invalid UTF-8 answered: \(replies.dropLast().map { $0.contains(#""ok":true"#) ? "ok" : "error" })")
        #expect(!saved.stdout.contains("\u{FFFD}"), "a note with invalid UTF-8 was saved mangled: \(saved.stdout)")
    }

    /// Nesting as deep as fits in one 64 KiB line, in arrays, objects and a request's argument.
    private func sendDeepNesting(_ daemon: TortureDaemon) throws {
        let depth = 30_000
        let frames = [
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
            String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000),
            #"{"v":1,"id":1,"cmd":"status","x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                + "}",
            String(repeating: "[", count: 60_000),
        ]
        let client = try RawClient(daemon.socket)
        for frame in frames { client.send(frame + "\n") }
        client.send(#"{"v":1,"id":99,"cmd":"status"}"# + "\n")
        let replies = client.readLines(frames.count + 1)
        #expect(replies.count == frames.count + 1, "deeply nested JSON: \(replies.map { $0.prefix(120) })")
        #expect(replies.last?.contains(#""id":99"#) == true)
        print(
            "torture: deeply nested JSON (depth \(depth)) answered: \(replies.map { $0.contains(#""ok":true"#) ? "ok" : "error" })"
        )
    }

    /// `count` clients connect at once, each asks for `status` and holds its connection until
    /// every one has connected: each gets exactly one answer, `status` or the connection bound.
    private func connectAtOnce(_ daemon: TortureDaemon, count: Int) throws {
        // This process holds every connection at once: more than the usual soft limit of 1024 files.
        var files = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files)
        if files.rlim_cur < rlim_t(count + 256) {
            files.rlim_cur = min(files.rlim_max, rlim_t(count + 256))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &files)
        }
        let results = ThreadResults()
        let clients = LockedArray<RawClient>()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var problems: [String] = []
            for _ in stride(from: thread, to: count, by: 8) {
                do {
                    let client = try RawClient(daemon.socket, timeout: 30)
                    clients.append(client)
                    client.send(#"{"v":1,"id":1,"cmd":"status"}"# + "\n")
                } catch {
                    problems.append("\(error)")
                }
            }
            results.add(lines: 0, problems: problems)
        }
        var served = 0
        var refused = 0
        for client in clients.items {
            let reply = client.readLines(1).first ?? ""
            if reply.contains(#""ok":true"#) {
                served += 1
            } else if reply.contains("too many open connections") || reply.contains("to make room") {
                refused += 1
            } else {
                results.add(lines: 0, problems: ["unexpected answer: \(reply.prefix(200))"])
            }
        }
        clients.items.forEach { $0.close() }
        print("torture: \(count) connections at once: \(served) served, \(refused) told to try again or closed to make room")
        #expect(results.problems.isEmpty, "\(results.problems.prefix(5))")
        #expect(served + refused == count)
    }

    /// Clients that ask for a long answer and leave: after a few bytes of an export, without
    /// reading a journal, with a tiny receive buffer.
    private func disconnectMidResponse(_ daemon: TortureDaemon, count: Int) throws {
        let requests = [
            #"{"v":1,"id":1,"cmd":"export"}"#, #"{"v":1,"id":2,"cmd":"journal","limit":10000}"#,
            #"{"v":1,"id":3,"cmd":"next","count":1000}"#,
        ]
        for round in 0..<count {
            let client = try RawClient(daemon.socket)
            var small: Int32 = 1024
            setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            client.send(requests[round % requests.count] + "\n")
            if round % 2 == 0 {
                var buffer = [UInt8](repeating: 0, count: 1024)
                _ = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
            }
            client.close()
        }
        print("torture: \(count) clients walked away in the middle of a long answer")
    }

    /// Clients that connect and never send, or send half a line and stall: the daemon serves
    /// others meanwhile and closes them after its idle timeout.
    private func holdSilentClients(_ daemon: TortureDaemon, silent: Int, halfLines: Int) throws {
        var clients: [RawClient] = []
        for index in 0..<(silent + halfLines) {
            let client = try RawClient(daemon.socket, timeout: 90)
            if index >= silent { client.send(#"{"v":1,"id":1,"cmd":"sta"#) }
            clients.append(client)
        }
        #expect(try daemon.kindling("status").status == 0, "a well-formed client must be served beside silent ones")
        let closed = clients.filter { $0.peerClosed() }.count
        print("torture: \(silent) silent and \(halfLines) half-line clients; the daemon closed \(closed) of them")
        #expect(closed == clients.count, "the daemon kept \(clients.count - closed) stalled connections open")
    }
}

// MARK: - Helpers

/// SplitMix64: a small seeded generator, so a failing run can be replayed with its seed.
struct SeededRandom {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from KINDLING_TORTURE_SEED, else a fresh one.
    static func fromEnvironment() -> SeededRandom {
        let given = ProcessInfo.processInfo.environment["KINDLING_TORTURE_SEED"].flatMap { UInt64($0) }
        return SeededRandom(seed: given ?? UInt64.random(in: 1...UInt64.max))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound.
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

/// Counts and problems gathered from several threads.
final class ThreadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines = 0
    private var _problems: [String] = []

    func add(lines: Int, problems: [String]) {
        lock.withLock {
            _lines += lines
            _problems += problems
        }
    }

    var lines: Int { lock.withLock { _lines } }
    var problems: [String] { lock.withLock { _problems } }
}

/// An array several threads append to.
final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var _items: [Element] = []

    func append(_ item: Element) { lock.withLock { _items.append(item) } }
    var items: [Element] { lock.withLock { _items } }
}
