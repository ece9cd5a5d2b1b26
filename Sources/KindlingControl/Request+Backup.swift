/// The verbs that copy the journal whole: backups, restores, export and import.
extension Request {
    /// Copies the journal now, to `output` (an absolute path; nil: today's snapshot in the
    /// snapshots folder). An existing `output` is replaced only with `replace` (the person
    /// agreed), and only if it is a regular file.
    public struct Backup: ControlVerb {
        public typealias Result = BackupResult
        public static let wireName = "backup"
        public var output: String?
        public var replace: Bool

        public init(output: String?, replace: Bool = false) {
            self.output = output
            self.replace = replace
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            let output = try arguments.string("output")
            if let output, !output.hasPrefix("/") {
                throw ControlError(.badRequest, "\"output\" must be an absolute path")
            }
            self.init(output: output, replace: try arguments.bool("replace") ?? false)
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("output", output)
            arguments.flag("replace", replace)
        }
    }

    /// Replaces the journal with the Kindling journal at `path` (absolute), after a snapshot of
    /// the current one.
    public struct Restore: ControlVerb {
        public typealias Result = RestoreResult
        public static let wireName = "restore"
        public var path: String

        public init(path: String) {
            self.path = path
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            path = try arguments.absolutePath("path", else: "restore needs the absolute \"path\" of a journal file")
        }

        public func write(to arguments: inout ArgumentWriter) {
            arguments.set("path", path)
        }
    }

    /// The whole journal as a stream: the response (an ``ExportHeader``), then one
    /// ``ExportEntry`` a line in the order written, then an ``ExportEnd``.
    public struct Export: ControlVerb {
        public typealias Result = ExportHeader
        public static let wireName = "export"
        public init() {}
        public init(from arguments: ArgumentReader) {}
        public func write(to arguments: inout ArgumentWriter) {}
    }

    /// Saves the entries the journal does not have yet (same type, instant and text), keeping
    /// their times. `more`: further batches follow on this connection; the daemon may hold
    /// these and save them with the next ones, in one transaction (its reply then counts
    /// nothing yet). The last batch (`more` false) saves whatever is held.
    public struct Import: ControlVerb {
        public typealias Result = ImportResult
        public static let wireName = "import"
        public var entries: [ExportEntry]
        public var more: Bool

        public init(entries: [ExportEntry], more: Bool = false) {
            self.entries = entries
            self.more = more
        }

        public init(from arguments: ArgumentReader) throws(ControlError) {
            self.init(
                entries: try arguments.exportEntries("entries", verb: Self.wireName), more: try arguments.bool("more") ?? false)
        }

        public func write(to arguments: inout ArgumentWriter) {
            // Straight from each entry's own JSON line, the same bytes its JSONValue would
            // write (RequestTests compares the two): parsing every line back into a JSONValue
            // only to write it again was most of what an import cost the CLI.
            var list: [UInt8] = [UInt8(ascii: "[")]
            for (index, entry) in entries.enumerated() {
                if index > 0 { list.append(UInt8(ascii: ",")) }
                list.append(contentsOf: entry.jsonLine())
            }
            list.append(UInt8(ascii: "]"))
            arguments.set("entries", json: list)
            arguments.flag("more", more)
        }
    }
}
