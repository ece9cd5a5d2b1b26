import Logging
import Testing

@testable import KindlingSystemd

/// The journal entry a log call becomes (the end-to-end tests read real ones off the
/// journal socket).
@Suite struct JournalLogHandlerTests {
    @Test func metadataBecomesFieldsOfTheirOwn() {
        let event = LogEvent(
            level: .warning, message: "the hook for prompt 3 exited with status 1", metadata: nil, source: "KindlingDaemon",
            file: "Daemon+Commands.swift", function: "launch", line: 42)
        let fields = JournalLogHandler.fields(
            event: event, metadata: ["event": "fired", "prompt-id": "3"], label: "kindlingd", identifier: "kindlingd")
        #expect(fields.contains("MESSAGE=the hook for prompt 3 exited with status 1"))
        #expect(fields.contains("PRIORITY=4"))
        #expect(fields.contains("SYSLOG_IDENTIFIER=kindlingd"))
        #expect(fields.contains("CODE_FILE=Daemon+Commands.swift") && fields.contains("CODE_LINE=42"))
        #expect(fields.contains("KINDLING_EVENT=fired") && fields.contains("KINDLING_PROMPT_ID=3"))
    }

    @Test func levelsMapToSyslogPriorities() {
        #expect(
            [Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical].map(JournalLogHandler.priority)
                == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test func withoutAJournalStreamStderrIsPlain() {
        #expect(!JournalLogHandler.stderrIsJournal(environment: [:]))
        #expect(!JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "1:2"]))
        #expect(!JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "garbage"]))
    }
}
