import ArgumentParser
import Foundation
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling import FILE`: bring back a `kindling export` (JSON Lines); entries already there are skipped.
struct Import: ParsableCommand {
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

        func send() throws(CLIError) {
            guard !batch.isEmpty else { return }
            let result: ImportResult
            do {
                switch try client.send(.import(entries: batch), expecting: ImportResult.self) {
                case .success(let value): result = value
                case .failure(let error):
                    throw CLIError(Self.progress(total) + error.message, exitCode: 1)
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
            batch.removeAll(keepingCapacity: true)
            batchSize = 0
        }

        // An export line holds one entry, whose request is at most 64 KiB: a longer line is refused
        // there, before it is read whole.
        var lines = FileLines(stream, limit: ControlProtocol.maxLineBytes)
        while let line = lines.next() {
            let raw: String
            switch line {
            case .text(let text, let number):
                raw = text
                lineNumber = number
            case .notUTF8(let number):
                throw CLIError(
                    Self.progress(total) + "line \(number) of \(file) is not valid UTF-8 (was the file re-encoded?)",
                    exitCode: 1)
            case .tooLong(let number):
                throw CLIError(
                    Self.progress(total) + "line \(number) of \(file) is longer than 64 KiB, too long for one entry",
                    exitCode: 1)
            }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let data = Data(text.utf8)
            if !sawHeader {
                guard let header = try? decoder.decode(ExportHeader.self, from: data) else {
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
            guard let entry = try? decoder.decode(ExportEntry.self, from: data) else {
                throw CLIError(Self.progress(total) + "line \(lineNumber) of \(file) is not an exported entry", exitCode: 1)
            }
            // Measured as the request will carry it (a lone entry's request: a little more than its share).
            let size = RequestEnvelope(id: Int.max, request: .import(entries: [entry])).encoded().count
            guard size < Self.batchBytes else {
                throw CLIError(
                    Self.progress(total) + "the entry on line \(lineNumber) of \(file) is too long to import", exitCode: 1)
            }
            if batchSize + size > Self.batchBytes { try send() }
            batch.append(entry)
            batchSize += size
        }
        if ferror(stream) != 0 {
            throw CLIError(Self.progress(total) + "cannot read \(file): \(String(cString: strerror(errno)))", exitCode: 1)
        }
        guard sawHeader else {
            throw CLIError("\(file) is empty, not a Kindling export; nothing was imported")
        }
        try send()
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
