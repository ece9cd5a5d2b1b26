import ArgumentParser
import Foundation
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling export --format json|csv|markdown [--output FILE]`: the whole journal, streamed.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write your whole journal out: JSON Lines (for `kindling import`), CSV or Markdown.",
        discussion: """
            json is JSON Lines: a header object, then one entry a line, oldest first. The journal is \
            streamed, so even a large one takes little memory. FILE is created private (mode 0600).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("json (JSON Lines), csv or markdown.", valueName: "FORMAT"))
    var format: String = "json"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func validate() throws {
        guard ExportRenderer.Format(rawValue: format) != nil else {
            throw ValidationError("--format takes json, csv or markdown")
        }
    }

    func run() throws {
        var renderer = ExportRenderer(format: ExportRenderer.Format(rawValue: format) ?? .json)
        let client = global.client(patience: .longOperation)
        let header: ExportHeader
        do {
            switch try client.send(.export, expecting: ExportHeader.self) {
            case .success(let value): header = value
            case .failure(let error): throw CLIError(error.message, exitCode: 1)
            }
        } catch let error as ControlClient.ClientError {
            throw CLIError(error)
        }

        let sink = try Self.open(output)
        defer { if output != nil { try? sink.close() } }
        let decoder = ControlProtocol.makeDecoder()
        // Written in blocks, not a system call per entry.
        var pending = Data()
        func emit(_ text: String, force: Bool = false) throws {
            pending.append(contentsOf: text.utf8)
            if force || pending.count >= 1 << 16 {
                try sink.write(contentsOf: pending)
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
                    if let output { FileHandle.standardError.write(Data("Exported \(end.count) entries to \(output).\n".utf8)) }
                    return
                }
            }
        } catch let error as CLIError {
            throw error
        } catch let error as ControlClient.ClientError {
            throw CLIError("the export is incomplete: \(error.description)")
        } catch {
            throw CLIError("cannot write the export: \(error.localizedDescription)")
        }
    }

    /// Standard output, or FILE created (or truncated) with mode 0600.
    static func open(_ path: String?) throws(CLIError) -> FileHandle {
        guard let path else { return FileHandle.standardOutput }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        guard fchmod(fd, 0o600) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw CLIError("cannot make \(path) private: \(reason)")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
