import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling export --format json|csv|markdown [--output FILE]`: the whole journal, streamed.
struct Export: VerbCommand {
    typealias Verb = Request.Export

    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write your whole journal out: JSON Lines (for `kindling import`), CSV or Markdown.",
        discussion: """
            json is JSON Lines: a header object, then one entry a line, oldest first. The journal is \
            streamed, so even a large one takes little memory. FILE is created private (mode 0600) and \
            appears only once the export is whole; an existing FILE is replaced only when you agree (or \
            with --force), and only if it is a regular file.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("json (JSON Lines), csv or markdown.", valueName: "FORMAT"))
    var format: String = "json"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    @Flag(name: .long, help: "Replace an existing FILE without asking.")
    var force = false

    func validate() throws {
        guard ExportRenderer.Format(rawValue: format) != nil else {
            throw ValidationError("--format takes json, csv or markdown")
        }
    }

    func run() throws {
        var renderer = ExportRenderer(format: ExportRenderer.Format(rawValue: format) ?? .json)
        if let output, try !OutputFile.mayWrite(output, force: force, what: "export") { return }
        let client = global.client(patience: .longOperation)
        let header: ExportHeader
        do {
            switch try client.send(Verb()) {
            case .success(let value): header = value
            case .failure(let error): throw CLIError(error.message, exitCode: 1)
            }
        } catch let error as ControlClient.ClientError {
            throw CLIError(error)
        }

        let file = try output.map { path throws(CLIError) in try OutputFile.Temporary(beside: path) }
        // Anything but a whole export leaves FILE as it was.
        defer { file?.discard() }
        let sink = file?.descriptor ?? 1
        let decoder = ControlProtocol.makeDecoder()
        // Written in blocks, not a system call per entry.
        var pending = Data()
        func emit(_ text: String, force: Bool = false) throws {
            pending.append(contentsOf: text.utf8)
            if force || pending.count >= 1 << 16 {
                try SystemError.write(sink, pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        let copiesLines = renderer.format == .json
        do {
            try emit(renderer.header(header))
            while true {
                let line = try client.readLine()
                // JSON Lines are copied as they come: an entry line (sorted keys, so it opens
                // with "at") needs no decoding; only the end line does.
                if copiesLines, line.starts(with: Array(#"{"at":"#.utf8)) {
                    pending.append(contentsOf: line)
                    pending.append(UInt8(ascii: "\n"))
                    if pending.count >= 1 << 16 { try emit("") }
                    continue
                }
                guard let item = try? decoder.decode(ExportLine.self, from: Data(line)) else {
                    throw CLIError("the daemon sent a line that is not part of an export; the export is incomplete")
                }
                switch item {
                case .entry(let entry):
                    try emit(renderer.entry(entry, raw: line))
                case .end(let end):
                    try emit(renderer.footer(end), force: true)
                    if let error = end.error { throw CLIError("the export is incomplete: \(error)") }
                    try file?.commit()
                    if let output {
                        Terminal.printError("Exported \(end.count) entries to \(output).")
                        // The journal may be encrypted at rest; what the person asked for is not.
                        if (try? global.call(Request.Status()))?.encryption?.journal == "encrypted" {
                            Terminal.printError("The export is not encrypted: anyone who can read \(output) can read it.")
                        }
                    }
                    return
                }
            }
        } catch let error as CLIError {
            throw error
        } catch let error as ControlClient.ClientError {
            let kept = output.map { "; \($0) was left as it was" } ?? ""
            throw CLIError("the export is incomplete: \(error.description)\(kept)", exitCode: error.exitCode)
        } catch {
            let kept = output.map { "; \($0) was left as it was" } ?? ""
            throw CLIError("cannot write the export: \(SystemError.describe(error))\(kept)")
        }
    }
}
