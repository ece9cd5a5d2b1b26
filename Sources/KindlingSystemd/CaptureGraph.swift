/// What PipeWire's graph says about capture, reduced to what holds prompts back: an
/// application recording a microphone, or taking video (a camera, or a screen shared on
/// Wayland, which reaches its application as a video stream the same way).
///
/// Pure state, fed by ``CaptureWatch``: nodes and links as the registry announces them.
public struct CaptureGraph: Sendable, Equatable {
    /// Why a stream holds prompts.
    public enum Kind: String, Sendable, Hashable {
        case microphone
        case video
    }

    /// An application capturing now.
    public struct Holder: Sendable, Hashable, Comparable {
        public var application: String
        public var kind: Kind

        public init(application: String, kind: Kind) {
            self.application = application
            self.kind = kind
        }

        public static func < (a: Holder, b: Holder) -> Bool {
            (a.application, a.kind.rawValue) < (b.application, b.kind.rawValue)
        }

        /// "zoom (microphone)".
        public var description: String { "\(application.isEmpty ? "an application" : application) (\(kind.rawValue))" }
    }

    struct Node: Sendable, Equatable {
        var mediaClass: String
        var application: String
        var running = false
    }

    /// pw_node_state's running.
    static let runningState: Int32 = 3

    private(set) var nodes: [UInt32: Node] = [:]
    /// Link id → (output node, input node).
    private(set) var links: [UInt32: (output: UInt32, input: UInt32)] = [:]

    public init() {}

    public static func == (a: CaptureGraph, b: CaptureGraph) -> Bool {
        a.nodes == b.nodes && a.links.count == b.links.count
            && a.links.allSatisfy { id, link in b.links[id].map { $0 == link } ?? false }
    }

    // MARK: - What the registry says

    public mutating func nodeAppeared(_ id: UInt32, mediaClass: String, application: String) {
        nodes[id] = Node(mediaClass: mediaClass, application: application)
    }

    /// A followed stream's state (`pw_node_state`) and, when its properties say, its application.
    public mutating func stateChanged(_ id: UInt32, state: Int32, application: String) {
        guard var node = nodes[id] else { return }
        node.running = state == Self.runningState
        if !application.isEmpty { node.application = application }
        nodes[id] = node
    }

    public mutating func linkAppeared(_ id: UInt32, output: UInt32, input: UInt32) {
        links[id] = (output, input)
    }

    /// A node or link went away.
    public mutating func removed(_ id: UInt32) {
        nodes[id] = nil
        links[id] = nil
    }

    // MARK: - The rule

    /// Who is capturing now, applications named in `ignoring` left out:
    /// - a running `Stream/Input/Video` (any video reaching an application: a camera through
    ///   PipeWire, or a screen being shared);
    /// - a running `Stream/Input/Audio` linked from an `Audio/Source…` node (a microphone, or a
    ///   virtual source such as a noise filter's). A recording of what the speakers play is
    ///   linked from an `Audio/Sink` instead, and is not a call.
    /// Call applications keep their streams open while muted: a muted call still holds.
    public func holders(ignoring: Set<String> = []) -> [Holder] {
        var found: Set<Holder> = []
        for (id, node) in nodes where node.running && !ignoring.contains(node.application) {
            if node.mediaClass == "Stream/Input/Video" {
                found.insert(Holder(application: node.application, kind: .video))
            } else if node.mediaClass == "Stream/Input/Audio", isFedFromSource(id) {
                found.insert(Holder(application: node.application, kind: .microphone))
            }
        }
        return found.sorted()
    }

    private func isFedFromSource(_ stream: UInt32) -> Bool {
        links.values.contains { link in
            link.input == stream && (nodes[link.output]?.mediaClass.hasPrefix("Audio/Source") ?? false)
        }
    }
}
