import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// The registry is the daemon's handler table: every verb it lists has a handler, and each
/// verb's degraded-mode refusal is the one the person should read.
@Suite struct DaemonVerbTests {
    @Test func everyVerbInTheRegistryHasAHandler() {
        for verb in Request.verbs {
            #expect(verb is any DaemonVerb.Type, "\(verb.wireName) has no handler in the daemon")
        }
    }

    /// The verbs that work without the journal: prompts still flow on the in-memory stand-in,
    /// and erase and restore are how a person deals with a journal that cannot be opened; unlock
    /// opens a locked one, and encrypt and decrypt say themselves why they cannot go on.
    @Test func onlyTheJournalsVerbsAreRefusedWithoutIt() {
        let withoutJournal = Set(
            Request.verbs.compactMap { $0 as? any DaemonVerb.Type }.filter { $0.journalRefusal == nil }.map { $0.wireName })
        #expect(
            withoutJournal == [
                "status", "reload", "next", "pending", "watch", "fire", "snooze", "skip", "pause", "resume", "restore",
                "erase", "breathe", "prompt_list", "program_list", "program_show", "program_add", "encrypt", "decrypt",
                "unlock",
            ])
        let refusal = Request.Respond(id: nil, text: "t", mood: nil, energy: nil, channel: "cli").refusal(
            journalProblem: "the disk is full")
        #expect(refusal == ControlError(.storage, "your answer was NOT saved: the disk is full"))
    }
}
