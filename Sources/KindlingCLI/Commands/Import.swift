import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling import FILE`: bring back a `kindling export` (JSON Lines); entries already there are skipped.
struct Import: VerbCommand {
    typealias Verb = Request.Import

    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring entries back from a `kindling export` file (JSON Lines), skipping those already there.",
        discussion: """
            An entry is already there when the journal has one of the same type, written at the same instant, \
            with the same text. Imported entries keep their times and get new ids.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The export file.", valueName: "FILE"))
    var file: String

    /// A batch's request stays under this many bytes, inside the 64 KiB line limit.
    static let batchBytes = 60 * 1024

    func run() throws {
        guard let stream = fopen(file, "r") else {
            throw CLIError("cannot read \(file): \(String(cString: strerror(errno)))")
        }
        defer { fclose(stream) }
        let client = global.client(patience: .longOperation)
        let decoder = ControlProtocol.makeDecoder()
        var total = ImportResult(added: 0, skipped: 0)
        var batch: [ExportEntry] = []
        var batchSize = 0
        var lineNumber = 0
        var sawHeader = false
        // Every request but the last says `more`: the daemon holds their entries and saves many
        // requests' worth in one transaction. Leaving early (a bad line) closes the connection,
        // and what it held is not saved: only what a reply counted is in the journal.
        var heldByDaemon = false
        // A `more` request is posted before the answer to the one before it is read, so that
        // this side reads the file while the daemon saves (100,000 entries: 3.2 -> 2.5 s). The
        // counts stay exact: a fault of the file's reads the answer on its way before it says
        // what was saved (`stop`); a refused batch drops what the daemon held, and the request
        // already on its way (64 KiB at most) cannot fill a transaction alone, so it saves
        // nothing; the last request, which saves what is held, waits for every earlier answer.
        var answerAwaited = false
        let progress = ImportProgress()
        // What a request adds around its entries (each entry then costs its line and a comma).
        let envelopeBytes = RequestEnvelope(id: Int.max, request: Verb(entries: [], more: true)).encoded().count

        /// Runs one step with the daemon (`step` gives its answer, or nil when it only posted a
        /// request), counts what the answer saved, and turns failures into the import's message.
        func exchange(_ step: () throws(ControlClient.ClientError) -> Result<ImportResult, ControlError>?) throws(CLIError) {
            let result: ImportResult
            do {
                switch try step() {
                case nil: return
                case .success(let value): result = value
                case .failure(let error): throw CLIError(Self.progress(total) + error.message, exitCode: 1)
                }
            } catch let error as ControlClient.ClientError {
                if total.added + total.skipped == 0, !error.requestMayHaveArrived { throw CLIError(error) }
                throw CLIError(Self.progress(total) + error.description, exitCode: error.exitCode)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(error)")
            }
            total.added += result.added
            total.skipped += result.skipped
            progress.show(total)
        }

        /// Reads the answer to the request on its way, if one is.
        func settle() throws(CLIError) {
            guard answerAwaited else { return }
            answerAwaited = false
            try exchange { () throws(ControlClient.ClientError) in try client.receive(Verb.self) }
        }

        func send(more: Bool) throws(CLIError) {
            guard !batch.isEmpty || (!more && heldByDaemon) else { return }
            let request = Verb(entries: batch, more: more)
            if more {
                try exchange { () throws(ControlClient.ClientError) in
                    try client.post(request)
                    return nil
                }
                try settle()
                answerAwaited = true
            } else {
                try settle()
                try exchange { () throws(ControlClient.ClientError) in try client.send(request) }
            }
            heldByDaemon = more
            batch.removeAll(keepingCapacity: true)
            batchSize = 0
        }

        /// Ends the import on a fault of the file's. The answer on its way is read first: the
        /// request it answers may have saved a transaction, which the message must count.
        func stop(_ reason: String) throws(CLIError) -> Never {
            try settle()
            throw CLIError(Self.progress(total) + reason, exitCode: 1)
        }
        defer { progress.clear() }

        // An export line holds one entry, whose request is at most 64 KiB: a longer line is refused
        // there, before it is read whole.
        var lines = FileLines(stream, limit: ControlProtocol.maxLineBytes)
        while let line = lines.next() {
            var text: String
            switch line {
            case .text(let raw, let number):
                text = raw
                lineNumber = number
            case .notUTF8(let number):
                try stop("line \(number) of \(file) is not valid UTF-8 (was the file re-encoded?)")
            case .tooLong(let number):
                try stop("line \(number) of \(file) is longer than 64 KiB, too long for one entry")
            }
            // An export's lines start with "{": only others are trimmed (Foundation's trimming
            // was a noticeable share of reading a large file).
            if text.utf8.first != UInt8(ascii: "{") { text = text.trimmed() }
            if text.isEmpty { continue }
            if !sawHeader {
                guard let header = try? decoder.decode(ExportHeader.self, from: Data(text.utf8)) else {
                    throw CLIError(
                        "\(file) is not a Kindling export (its first line is not the export header); nothing was imported")
                }
                guard header.kindlingExport == ExportHeader.formatVersion else {
                    throw CLIError(
                        "\(file) is a Kindling export of format \(header.kindlingExport), which this Kindling cannot read; nothing was imported"
                    )
                }
                sawHeader = true
                continue
            }
            // Read by hand rather than with JSONDecoder: the same entries, at a fraction of the cost.
            guard let entry = text.withUTF8({ ExportEntry.parse(line: $0) }) else {
                try stop("line \(lineNumber) of \(file) is not an exported entry")
            }
            // Measured as the request will carry it: the entry's JSON and a comma.
            let size = entry.jsonLine().count + 1
            guard envelopeBytes + size < Self.batchBytes else {
                try stop("the entry on line \(lineNumber) of \(file) is too long to import")
            }
            if envelopeBytes + batchSize + size > Self.batchBytes { try send(more: true) }
            batch.append(entry)
            batchSize += size
        }
        if ferror(stream) != 0 {
            let reason = String(cString: strerror(errno))
            try stop("cannot read \(file): \(reason)")
        }
        guard sawHeader else {
            throw CLIError("\(file) is empty, not a Kindling export; nothing was imported")
        }
        try send(more: false)
        progress.clear()
        if global.json { return try global.printJSON(total) }
        print(
            "Imported \(total.added) \(total.added == 1 ? "entry" : "entries"); skipped \(total.skipped) already in your journal."
        )
    }

    /// What was imported before a failure, so the person knows where things stand.
    private static func progress(_ total: ImportResult) -> String {
        total.added + total.skipped == 0 ? "nothing was imported: " : "stopped after importing \(total.added) entries: "
    }
}

/// A line on the terminal (stderr, only when it is one) saying how far a long import has come.
final class ImportProgress {
    private let shown = isatty(2) == 1
    private var wrote = false

    func show(_ total: ImportResult) {
        let done = total.added + total.skipped
        guard shown, done > 0 else { return }
        Terminal.writeError("\rImporting: \(done) entries so far\u{1B}[K")
        wrote = true
    }

    /// Removes the line, before the outcome is printed.
    func clear() {
        guard wrote else { return }
        Terminal.writeError("\r\u{1B}[K")
        wrote = false
    }
}
