import Foundation
import KindlingControl
import PipeWireFixture
import Testing

@testable import KindlingDaemon

/// A call nobody scheduled, seen by the daemon through a real PipeWire in its runtime
/// directory: a prompt due while the microphone is recorded waits, and comes when it ends.
@Suite(.serialized) struct CallHoldTests {
    typealias Harness = DaemonTests.Harness

    @Test func aPromptDueDuringARecordingComesWhenItEnds() throws {
        let harness = try Harness(config: ViewHandlerTests.config)
        let daemon = harness.daemon
        let media = try PrivatePipeWire(runtimeDirectory: harness.root + "/run")
        defer { media.stop() }
        #expect(try waitFor { daemon.queue.sync { daemon.callWatch?.connection == .connected } }, "PipeWire was not joined")

        let recorder = try media.run("pw-record", "--target", "kindling-mic", harness.root + "/take.wav")
        #expect(try waitFor { daemon.queue.sync { daemon.callInProgress } }, "the recording was not taken for a call")
        #expect(daemon.queue.sync { daemon.statusLine() }.contains("a call is on (pw-record (microphone))"))
        #expect(
            daemon.queue.sync { daemon.callsStatus }
                == .init(holds: true, pipewire: "connected", holders: ["pw-record (microphone)"], ignored: []))

        // The water prompt comes due at 15:30 during the call: nothing on any channel.
        harness.clock.set(SchedulerTests.at(15.5))
        daemon.queue.sync { daemon.scheduler.tick() }
        #expect(try daemon.queue.sync { try daemon.pendingPrompts() }.isEmpty)

        // The call ends; the daemon plans again by itself and the prompt, still valid, comes.
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(try waitFor { try daemon.queue.sync { try daemon.pendingPrompts() }.map(\.slot) == ["water"] })
        #expect(!daemon.queue.sync { daemon.callInProgress })
    }

    @Test func anIgnoredProgramHoldsNothing() throws {
        let config = ViewHandlerTests.config + "\n[calls]\nignore = [\"pw-record\"]\n"
        let harness = try Harness(config: config)
        let daemon = harness.daemon
        let media = try PrivatePipeWire(runtimeDirectory: harness.root + "/run")
        defer { media.stop() }
        #expect(try waitFor { daemon.queue.sync { daemon.callWatch?.connection == .connected } })
        let recorder = try media.run("pw-record", "--target", "kindling-mic", harness.root + "/take.wav")
        defer {
            kill(recorder.processIdentifier, SIGKILL)
            recorder.waitUntilExit()
        }
        // Seen, but ignored: wait until the stream runs, then fire as usual.
        #expect(try waitFor { daemon.queue.sync { daemon.callWatch?.ignoredHolders.isEmpty == false } })
        #expect(!daemon.queue.sync { daemon.callInProgress })
        #expect(
            daemon.queue.sync { daemon.callsStatus }
                == .init(holds: true, pipewire: "connected", holders: [], ignored: ["pw-record (microphone)"]))
        harness.clock.set(SchedulerTests.at(15.5))
        daemon.queue.sync { daemon.scheduler.tick() }
        #expect(try daemon.queue.sync { try daemon.pendingPrompts() }.map(\.slot) == ["water"])
    }

    /// `[calls] hold = false`: PipeWire is not even watched, and a recording holds nothing.
    @Test func callsHoldNothingWhenHoldIsOff() throws {
        let harness = try Harness(config: ViewHandlerTests.config + "\n[calls]\nhold = false\n")
        let daemon = harness.daemon
        let media = try PrivatePipeWire(runtimeDirectory: harness.root + "/run")
        defer { media.stop() }
        let recorder = try media.run("pw-record", "--target", "kindling-mic", harness.root + "/take.wav")
        defer {
            kill(recorder.processIdentifier, SIGKILL)
            recorder.waitUntilExit()
        }
        #expect(daemon.queue.sync { daemon.callWatch } == nil)
        #expect(!daemon.queue.sync { daemon.callInProgress })
        harness.clock.set(SchedulerTests.at(15.5))
        daemon.queue.sync { daemon.scheduler.tick() }
        #expect(try daemon.queue.sync { try daemon.pendingPrompts() }.map(\.slot) == ["water"])
    }

    /// Up to 30 s: in a full test run, many suites start processes at once and wireplumber may
    /// take seconds to link a new stream.
    private func waitFor(_ condition: () throws -> Bool) throws -> Bool {
        for _ in 0..<1200 {
            if try condition() { return true }
            usleep(25_000)
        }
        return false
    }
}
