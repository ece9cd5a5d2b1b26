import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling breathe`: a short grounding moment, at once, for when things feel like too much.
/// It asks nothing back: nothing is saved, no prompt waits, nothing is counted.
struct Breathe: VerbCommand {
    typealias Verb = Request.Breathe

    static let configuration = CommandConfiguration(
        commandName: "breathe",
        abstract: "A short grounding moment, right now, in the terminal and on the desktop. Asks nothing back.",
        discussion: """
            On a terminal it paces a few slow breaths (about \(Grounding.breaths * (Grounding.inhaleSeconds + Grounding.exhaleSeconds)) \
            seconds); Ctrl-C ends it whenever you like. Otherwise, and with --json, it prints at once. \
            The desktop shows one quiet notification when the daemon is running; the terminal part \
            works without it. Nothing is written to your journal.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print every line at once, even on a terminal.")
    var noPace = false

    func run() throws {
        // The desktop first, so the notification comes at once; a missing daemon only means no notification.
        let desktop = (try? global.call(Verb()).desktop) ?? "unavailable"
        if global.json {
            struct Output: Encodable {
                var lines: [String]
                var desktop: String
            }
            return try global.printJSON(Output(lines: Grounding.allLines, desktop: desktop))
        }
        guard !noPace, isatty(1) == 1, isatty(0) == 1 else {
            print(Grounding.allLines.joined(separator: "\n"))
            return
        }
        paced()
    }

    /// The moment, line by line, with the breaths paced. SIGINT is blocked and waited for with
    /// each pause, so Ctrl-C simply ends the moment early (kindly, exit 0).
    private func paced() {
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        sigprocmask(SIG_BLOCK, &interrupt, nil)
        defer { sigprocmask(SIG_UNBLOCK, &interrupt, nil) }

        /// Waits `seconds`; false when Ctrl-C came first.
        func pause(_ seconds: Int) -> Bool {
            var timeout = timespec(tv_sec: seconds, tv_nsec: 0)
            while true {
                let signal = sigtimedwait(&interrupt, nil, &timeout)
                if signal == SIGINT { return false }
                if signal == -1 && errno == EINTR { continue }
                return true
            }
        }
        func say(_ line: String, newline: Bool = true) {
            Terminal.writeOutput(line + (newline ? "\n" : ""))
        }
        func close() {
            say("")
            for line in Grounding.closing { say(line) }
        }

        for line in Grounding.opening {
            say(line)
            guard pause(3) else { return close() }
        }
        say("")
        for _ in 0..<Grounding.breaths {
            say("  " + Grounding.breatheIn + " …", newline: false)
            guard pause(Grounding.inhaleSeconds) else { return close() }
            say("  " + Grounding.breatheOut + " …")
            guard pause(Grounding.exhaleSeconds) else { return close() }
        }
        close()
    }
}
