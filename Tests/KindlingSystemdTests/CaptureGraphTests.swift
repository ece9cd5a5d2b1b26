import KindlingSystemd
import Testing

/// The rule that says a call is on, on graphs written by hand (what PipeWire's registry
/// announced in the measurements behind it).
@Suite struct CaptureGraphTests {
    /// A microphone, the speakers, and their ids.
    static func desk() -> CaptureGraph {
        var graph = CaptureGraph()
        graph.nodeAppeared(30, mediaClass: "Audio/Source", application: "")
        graph.nodeAppeared(31, mediaClass: "Audio/Sink", application: "")
        return graph
    }

    @Test func aRunningRecordingOfTheMicrophoneHolds() {
        var graph = Self.desk()
        graph.nodeAppeared(40, mediaClass: "Stream/Input/Audio", application: "")
        graph.linkAppeared(50, output: 30, input: 40)
        #expect(graph.holders().isEmpty, "a stream that is not running yet holds")
        graph.stateChanged(40, state: 3, application: "zoom")
        #expect(graph.holders() == [.init(application: "zoom", kind: .microphone)])
        graph.stateChanged(40, state: 1, application: "")
        #expect(graph.holders().isEmpty, "a suspended stream still holds")
    }

    @Test func recordingWhatTheSpeakersPlayIsNotACall() {
        var graph = Self.desk()
        graph.nodeAppeared(40, mediaClass: "Stream/Input/Audio", application: "parecord")
        graph.linkAppeared(50, output: 31, input: 40)
        graph.stateChanged(40, state: 3, application: "")
        #expect(graph.holders().isEmpty)
    }

    @Test func anyRunningVideoStreamHoldsAndIgnoredApplicationsDoNot() {
        var graph = Self.desk()
        graph.nodeAppeared(60, mediaClass: "Stream/Input/Video", application: "firefox")
        graph.stateChanged(60, state: 3, application: "")
        graph.nodeAppeared(40, mediaClass: "Stream/Input/Audio", application: "")
        graph.linkAppeared(50, output: 30, input: 40)
        graph.stateChanged(40, state: 3, application: "pavucontrol")
        #expect(
            graph.holders() == [
                .init(application: "firefox", kind: .video), .init(application: "pavucontrol", kind: .microphone),
            ])
        #expect(graph.holders(ignoring: ["pavucontrol"]) == [.init(application: "firefox", kind: .video)])
    }

    @Test func whatGoesAwayHoldsNoMore() {
        var graph = Self.desk()
        graph.nodeAppeared(40, mediaClass: "Stream/Input/Audio", application: "")
        graph.linkAppeared(50, output: 30, input: 40)
        graph.stateChanged(40, state: 3, application: "signal-desktop")
        graph.removed(50)
        #expect(graph.holders().isEmpty, "an unlinked stream holds")
        graph.linkAppeared(51, output: 30, input: 40)
        #expect(graph.holders().count == 1)
        graph.removed(40)
        #expect(graph.holders().isEmpty)
    }
}
