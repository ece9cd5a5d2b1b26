import ArgumentParser
import Foundation
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling edit ID [TEXT] [--mood N] [--energy N]`: change an answer or a note.
struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change an entry's text, or an answer's mood or energy.",
        discussion: """
            Without TEXT (and without --mood or --energy) the entry opens in $EDITOR (vi when unset), \
            in a private temporary file that is removed afterwards. `kindling journal` shows each entry's id.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's id.")
    var id: Int64

    @Argument(help: ArgumentHelp("The new text.", valueName: "TEXT"))
    var words: [String] = []

    @Option(name: .long, help: "How you felt, 1 (low) to 5 (bright). Answers only.")
    var mood: Int?

    @Option(name: .long, help: "Your energy, 1 (drained) to 5 (full). Answers only.")
    var energy: Int?

    func validate() throws {
        guard id > 0 else { throw ValidationError("an entry id is a positive number") }
        for (name, value) in [("--mood", mood), ("--energy", energy)] {
            if let value, !(1...5).contains(value) { throw ValidationError("\(name) must be from 1 to 5") }
        }
    }

    func run() throws {
        var text: String? = words.isEmpty ? nil : words.joined(separator: " ")
        if text == nil, mood == nil, energy == nil {
            let current = try global.call(.entry(id: id), expecting: JournalEntry.self)
            let edited = try EntryEditor.edit(current.text, id: id)
            guard let edited, edited != current.text else {
                if global.json { return try global.printJSON(current) }
                print("Entry \(id) is unchanged; nothing was saved.")
                return
            }
            guard !edited.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                print("The text is empty, so nothing was saved. (`kindling delete \(id)` removes an entry.)")
                return
            }
            text = edited
        }
        if let text { try SavedText.checkSize(text, "edit") }
        let result: JournalEntry
        do {
            result = try global.call(.edit(id: id, text: text, mood: mood, energy: energy), expecting: JournalEntry.self)
        } catch {
            throw text.map { SavedText.keeping(error, $0, "edit") } ?? error
        }
        if global.json { return try global.printJSON(result) }
        print("Saved entry \(result.id).")
    }
}

/// Opens an entry's text in the person's editor.
enum EntryEditor {
    /// Writes `text` to a private file (0600, in a 0700 folder under $XDG_RUNTIME_DIR or the temporary
    /// folder), runs $EDITOR (else `vi`) on it, and returns what it holds afterwards, without the final
    /// newline editors add; nil when the editor left it as it was. The file is removed in any case.
    static func edit(
        _ text: String, id: Int64, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CLIError) -> String? {
        let editor = environment["EDITOR"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "vi"
        var base = environment["XDG_RUNTIME_DIR"] ?? ""
        var isDirectory: ObjCBool = false
        if base.isEmpty || !FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory) || !isDirectory.boolValue {
            base = NSTemporaryDirectory()
        }
        var template = Array((base.hasSuffix("/") ? base : base + "/").appending("kindling-edit.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLIError("could not create a private temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/entry-\(id).txt"
        let original = text.hasSuffix("\n") ? text : text + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("could not create \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(original.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw CLIError("could not write \(path); nothing was changed") }

        // The editor's own words may carry arguments ("code --wait"); the file's path is passed
        // as "$1", never spliced into the command line.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "kindling-edit", path]
        do {
            try process.run()
        } catch {
            throw CLIError("could not start the editor (\(editor)): \(error.localizedDescription); nothing was changed")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw CLIError(
                "the editor (\(editor)) did not finish cleanly (status \(process.terminationStatus)); nothing was changed")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("the edited file is gone (\(path)); nothing was changed")
        }
        let edited = String(decoding: data, as: UTF8.self)
        if edited == original { return nil }
        return edited.hasSuffix("\n") ? String(edited.dropLast()) : edited
    }
}
