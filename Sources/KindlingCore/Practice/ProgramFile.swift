// Reading a program file (DESIGN.md "Programs") with the same TOML reader and the same
// checks as config.toml: every problem becomes one ConfigError line, file:line: key:
// what is wrong and how to fix it. Reading never changes anything; the caller decides
// what to do with a program that passed.
import Foundation

/// Reads and checks program files.
public enum ProgramFile {
    /// The largest program file Kindling reads (256 KiB; a long program is a few dozen KiB).
    public static let maximumFileSize = 256 * 1024
    /// The most `[[step]]` blocks a program may have (a year of days, and some).
    public static let maximumSteps = 400
    /// The most prompts one step may offer for one slot.
    public static let maximumPromptsPerSlot = 31
    /// The longest prompt, in characters: it has to fit a notification.
    public static let maximumPromptLength = 300
    /// The longest name.
    public static let maximumNameLength = 40
    /// Names no file may take: the built-in programs and `none`.
    public static var reservedNames: [String] { BuiltInPrograms.all.map(\.name) + ["none"] }

    static let rootKeys = ["name", "title", "description", "steps_by", "step"]
    static let stepKeys = ["title"] + ProgramDefinition.slots

    static let tooLargeMessage =
        "is larger than 256 KiB; a program is a few kilobytes, is this the right file? Split a very long program in two"

    /// Reads and checks the file at `path`.
    ///
    /// - Returns: the program, or every problem found (in line order, at least one).
    public static func load(contentsOf path: String) -> Result<ProgramDefinition, ProgramFileErrors> {
        loadWithText(contentsOf: path).map(\.program)
    }

    /// Like ``load(contentsOf:)``, with the file's text as read (for `kindling program add`,
    /// which keeps the checked text itself).
    public static func loadWithText(contentsOf path: String)
        -> Result<(program: ProgramDefinition, text: String), ProgramFileErrors>
    {
        switch readFile(path) {
        case .success(let text): check(text, file: path).map { (program: $0, text: text) }
        case .failure(let error): .failure(ProgramFileErrors([error]))
        }
    }

    /// Checks program text. `file` names it in messages; `builtIn` lets the compiled-in
    /// programs keep their reserved names.
    public static func check(_ text: String, file: String, builtIn: Bool = false)
        -> Result<ProgramDefinition, ProgramFileErrors>
    {
        check(bytes: Array(text.utf8), file: file, builtIn: builtIn)
    }

    /// Checks the bytes of a program file, as ``check(_:file:builtIn:)``.
    static func check(bytes: [UInt8], file: String, builtIn: Bool = false)
        -> Result<ProgramDefinition, ProgramFileErrors>
    {
        let document: TOMLMap
        let positions: ConfigPositions
        switch ConfigDocument.read(bytes, file: file, maximumSize: maximumFileSize, tooLarge: tooLargeMessage) {
        case .success(let read): (document, positions) = read
        case .failure(let error): return .failure(ProgramFileErrors([error]))
        }
        let diagnostics = Diagnostics(file: file, positions: positions)
        let program = ProgramReader(diagnostics: diagnostics, builtIn: builtIn).read(document)
        let errors = diagnostics.sorted(limit: 50)
        if let program, errors.isEmpty { return .success(program) }
        return .failure(
            ProgramFileErrors(errors.isEmpty ? [ConfigError(file: file, message: "is not a program file")] : errors))
    }

    /// Why `name` cannot name a program, or nil when it can (built-in names aside).
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty; give the program a short name such as \"gentle-week\"" }
        if name.count > maximumNameLength {
            return "is \(name.count) characters long; keep the name under \(maximumNameLength + 1), e.g. \"gentle-week\""
        }
        let allowed = name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        if !allowed || name.hasPrefix("-") || name.hasSuffix("-") {
            let suggestion = String(
                name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
                    .filter { $0.isASCII }
            )
            .split(separator: "-").joined(separator: "-")
            var message = "\(quoted(name)) may hold only small letters a-z, digits and dashes (not at either end)"
            if !suggestion.isEmpty { message += "; for example \"\(suggestion)\"" }
            return message
        }
        return nil
    }

    // MARK: Reading the file

    /// The file's text: one refusal when it is missing, not a regular file, too large or
    /// not UTF-8.
    static func readFile(_ path: String) -> Result<String, ConfigError> {
        func failure(_ message: String) -> Result<String, ConfigError> { .failure(ConfigError(file: path, message: message)) }
        func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
        guard !path.isEmpty else { return failure("the program file path is empty") }
        // O_NONBLOCK so that a FIFO cannot hang the reader; the kind of file is checked below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return failure("cannot read the program file: \(reason(errno))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return failure("cannot read the program file: \(reason(errno))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return failure("is not a regular file; give the path of a program's .toml file")
        }
        guard Int(info.st_size) <= maximumFileSize else { return failure(tooLargeMessage) }
        do throws(ConfigError) {
            let bytes = try Configuration.readAll(fd, limit: maximumFileSize) { code in
                ConfigError(
                    file: path, message: code == 0 ? tooLargeMessage : "cannot read the program file: \(reason(code))")
            }
            return .success(try ConfigDocument.decodeUTF8(bytes, file: path))
        } catch {
            return .failure(error)
        }
    }
}

/// Every problem in a program file, in line order; ``description`` is one line each.
public struct ProgramFileErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems (never empty).
    public var errors: [ConfigError]

    init(_ errors: [ConfigError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads one parsed program document, reporting each problem to `diagnostics`.
struct ProgramReader {
    let diagnostics: Diagnostics
    let builtIn: Bool

    func read(_ document: TOMLMap) -> ProgramDefinition? {
        let root = TableReader(document, at: .root, knownKeys: nil, diagnostics: diagnostics)
        for key in document.keys where !ProgramFile.rootKeys.contains(key) {
            var message = "is not a program setting"
            if let near = closestMatch(to: key, among: ProgramFile.rootKeys) {
                message += "; did you mean \"\(near)\"?"
            } else if ProgramFile.stepKeys.contains(key) {
                message += "; it belongs inside a [[step]] block"
            } else {
                message += "; a program takes name, title, description, steps_by and [[step]] blocks"
            }
            diagnostics.report(ConfigKeyPath.root.appending(key), message)
        }
        let name = readName(root)
        let title = required(root, "title", example: "title = \"A gentle week\"")
        let description = root.string("description", expected: "text in quotes") ?? ""
        let stepsBy = readStepsBy(root)
        let steps = readSteps(document)
        guard let name, let title, let stepsBy, let steps else { return nil }
        return ProgramDefinition(name: name, title: title, description: description, stepsBy: stepsBy, steps: steps)
    }

    func required(_ t: TableReader, _ key: String, example: String) -> String? {
        let path = t.path.appending(key)
        guard t.value(key) != nil else {
            diagnostics.report(path, "is missing; add a line such as \(example)")
            return nil
        }
        guard let text = t.string(key, expected: "text in quotes, as in \(example)") else { return nil }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            diagnostics.report(path, "is empty; write it as in \(example)")
            return nil
        }
        return text
    }

    func readName(_ root: TableReader) -> String? {
        guard let name = required(root, "name", example: "name = \"gentle-week\"") else { return nil }
        let path = ConfigKeyPath.root.appending("name")
        if let problem = ProgramFile.nameProblem(name) {
            diagnostics.report(path, problem)
            return nil
        }
        if !builtIn, name == "none" {
            diagnostics.report(path, "\"none\" means no program in the config; choose another name, e.g. \"my-program\"")
            return nil
        }
        if !builtIn, ProgramFile.reservedNames.contains(name) {
            diagnostics.report(
                path,
                "\(quoted(name)) is the name of a program that comes with Kindling; choose another, e.g. \"\(name)-own\"")
            return nil
        }
        return name
    }

    func readStepsBy(_ root: TableReader) -> ProgramDefinition.StepUnit? {
        guard let text = required(root, "steps_by", example: "steps_by = \"day\"") else { return nil }
        if let unit = ProgramDefinition.StepUnit(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) {
            return unit
        }
        diagnostics.report(
            ConfigKeyPath.root.appending("steps_by"),
            "\(quoted(text)) is not a way to step; write \"day\" (one step per practised day) or \"week\" (one per week of practice)"
        )
        return nil
    }

    func readSteps(_ document: TOMLMap) -> [ProgramDefinition.Step]? {
        let path = ConfigKeyPath.root.appending("step")
        guard let value = document.value("step") else {
            diagnostics.report(
                path, "is missing: a program needs at least one [[step]] block with a title and some prompts")
            return nil
        }
        guard let array = value.array, !array.isEmpty else {
            let shape =
                value.table != nil
                ? "write [[step]] with double brackets, one block per step" : "must be written as [[step]] blocks"
            diagnostics.report(path, shape)
            return nil
        }
        guard array.count <= ProgramFile.maximumSteps else {
            diagnostics.report(
                path,
                "has \(array.count) [[step]] blocks; at most \(ProgramFile.maximumSteps) are allowed, so split the program in two"
            )
            return nil
        }
        var steps: [ProgramDefinition.Step] = []
        var ok = true
        for index in 0..<array.count {
            let stepPath = path.appending(index: index + 1)
            guard let table = array[index].table else {
                diagnostics.report(stepPath, "must be a [[step]] block, not \(describe(array[index]))")
                ok = false
                continue
            }
            if let step = readStep(table, at: stepPath) { steps.append(step) } else { ok = false }
        }
        return ok ? steps : nil
    }

    func readStep(_ table: TOMLMap, at path: ConfigKeyPath) -> ProgramDefinition.Step? {
        let t = TableReader(table, at: path, knownKeys: ProgramFile.stepKeys, diagnostics: diagnostics)
        var ok = table.keys.allSatisfy { ProgramFile.stepKeys.contains($0) }
        let title = required(t, "title", example: "title = \"Rest without earning it\"")
        if title == nil { ok = false }
        var lists: [String: [String]] = [:]
        for slot in ProgramDefinition.slots {
            guard let value = t.value(slot) else { continue }
            if let prompts = readPrompts(value, at: path.appending(slot)) { lists[slot] = prompts } else { ok = false }
        }
        if ok, lists.values.allSatisfy(\.isEmpty) {
            diagnostics.report(
                path,
                "offers no prompts; give it at least one of intention, nudge or reflection, e.g. nudge = [\"Drink a glass of water, slowly.\"]"
            )
            ok = false
        }
        guard ok, let title else { return nil }
        return ProgramDefinition.Step(
            title: title, intention: lists["intention"] ?? [], nudge: lists["nudge"] ?? [],
            reflection: lists["reflection"] ?? [])
    }

    /// A slot's list of prompts: text in quotes, each non-empty and short enough.
    func readPrompts(_ value: TOMLNodeValue, at path: ConfigKeyPath) -> [String]? {
        let slot = path.lastKey ?? "prompts"
        guard let array = value.array else {
            diagnostics.report(
                path, "must be a list of prompts in square brackets, e.g. \(slot) = [\"...\"], not \(describe(value))")
            return nil
        }
        guard !array.isEmpty else {
            diagnostics.report(
                path, "is an empty list; add a prompt, or leave \(slot) out so the everyday prompts are used on this step")
            return nil
        }
        guard array.count <= ProgramFile.maximumPromptsPerSlot else {
            diagnostics.report(
                path, "has \(array.count) prompts; at most \(ProgramFile.maximumPromptsPerSlot) are allowed in one step")
            return nil
        }
        var prompts: [String] = []
        for index in 0..<array.count {
            let itemPath = path.appending(index: index + 1)
            guard let text = array[index].string else {
                diagnostics.report(itemPath, "must be text in quotes, not \(describe(array[index]))")
                return nil
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diagnostics.report(itemPath, "is empty; write the prompt, or remove it from the list")
                return nil
            }
            if text.count > ProgramFile.maximumPromptLength {
                diagnostics.report(
                    itemPath,
                    "is \(text.count) characters long; keep a prompt to \(ProgramFile.maximumPromptLength) or fewer so it fits a notification"
                )
                return nil
            }
            if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                let name = "\\u{" + String(bad.value, radix: 16, uppercase: true) + "}"
                diagnostics.report(itemPath, "contains the control character \(name); keep each prompt on one line")
                return nil
            }
            prompts.append(text)
        }
        return prompts
    }
}
