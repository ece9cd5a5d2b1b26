import Foundation
import FuzzDriver
import KindlingControl
import KindlingCore
import KindlingDaemon
import KindlingStore

/// What must hold for any line an export file can hold. A broken rule is a crash (`fatalError`),
/// which libFuzzer saves as a reproducer.
///
/// Tests/KindlingDaemonTests/ImportFuzzCorpusTests.swift replays the corpus and every saved crash
/// against the same rules in `make test`; keep the two in step.
@main
enum FuzzImport {
    static func main() {
        FuzzDriver.run(check)
    }

    static let zones = [
        TimeZone(identifier: "UTC")!, TimeZone(secondsFromGMT: 14 * 3600)!, TimeZone(secondsFromGMT: -12 * 3600)!,
    ]

    static func check(_ bytes: [UInt8]) {
        // Printing a time is total: any eight bytes, as the instant a damaged journal could hold.
        if bytes.count >= 8 {
            let bits = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let date = Date(timeIntervalSince1970: Double(bitPattern: bits))
            for zone in zones where !Timestamp.string(date, in: zone).contains("T") {
                fatalError("Timestamp.string printed no time for \(date.timeIntervalSince1970)")
            }
        }
        // What `kindling import` passes on: a line of at most 64 KiB that is UTF-8 and an entry.
        guard bytes.count <= ControlProtocol.maxLineBytes, let text = String(validating: bytes, as: UTF8.self),
            let entry = try? ControlProtocol.makeDecoder().decode(ExportEntry.self, from: Data(text.utf8))
        else { return }
        switch ImportRules.record(entry) {
        case .failure(let invalid):
            guard !invalid.reason.isEmpty, !invalid.reason.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                fatalError("a refusal that is not one plain line: \(invalid.reason.debugDescription)")
            }
        case .success(let record):
            checkAccepted(record)
        }
    }

    /// An accepted entry is saved, found again when imported twice, and exported with times that
    /// every zone prints and that parse back to the same millisecond.
    static func checkAccepted(_ record: EntryRecord) {
        let slot: String?
        let channel: String?
        let at: Date
        switch record {
        case .answer(let answer): (slot, channel, at) = (answer.slot, answer.channel.rawValue, answer.answeredAt)
        case .note(let note): (slot, channel, at) = (nil, nil, note.createdAt)
        }
        for name in [slot, channel].compactMap({ $0 }) where !Configuration.isValidSlotName(name) {
            fatalError("an entry with the name \(name.debugDescription) was accepted")
        }
        guard Timestamp.journalRange.contains(at) else { fatalError("an entry at \(at) was accepted") }
        let journal = AppDatabase.inMemory()
        do {
            let first = try journal.importEntries([record], at: Date())
            let second = try journal.importEntries([record], at: Date())
            guard first.added == 1, second.skipped == 1 else { fatalError("imported \(first), then \(second)") }
            guard let saved = try journal.exportBatch(after: .start, limit: 10).first else {
                fatalError("the export left an imported entry out")
            }
            let savedAt: Date
            switch saved {
            case .answer(let answer): savedAt = answer.answeredAt
            case .note(let note): savedAt = note.createdAt
            }
            for zone in zones {
                let printed = Timestamp.string(savedAt, in: zone)
                guard let parsed = Timestamp.parse(printed),
                    Int64((parsed.timeIntervalSince1970 * 1000).rounded())
                        == Int64((savedAt.timeIntervalSince1970 * 1000).rounded())
                else { fatalError("\(printed) does not parse back to the instant it printed") }
            }
        } catch {
            fatalError("the journal refused an entry the import rules accepted: \(error)")
        }
    }
}
