import Dispatch
import Foundation
import KindlingSystemd
import Logging
import PipeWireFixture
import Testing

/// ``CaptureWatch`` against a real PipeWire (with wireplumber and its PulseAudio server) in a
/// private runtime directory: a virtual microphone, recorded by `pw-record`.
@Suite(.serialized) struct CaptureWatchTests {
    @Test func aRecordingOfTheMicrophoneIsSeenAndItsEndToo() throws {
        let media = try PrivatePipeWire()
        defer { media.stop() }
        let queue = DispatchQueue(label: "capture-test")
        let watch = CaptureWatch(runtimeDirectory: media.runtimeDirectory, queue: queue, log: Logger(label: "test"))
        let changed = DispatchSemaphore(value: 0)
        queue.sync {
            watch.onChange = { changed.signal() }
            watch.start()
        }
        #expect(queue.sync { watch.connection } == .connected)
        #expect(queue.sync { watch.holders }.isEmpty)

        let recorder = try media.run("pw-record", "--target", "kindling-mic", media.runtimeDirectory + "/take.wav")
        #expect(
            changed.wait(timeout: .now() + 30) == .success,
            "the recording was not seen: \((try? String(contentsOfFile: media.runtimeDirectory + "/pw-record.log", encoding: .utf8)) ?? "")"
        )
        let holders = queue.sync { watch.holders }
        #expect(holders.map(\.kind) == [.microphone], "\(holders)")
        #expect(holders.first?.application == "pw-record", "\(holders)")

        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(changed.wait(timeout: .now() + 30) == .success, "the recording's end was not seen")
        #expect(queue.sync { watch.holders }.isEmpty)
        queue.sync { watch.stop() }
    }

    /// Touching PipeWire's socket (its mode, its times) is not a new PipeWire: the watch keeps
    /// its connection, and the call in progress never looks over, not even for a moment.
    @Test func aTouchedSocketKeepsTheCallInView() throws {
        let media = try PrivatePipeWire()
        defer { media.stop() }
        let queue = DispatchQueue(label: "capture-touch")
        let watch = CaptureWatch(runtimeDirectory: media.runtimeDirectory, queue: queue, log: Logger(label: "test"))
        let changed = DispatchSemaphore(value: 0)
        var seen: [Int] = []
        queue.sync {
            watch.onChange = {
                seen.append(watch.holders.count)
                changed.signal()
            }
            watch.start()
        }
        let recorder = try media.run("pw-record", "--target", "kindling-mic", media.runtimeDirectory + "/take.wav")
        #expect(changed.wait(timeout: .now() + 30) == .success, "the recording was not seen")
        #expect(queue.sync { watch.holders }.count == 1)

        queue.sync { seen = [] }
        let socket = media.runtimeDirectory + "/pipewire-0"
        #expect(chmod(socket, 0o777) == 0)
        #expect(utimes(socket, nil) == 0)
        usleep(300_000)
        #expect(queue.sync { watch.holders }.map(\.application) == ["pw-record"])
        #expect(queue.sync { watch.connection } == .connected)
        // Then the call ends: the one change seen since the touch must be that end. Had the
        // touch made the watch rejoin, the holders would have gone to none and back before it
        // (the touch's event comes at once, the end a third of a second later).
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(changed.wait(timeout: .now() + 30) == .success, "the recording's end was not seen")
        usleep(100_000)
        #expect(queue.sync { seen } == [0], "the call looked over before it was: holders went \(queue.sync { seen })")
        queue.sync { watch.stop() }
    }

    /// A PipeWire that dies and starts again (a crash, an update) is joined again by itself,
    /// and its recordings are seen.
    @Test func aRestartedPipeWireIsJoinedAgain() throws {
        let first = try PrivatePipeWire()
        let queue = DispatchQueue(label: "capture-restart")
        let watch = CaptureWatch(runtimeDirectory: first.runtimeDirectory, queue: queue, log: Logger(label: "test"))
        queue.sync { watch.start() }
        #expect(queue.sync { watch.connection } == .connected)
        first.stop(keepingDirectory: true)
        let second = try PrivatePipeWire(runtimeDirectory: first.runtimeDirectory)
        defer { second.stop() }
        let recorder = try second.run("pw-record", "--target", "kindling-mic", second.runtimeDirectory + "/take.wav")
        defer {
            kill(recorder.processIdentifier, SIGKILL)
            recorder.waitUntilExit()
        }
        let seen = (0..<600).contains { _ in
            usleep(50_000)
            return queue.sync { watch.holders.map(\.application) } == ["pw-record"]
        }
        #expect(seen, "after the restart: \(queue.sync { watch.connection }), holders \(queue.sync { watch.holders })")
        queue.sync { watch.stop() }
    }

    @Test func aPipeWireThatStartsLaterIsJoined() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let queue = DispatchQueue(label: "capture-later")
        let watch = CaptureWatch(runtimeDirectory: directory, queue: queue, log: Logger(label: "test"))
        queue.sync { watch.start() }
        #expect(queue.sync { watch.connection } == .notRunning)
        let media = try PrivatePipeWire(runtimeDirectory: directory)
        defer { media.stop() }
        let joined = (0..<600).contains { _ in
            usleep(50_000)
            return queue.sync { watch.connection } == .connected
        }
        #expect(joined, "the watch did not join PipeWire once its socket appeared")
        queue.sync { watch.stop() }
    }
}
