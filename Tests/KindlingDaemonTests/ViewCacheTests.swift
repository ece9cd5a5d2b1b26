import Foundation
import KindlingControl
import Testing

@testable import KindlingDaemon

/// `journal` and `stats` answer a repeated request with the result they kept: every write, a new
/// day, a reload to another time zone and one that hides streaks must show at once all the same.
/// (A reload writes to the journal, which alone makes the kept results stale; the zone is in the
/// key for `timezone = "local"`, which follows the system's zone without a write.)
@Suite(.serialized) struct ViewCacheTests {
    typealias Harness = DaemonTests.Harness

    static func config(streaks: Bool) -> String {
        "streaks = \(streaks)\n" + JournalHandlerTests.config
    }

    private func journal(_ harness: Harness, since: String? = nil) throws -> JournalResult {
        try harness.call(Request.Journal(since: since, until: nil, slot: nil, search: nil, limit: nil)).get()
    }

    private func stats(_ harness: Harness) throws -> StatsResult {
        try harness.call(Request.Stats(weeks: 2)).get()
    }

    @Test func everyWriteShowsAtOnce() throws {
        let harness = try Harness(config: Self.config(streaks: true))
        _ = try harness.call(Request.Note(text: "first", kind: nil)).get()
        #expect(try journal(harness).days.first?.notes.map(\.text) == ["first"])
        #expect(try stats(harness).days.last?.notes == 1)

        let second = try harness.call(Request.Note(text: "second", kind: nil)).get()
        #expect(try journal(harness).days.first?.notes.map(\.text) == ["first", "second"])
        #expect(try stats(harness).days.last?.notes == 2)

        _ = try harness.call(Request.Edit(id: second.id, text: "second, edited", mood: 4, energy: nil)).get()
        #expect(try journal(harness).days.first?.notes.last?.text == "second, edited")
        #expect(try stats(harness).days.last?.mood == 4)

        _ = try harness.call(Request.Delete(id: second.id)).get()
        #expect(try journal(harness).days.first?.notes.map(\.text) == ["first"])
        #expect(try stats(harness).days.last?.notes == 1)
    }

    /// Erasure is not only on disk: a deleted or edited entry's old words leave what was kept in
    /// memory at once, not at the next request; so do the whole journal's on `erase --all`.
    @Test func erasingDropsWhatWasKeptAtOnce() throws {
        let harness = try Harness(config: Self.config(streaks: true))
        let note = try harness.call(Request.Note(text: "words to forget", kind: nil)).get()
        _ = try journal(harness)
        #expect(!harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })
        _ = try harness.call(Request.Delete(id: note.id)).get()
        #expect(harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })

        let other = try harness.call(Request.Note(text: "words to change", kind: nil)).get()
        _ = try stats(harness)
        _ = try journal(harness)
        #expect(!harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })
        _ = try harness.call(Request.Edit(id: other.id, text: "changed", mood: nil, energy: nil)).get()
        #expect(harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })

        _ = try journal(harness)
        #expect(!harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })
        _ = try harness.call(Request.Erase()).get()
        #expect(harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })

        // A restore puts another journal in place: what was kept from this one goes.
        let backup = harness.root + "/backup.sqlite"
        _ = try harness.call(Request.Backup(output: backup)).get()
        _ = try harness.call(Request.Note(text: "after the backup", kind: nil)).get()
        _ = try journal(harness)
        #expect(!harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })
        _ = try harness.call(Request.Restore(path: backup)).get()
        #expect(harness.daemon.queue.sync { harness.daemon.viewCache.isEmpty })
    }

    /// The evening reflection readied ahead quotes this morning's intention; deleting the
    /// intention's answer takes the quote out of what is readied at once, and the status
    /// snapshot (which holds the intention too) goes.
    @Test func deletingTheIntentionTakesItOutOfTheReadiedReflection() throws {
        let config = "timezone = \"UTC\"\n[nudge]\nenabled = false\n[review]\nenabled = false\n"
        let harness = try Harness(config: config)
        let daemon = harness.daemon
        let fired = try harness.call(Request.Fire(slot: "intention")).get()
        let answer = try harness.call(
            Request.Respond(id: fired.id, text: "words to forget", mood: nil, energy: nil, channel: "cli")
        ).get()
        _ = try harness.call(Request.Status()).get()
        func readied() -> [String] {
            daemon.queue.sync {
                daemon.lifecycle.prepare(for: SchedulerTests.at(21))
                return daemon.lifecycle.ahead.map(\.composed.text)
                    + (daemon.lifecycle.prepared?.lines.map { String(decoding: $0.head + $0.tail, as: UTF8.self) } ?? [])
            }
        }
        #expect(readied().contains { $0.contains("words to forget") }, "\(readied())")
        #expect(daemon.queue.sync { daemon.statusCache } != nil)

        _ = try harness.call(Request.Delete(id: answer.id)).get()
        let after = daemon.queue.sync {
            daemon.lifecycle.ahead.map(\.composed.text)
                + (daemon.lifecycle.prepared?.lines.map { String(decoding: $0.head + $0.tail, as: UTF8.self) } ?? [])
        }
        #expect(!after.contains { $0.contains("words to forget") }, "\(after)")
        #expect(daemon.queue.sync { daemon.statusCache } == nil)
    }

    @Test func aNewDayAndAReloadedZoneShowAtOnce() throws {
        let harness = try Harness(config: Self.config(streaks: true))
        _ = try harness.call(Request.Note(text: "on Saturday", kind: nil)).get()
        #expect(try journal(harness, since: "today").days.count == 1)
        #expect(try stats(harness).today == "2026-11-21")

        harness.clock.advance(by: 86_400)
        #expect(try journal(harness, since: "today").days.isEmpty, "today is Sunday now")
        #expect(try stats(harness).today == "2026-11-22")

        #expect(try journal(harness).days.first?.notes.first?.at.hasSuffix("+00:00") == true)
        // Noon UTC on Sunday is already Monday morning in Auckland; the note's time moves too.
        let auckland = Self.config(streaks: true).replacingOccurrences(of: "\"UTC\"", with: "\"Pacific/Auckland\"")
        try auckland.write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        #expect(try stats(harness).today == "2026-11-23")
        #expect(try journal(harness).days.first?.notes.first?.at.hasSuffix("+13:00") == true)
    }

    @Test func aReloadThatHidesStreaksShowsAtOnce() throws {
        let harness = try Harness(config: Self.config(streaks: true))
        _ = try harness.call(Request.Note(text: "a note", kind: nil)).get()
        #expect(try stats(harness).streak != nil)
        try Self.config(streaks: false).write(toFile: harness.configFile, atomically: true, encoding: .utf8)
        _ = try harness.call(Request.Reload()).get()
        let hidden = try stats(harness)
        #expect(hidden.streak == nil && hidden.practisedDays == nil)
    }
}
