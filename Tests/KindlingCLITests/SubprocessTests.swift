import Testing

@testable import KindlingCLI

/// The CLI's own posix_spawn runner (systemctl, kindlingd's checks, the answer window).
/// Serialized: while it feeds a program, the runner sets SIGPIPE aside for the whole process
/// (the CLI has one thread), and two at once could put back each other's setting.
@Suite(.serialized) struct SubprocessTests {
    @Test func outputAndStatusComeBack() throws {
        let outcome = try Subprocess.run("sh", ["-c", "printf 'kind words'; exit 3"])
        #expect(outcome.status == 3 && outcome.text == "kind words")
    }

    @Test func errorsAreMergedOnlyWhenAsked() throws {
        let merged = try Subprocess.run("sh", ["-c", "echo out; echo err >&2"], mergeErrors: true)
        #expect(merged.text == "out\nerr\n")
    }

    /// A megabyte through `cat`: input and output move together, so neither pipe can fill up.
    @Test func aLargeInputAndAnswerDoNotDeadlock() throws {
        let input = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let outcome = try Subprocess.run("cat", [], input: input)
        #expect(outcome.status == 0 && outcome.output == input)
    }

    /// A program that stops reading early ends as itself; kindling is not ended by SIGPIPE.
    @Test func aProgramThatClosesItsInputEarlyIsFine() throws {
        let input = [UInt8](repeating: 0x61, count: 4 << 20)
        let outcome = try Subprocess.run("sh", ["-c", "head -c 10 >/dev/null; echo done"], input: input)
        #expect(outcome.status == 0 && outcome.text == "done\n")
    }

    @Test func withoutInputItReadsNothing() throws {
        let outcome = try Subprocess.run("sh", ["-c", "cat; echo end"])
        #expect(outcome.text == "end\n")
    }

    @Test func aSignalIsReportedAs128PlusItsNumber() throws {
        let outcome = try Subprocess.run("sh", ["-c", "kill -KILL $$"])
        #expect(outcome.status == 128 + 9)
    }

    @Test func aMissingProgramIsTheSystemsReason() {
        #expect(throws: SystemError.self) { try Subprocess.run("/nonexistent/kindling-helper", []) }
        do {
            _ = try Subprocess.run("no-such-program-kindling", [])
            Issue.record("a missing program started")
        } catch {
            #expect(error.description == "No such file or directory")
        }
    }
}
