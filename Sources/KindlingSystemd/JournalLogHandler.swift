import CSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler that writes structured entries to the systemd journal with
/// `sd_journal_sendv`.
///
/// Each entry carries MESSAGE, PRIORITY (syslog levels), SYSLOG_IDENTIFIER, the source
/// location (CODE_FILE, CODE_LINE, CODE_FUNC) and every metadata key as a field of its own,
/// upper-cased and prefixed: `["event": "fired"]` becomes `KINDLING_EVENT=fired`, so
/// `journalctl --user -u kindling KINDLING_EVENT=fired` finds every delivered prompt.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let identifier: String

    public init(label: String, identifier: String = "kindlingd") {
        self.label = label
        self.identifier = identifier
    }

    /// Whether stderr is the journal stream systemd set up for this service: `JOURNAL_STREAM`
    /// holds its device and inode (`DEV:INODE`), as sd_journal_stream_fd(3) describes.
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = Self.fields(
            event: event, metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }, label: label,
            identifier: identifier)
        var pointers = fields.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        let count = Int32(pointers.count)
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                // Logging must never stop the daemon: a journal that refuses the entry loses it.
                _ = kindling_journal_send($0, count)
            }
        }
    }

    /// The journal fields of one entry, in order ("KEY=value"; values may span lines).
    static func fields(event: LogEvent, metadata: Logger.Metadata, label: String, identifier: String) -> [String] {
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(priority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "KINDLING_LOGGER=\(label)",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = fieldName(key)
            // sd_journal_sendv takes at most 64 fields here (see shim.h).
            if fields.count < 64, !name.isEmpty { fields.append("KINDLING_\(name)=\(value)") }
        }
        return fields
    }

    /// A journal field name: upper-case letters, digits and underscores only, short enough
    /// that `KINDLING_` + name stays within journald's 64 characters.
    static func fieldName(_ key: String) -> String {
        String(
            key.uppercased().unicodeScalars.prefix(64 - "KINDLING_".count).map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
    }

    /// syslog(3) priorities, as journald expects them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
