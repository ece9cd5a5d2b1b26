import Dispatch
import Logging

/// Bounds the `[delivery] command` hooks alive at once. A burst of prompts (a script firing
/// `kindling fire` in a loop) once started a process per prompt, 1,100 of them, until the
/// daemon ran out of file descriptors. At most ``maxRunning`` run; up to ``maxWaiting``
/// more wait their turn; past that a hook is dropped, with one log line per burst.
/// Queue-confined.
final class HookLimiter: @unchecked Sendable {
    static let maxRunning = 8
    static let maxWaiting = 32

    /// Starts one hook; it must call `done` exactly once, when the hook has ended or failed to start.
    typealias Start = (_ done: @escaping () -> Void) -> Void

    private let log: Logger
    private(set) var running = 0
    private var waiting: [Start] = []
    private var waitingIndex = 0
    /// Hooks dropped since the last time none was running.
    private var dropped = 0

    init(log: Logger) {
        self.log = log
    }

    var waitingCount: Int { waiting.count - waitingIndex }

    /// Starts the hook now, or queues it, or drops it (`purpose` names it in the log).
    func submit(_ purpose: String, _ start: @escaping Start) {
        if running < Self.maxRunning {
            begin(start)
        } else if waitingCount < Self.maxWaiting {
            waiting.append(start)
        } else {
            dropped += 1
            if dropped == 1 {
                log.warning(
                    "the \(purpose) was not run: \(Self.maxRunning) hooks are running and \(Self.maxWaiting) waiting; further hooks are dropped until they finish"
                )
            }
        }
    }

    private func begin(_ start: Start) {
        running += 1
        var finished = false
        start { [self] in
            guard !finished else { return }
            finished = true
            running -= 1
            ended()
        }
    }

    private func ended() {
        if waitingIndex < waiting.count {
            let next = waiting[waitingIndex]
            waitingIndex += 1
            if waitingIndex == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingIndex = 0
            }
            begin(next)
        } else if running == 0 && dropped > 0 {
            log.warning("\(dropped) hooks were dropped in that burst of prompts")
            dropped = 0
        }
    }
}
