// Loading config.toml: reading the file's bytes, reading them as TOML with the project's own
// reader (ConfigDocument.swift), checking every key and value (ConfigReader.swift), and turning
// each problem into a one-line ConfigError with file, line and key.
import Foundation

extension Configuration {
    /// The built-in defaults: ``defaultTOML`` parsed. Identical to `Config/kindling.toml`.
    public static let defaults: Configuration = {
        do {
            return try throwingFirst(check(Array(defaultTOML.utf8), file: defaultFileName, base: placeholder))
        } catch {
            fatalError("Kindling's built-in default configuration is invalid: \(error)")
        }
    }()

    /// The name used for the compiled-in default file in messages.
    public static let defaultFileName = "<built-in defaults>"

    /// The largest config file Kindling reads (1 MiB).
    public static let maximumFileSize = 1 << 20

    static let tooLargeMessage = "is larger than 1 MiB; a Kindling config is a few kilobytes, is this the right file?"

    /// Reads and checks a config file.
    ///
    /// - Throws: ``ConfigError`` naming the file: when it is missing or unreadable (with the
    ///   system's reason), not UTF-8, not valid TOML, or holds an unknown key or a bad value.
    public static func load(contentsOf path: String) throws(ConfigError) -> Configuration {
        guard let bytes = try readFile(path) else {
            throw ConfigError(
                file: path, message: "cannot read the config file: \(String(cString: strerror(ENOENT)))"
            )
        }
        return try throwingFirst(check(bytes, file: path, base: defaults))
    }

    /// Like ``load(contentsOf:)``, but a file that does not exist yields nil (so the caller can
    /// use ``defaults``). Every other problem still throws.
    public static func loadIfPresent(contentsOf path: String) throws(ConfigError) -> Configuration? {
        guard let bytes = try readFile(path) else { return nil }
        return try throwingFirst(check(bytes, file: path, base: defaults))
    }

    /// Parses and checks config text. `file` is used only in error messages.
    ///
    /// - Throws: the first problem in the file (by line); ``diagnose(_:file:)`` lists them all.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Configuration {
        try throwingFirst(check(Array(text.utf8), file: file, base: defaults))
    }

    private static func throwingFirst(_ result: (Configuration, [ConfigError])) throws(ConfigError) -> Configuration {
        if let first = result.1.first { throw first }
        return result.0
    }

    /// Every problem in config text, in line order (at most ``maximumDiagnostics``); empty when
    /// the text is a valid configuration.
    public static func diagnose(_ text: String, file: String) -> [ConfigError] {
        check(Array(text.utf8), file: file, base: defaults).1
    }

    /// Every problem in the bytes of a config file, as ``diagnose(_:file:)``: bytes that are not
    /// UTF-8, or a byte-order mark, are seen as they are.
    public static func diagnose(bytes: [UInt8], file: String) -> [ConfigError] {
        check(bytes, file: file, base: defaults).1
    }

    /// The config file at `path`, read once as raw bytes (for `kindlingd --check-config`): the
    /// configuration when the file is valid, else nil and every problem in line order.
    ///
    /// - Throws: ``ConfigError`` when the file cannot be read at all (missing, not a regular
    ///   file, too large, or the system's reason).
    public static func diagnosed(contentsOf path: String) throws(ConfigError) -> (Configuration?, [ConfigError]) {
        guard let bytes = try readFile(path) else {
            throw ConfigError(
                file: path, message: "cannot read the config file: \(String(cString: strerror(ENOENT)))"
            )
        }
        let (configuration, problems) = check(bytes, file: path, base: defaults)
        return (problems.isEmpty ? configuration : nil, problems)
    }

    /// ``diagnose(_:file:)`` stops after this many problems.
    public static let maximumDiagnostics = 50

    // MARK: Reading the file

    /// The file's bytes, or nil when it does not exist.
    static func readFile(_ path: String) throws(ConfigError) -> [UInt8]? {
        func failure(_ message: String) -> ConfigError { ConfigError(file: path, message: message) }
        func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

        guard !path.isEmpty else { throw failure("the config file path is empty") }
        // O_NONBLOCK so that a FIFO cannot hang the daemon; the kind of file is checked below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw failure("cannot read the config file: \(reason(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read the config file: \(reason(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure("is a directory, not a config file; point Kindling at a .toml file")
        default: throw failure("is not a regular file; point Kindling at a .toml file")
        }
        guard Int(info.st_size) <= maximumFileSize else { throw failure(tooLargeMessage) }
        return try readAll(fd, limit: maximumFileSize) { code in
            code == 0 ? failure(tooLargeMessage) : failure("cannot read the config file: \(reason(code))")
        }
    }

    /// Every byte from `fd`, up to `limit`; `failure(0)` when there are more, `failure(errno)`
    /// when a read fails.
    static func readAll(
        _ fd: Int32, limit: Int, failure: (Int32) -> ConfigError
    ) throws(ConfigError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > limit { throw failure(0) }
        }
    }

    // MARK: Checking

    /// Reads `bytes` over `base`: what the file leaves out keeps its value in `base`.
    static func check(_ bytes: [UInt8], file: String, base: Configuration) -> (Configuration, [ConfigError]) {
        let document: TOMLMap
        let positions: ConfigPositions
        switch ConfigDocument.read(bytes, file: file, maximumSize: maximumFileSize, tooLarge: tooLargeMessage) {
        case .success(let read): (document, positions) = read
        case .failure(let error): return (placeholder, [error])
        }
        let diagnostics = Diagnostics(file: file, positions: positions)
        let configuration = ConfigReader(diagnostics: diagnostics).read(document, base: base)
        return (configuration, diagnostics.sorted(limit: maximumDiagnostics))
    }

    /// The Swift-side initial values: the base the default file itself is read over, and the
    /// stand-in result when a text cannot be read at all (never returned to callers).
    static var placeholder: Configuration {
        Configuration(
            timezone: .local, quietHours: nil, intention: IntentionSlot(), nudge: NudgeSlot(),
            reflection: ReflectionSlot(), review: ReviewSlot(), breaks: BreakSlot(),
            program: ProgramSettings(), delivery: DeliverySettings(), prompts: [], customs: []
        )
    }
}
