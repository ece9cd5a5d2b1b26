import FoundationEssentials
import KindlingControl

/// Turns an export stream into the file `kindling export` writes, one entry at a time (nothing is held
/// but the current day): JSON Lines as the daemon sends it, CSV (RFC 4180), or Markdown grouped by day.
struct ExportRenderer {
    enum Format: String, CaseIterable {
        case json, csv, markdown
    }

    let format: Format
    private var currentDay: String?

    init(format: Format) {
        self.format = format
    }

    static let csvColumns = [
        "type", "id", "at", "local_date", "slot", "prompt", "kind", "text", "mood", "energy", "channel", "edited_at",
    ]

    /// What comes before the entries.
    func header(_ header: ExportHeader) -> String {
        switch format {
        case .json:
            let data = (try? ControlProtocol.makeEncoder().encode(header)) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        case .csv:
            return Self.csvColumns.joined(separator: ",") + "\r\n"
        case .markdown:
            return "# Kindling journal\n\nExported \(header.exportedAt) by Kindling \(header.version).\n"
        }
    }

    /// One entry; `raw` is the line as the daemon sent it (JSON Lines keeps it byte for byte).
    mutating func entry(_ entry: ExportEntry, raw: [UInt8]) -> String {
        switch format {
        case .json:
            return String(decoding: raw, as: UTF8.self) + "\n"
        case .csv:
            let fields: [String?] = [
                entry.type, entry.id.map(String.init), entry.at, entry.localDate, entry.slot, entry.prompt, entry.kind,
                entry.text,
                entry.mood.map(String.init), entry.energy.map(String.init), entry.channel, entry.editedAt,
            ]
            return fields.map { Self.csvField($0 ?? "") }.joined(separator: ",") + "\r\n"
        case .markdown:
            var out = ""
            if entry.localDate != currentDay {
                currentDay = entry.localDate
                out += "\n## \(entry.localDate)\n"
            }
            let time = entry.at.count >= 16 ? String(Array(entry.at)[11..<16]) : entry.at
            if entry.type == "answer" {
                let slot = entry.slot.map { Terminal.safe($0.prefix(1).uppercased() + $0.dropFirst()) } ?? "Answer"
                out += "\n### \(slot), \(time)\n\n"
                if let prompt = entry.prompt { out += Self.quoted(Terminal.safe(prompt)) + "\n\n" }
            } else {
                let title =
                    switch entry.kind {
                    case "given": "Kindness given"
                    case "received": "Kindness received"
                    default: "Note"
                    }
                out += "\n### \(title), \(time)\n\n"
            }
            // Markdown is read as text (often with cat): escape sequences in it are neutralised.
            // JSON and CSV keep every byte, for import and for spreadsheets.
            out += Terminal.safe(entry.text.trimmed()) + "\n"
            var feelings: [String] = []
            if let mood = entry.mood { feelings.append("mood \(mood)/5") }
            if let energy = entry.energy { feelings.append("energy \(energy)/5") }
            if !feelings.isEmpty { out += "\n*" + feelings.joined(separator: ", ") + "*\n" }
            return out
        }
    }

    /// What comes after the entries.
    func footer(_ end: ExportEnd) -> String {
        switch format {
        case .json, .csv: ""
        case .markdown: end.count == 0 ? "\nYour journal has no entries yet.\n" : ""
        }
    }

    /// A CSV field, quoted when it holds a comma, a quote, or a line break (quotes doubled).
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingEvery("\"", with: "\"\"") + "\""
    }

    /// A Markdown block quote.
    static func quoted(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
    }
}
