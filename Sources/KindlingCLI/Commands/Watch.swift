import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling watch`: prompts as they fire (JSON lines with --json). At a terminal, a line
/// typed answers the prompt shown last; `/snooze` and `/skip` act on it.
struct Watch: VerbCommand {
    typealias Verb = Request.Watch

    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Show prompts as they arrive (first the ones already waiting); Ctrl-C stops.",
        discussion: """
            At a terminal you can answer on the spot: type a line and press Enter to answer the prompt \
            shown last, or type /snooze or /skip. With --json every event is printed as one line of JSON, \
            and nothing is read.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let client = global.client()
        // Answers go over a connection of their own: this one carries only the event stream.
        var session = WatchSession(interactive: !global.json && isatty(0) == 1 && isatty(1) == 1, global: global)
        do {
            switch try client.send(Verb()) {
            case .success: break
            case .failure(let error): throw CLIError(error.message, exitCode: 1)
            }
            // Events may be hours apart: from here on, wait as long as it takes.
            client.timeout = nil
            while true {
                if !client.hasBufferedLine && session.interactive {
                    // Whichever comes first: an event from the daemon, or a line from the person.
                    var fds = [
                        pollfd(fd: client.fileDescriptor, events: Int16(POLLIN), revents: 0),
                        pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                    ]
                    if poll(&fds, 2, -1) < 0 {
                        if errno == EINTR { continue }
                        throw CLIError("cannot wait for input: \(String(cString: strerror(errno)))")
                    }
                    if fds[1].revents != 0 && fds[0].revents == 0 {
                        session.typed(TerminalInput.readLine())
                        continue
                    }
                }
                session.received(try client.readLine())
            }
        } catch let error as ControlClient.ClientError {
            if error.exitCode == 3 { throw CLIError(error) }
            throw CLIError("the daemon closed the stream (\(error.description))", exitCode: 1)
        }
    }

    static func describe(_ event: Event) -> String {
        let id = event.id.map { "[\($0)] " } ?? ""
        switch event.event {
        // Slot names too: a journal from elsewhere may hold any.
        case .fired, .pending: return "\(id)\(Terminal.safe(event.slot ?? "")): \(Terminal.safe(event.text ?? ""))"
        case .answered: return "\(id)answered, thank you"
        case .snoozed: return "\(id)snoozed until \(event.until ?? "later")"
        case .paused: return "paused" + (event.until.map { " until \($0)" } ?? "")
        // The wire names (`missed`, `expired`, DESIGN.md) stay in --json; people read softer words.
        case .expired: return "\(id)closed, nothing more to do"
        case .missed: return "\(id)let go, nothing more to do"
        default: return "\(id)\(event.event.rawValue)"
        }
    }
}

/// What `watch` prints, and the prompts a typed line can answer.
struct WatchSession {
    /// Whether lines typed at the terminal answer prompts.
    var interactive: Bool
    let global: GlobalOptions
    /// Prompts shown and still waiting, oldest first: a typed line answers the last.
    private(set) var waiting: [Int64] = []
    private let decoder = ControlProtocol.makeDecoder()

    init(interactive: Bool, global: GlobalOptions) {
        self.interactive = interactive
        self.global = global
    }

    mutating func received(_ line: [UInt8]) {
        defer { fflush(nil) }
        if global.json {
            print(String(decoding: line, as: UTF8.self))
            return
        }
        guard let event = try? decoder.decode(Event.self, from: Data(line)) else { return }
        print(Watch.describe(event))
        guard let id = event.id else { return }
        switch event.event {
        case .fired, .pending:
            waiting.removeAll { $0 == id }
            waiting.append(id)
            if interactive {
                print(Terminal.standardOutput.dim("  type your answer and press Enter, or /snooze, /skip"))
            }
        case let kind where kind.settlesPrompt:
            waiting.removeAll { $0 == id }
        default:
            break
        }
    }

    /// A line the person typed (nil: end of input, after which nothing more is read).
    mutating func typed(_ line: String?) {
        defer { fflush(nil) }
        guard let line else {
            interactive = false
            return
        }
        let text = line.trimmingSpaces()
        guard !text.isEmpty else { return }
        guard let id = waiting.last else {
            print("Nothing is waiting for an answer; `kindling note` keeps a thought at any time.")
            return
        }
        do {
            switch text {
            case "/snooze": _ = try global.call(Request.Snooze(id: id, duration: nil))
            case "/skip": _ = try global.call(Request.Skip(id: id))
            default:
                let result = try global.call(Request.Respond(id: id, text: text, mood: nil, energy: nil, channel: "terminal"))
                print("Saved as entry \(result.id).")
            }
        } catch {
            // The stream goes on; what was typed is shown again so it is not lost.
            if error.outcomeUnknown {
                print("\(error.description). Whether it was saved is not known (`kindling journal` shows). You wrote: \(text)")
            } else {
                print("Not saved: \(error.description). You wrote: \(text)")
            }
        }
    }
}
