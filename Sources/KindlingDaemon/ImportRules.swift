import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// What an imported entry must be before it reaches the journal: a time from 1970 to 9999 (UTC),
/// a local date within a day of it, a text of at most 32 KiB, and slot and channel names that keep
/// to the config's rule for slot names. Public for the import fuzzer (Fuzz/Sources/FuzzImport).
public enum ImportRules {
    /// One saved text is at most 32 KiB of UTF-8 (DESIGN.md); an imported one too.
    public static let maximumTextBytes = 32 * 1024

    /// Why an entry cannot be imported: the end of a sentence that starts with "entry N ".
    public struct Invalid: Error, Equatable, Sendable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The journal record for an exported entry, or why it cannot be one.
    public static func record(_ entry: ExportEntry) -> Result<EntryRecord, Invalid> {
        guard let at = Timestamp.parse(entry.at) else { return .failure(Invalid("has no valid time \"at\"")) }
        guard Timestamp.journalRange.contains(at) else {
            return .failure(Invalid("has a time \"at\" outside 1970 to 9999 (UTC)"))
        }
        let date = entry.localDate
        guard date.count == 10, let day = LocalDate(date) else {
            return .failure(Invalid("has no valid \"local_date\" (YYYY-MM-DD)"))
        }
        // The local date was the day in the person's zone when they wrote: at most a day away from
        // the UTC date of the same instant (zones span -12:00 to +14:00).
        let utcDay = Int((at.timeIntervalSince1970 / 86_400).rounded(.down))
        guard abs(day.daysSinceEpoch - utcDay) <= 1 else {
            return .failure(Invalid("has a \"local_date\" (\(date)) that is not the day of its time \"at\""))
        }
        // The same test as trimming `.whitespacesAndNewlines` and finding nothing left, stopping at
        // the first other character: trimming bridged every text through NSString (a fifth of a
        // large import's time in the daemon).
        guard entry.text.unicodeScalars.contains(where: { !CharacterSet.whitespacesAndNewlines.contains($0) }) else {
            return .failure(Invalid("has no text"))
        }
        for (name, value) in [("text", entry.text), ("prompt", entry.prompt ?? "")] where value.utf8.count > maximumTextBytes {
            return .failure(Invalid("has a \"\(name)\" longer than 32 KiB"))
        }
        var editedAt: Date?
        if let edited = entry.editedAt {
            guard let parsed = Timestamp.parse(edited), Timestamp.journalRange.contains(parsed) else {
                return .failure(Invalid("has an invalid \"edited_at\" (a time from 1970 to 9999, UTC)"))
            }
            editedAt = parsed
        }
        for (name, value) in [("mood", entry.mood), ("energy", entry.energy)] {
            if let value, !(1...5).contains(value) { return .failure(Invalid("has \(name) \(value), outside 1 to 5")) }
        }
        switch entry.type {
        case "answer":
            // Slot and channel are printed by `journal`, `pending`, `watch` and the exports: held to
            // the config's rule for slot names, they can never carry an escape sequence.
            if let slot = entry.slot, !Configuration.isValidSlotName(slot) {
                return .failure(Invalid("has a slot name that is not a-z, 0-9, \"-\" or \"_\" (at most 32)"))
            }
            if let channel = entry.channel, !channel.isEmpty, !Configuration.isValidSlotName(channel) {
                return .failure(Invalid("has a channel that is not a-z, 0-9, \"-\" or \"_\" (at most 32)"))
            }
            let channel = entry.channel.flatMap { $0.isEmpty ? nil : EntryChannel(rawValue: $0) } ?? .imported
            return .success(
                .answer(
                    AnswerRecord(
                        deliveryID: nil, slot: entry.slot, promptText: entry.prompt, text: entry.text, mood: entry.mood,
                        energy: entry.energy, channel: channel, answeredAt: at, localDate: date, editedAt: editedAt)))
        case "note":
            var kind: NoteRecord.Kind?
            if let raw = entry.kind {
                guard let known = NoteRecord.Kind(rawValue: raw) else {
                    return .failure(Invalid("has a note kind other than \"given\" or \"received\""))
                }
                kind = known
            }
            return .success(
                .note(
                    NoteRecord(
                        text: entry.text, kind: kind, createdAt: at, localDate: date, editedAt: editedAt, mood: entry.mood,
                        energy: entry.energy)))
        default:
            return .failure(Invalid("is neither an \"answer\" nor a \"note\""))
        }
    }
}
