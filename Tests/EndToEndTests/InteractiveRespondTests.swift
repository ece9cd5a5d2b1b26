import Foundation
import Testing

/// `kindling respond` at a real terminal (a pseudo-terminal from util-linux's `script`):
/// the prompt is shown, a multi-line answer ends with Ctrl-D, then mood and energy are offered.
@Suite(.serialized) struct InteractiveRespondTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    @Test func aPersonAnswersAtTheTerminal() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let fired = try sandbox.kindling("fire", "reflection")
        #expect(fired.status == 0)

        // Typed with pauses, as a person would: two lines, Ctrl-D, a wrong mood, a mood, no energy.
        let typing = """
            sleep 0.5; printf 'I let a colleague go first\\nand it felt warm\\n'; sleep 0.3; printf '\\004'; sleep 0.3
            printf '7\\n'; sleep 0.2; printf '4\\n'; sleep 0.2; printf '\\n'; sleep 0.5
            """
        let session = try run(
            "/bin/sh", ["-c", "(\(typing)) | script -q -e -c '\(binDirectory)/kindling respond' /dev/null"],
            environment: sandbox.environment)
        #expect(session.status == 0, "\(session)")
        #expect(
            session.stdout.contains(
                fired.stdout.split(separator: "]").last.map { String($0.dropFirst()).trimmingCharacters(in: .newlines) } ?? "?"))
        #expect(session.stdout.contains("A number from 1 to 5, please"))
        #expect(session.stdout.contains("Saved as entry"))

        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.stdout.contains(#""text" : "I let a colleague go first\nand it felt warm""#), "\(journal.stdout)")
        #expect(journal.stdout.contains(#""mood" : 4"#))
        #expect(journal.stdout.contains(#""energy" : null"#))
    }

    /// `ask_mood = false`: the answer is saved without a question about mood or energy; a slot
    /// that asks (the intention, by default) still offers them.
    @Test func aSlotWithoutAskMoodAsksNothingAfterTheAnswer() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let sandbox = try Sandbox()
        try "[reflection]\nask_mood = false\n".write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        func answer(_ slot: String, _ text: String, then typed: String) throws -> Outcome {
            #expect(try sandbox.kindling("fire", slot).status == 0)
            let typing = "sleep 0.5; printf '\(text)\\n'; sleep 0.3; printf '\\004'; sleep 0.3; \(typed) sleep 0.5"
            return try run(
                "/bin/sh", ["-c", "(\(typing)) | script -q -e -c '\(binDirectory)/kindling respond' /dev/null"],
                environment: sandbox.environment)
        }
        let quiet = try answer("reflection", "a slow walk", then: "")
        #expect(quiet.status == 0, "\(quiet)")
        #expect(quiet.stdout.contains("Saved as entry"), "\(quiet)")
        #expect(!quiet.stdout.contains("How is your mood") && !quiet.stdout.contains("And your energy"), "\(quiet.stdout)")

        let asking = try answer("intention", "be patient", then: "printf '3\\n'; sleep 0.2; printf '\\n';")
        #expect(asking.status == 0, "\(asking)")
        #expect(asking.stdout.contains("How is your mood"), "\(asking.stdout)")

        let journal = try sandbox.kindling("journal", "--json")
        #expect(journal.stdout.contains(#""mood" : 3"#), "\(journal.stdout)")
    }
}
