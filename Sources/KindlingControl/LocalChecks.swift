/// What `kindlingd` answers to the checks the CLI cannot make itself: the configuration and
/// program files are read by the daemon's code only (KindlingCore), so `kindling config check`,
/// `kindling program check` and `kindling doctor` run `kindlingd --check-config --json` or
/// `kindlingd --check-program FILE --json` and read one of these on its standard output.
/// JSON keys are the snake_case of these names, as on the socket.

/// A problem in a file Kindling reads: where it is, and what to do about it.
public struct FileProblem: Codable, Equatable, Sendable {
    public var file: String
    /// 1-based, when it could be found.
    public var line: Int?
    /// 1-based, for syntax errors.
    public var column: Int?
    /// The key as written, dotted (`intention.at`, `custom[2].at`).
    public var key: String?
    public var message: String
    /// All of it on one line, `FILE:LINE: KEY: message`, as the daemon's own messages say it.
    public var description: String

    public init(file: String, line: Int?, column: Int?, key: String?, message: String, description: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.description = description
    }
}

/// `kindlingd --check-config --json`: the configuration file as the daemon would read it now.
public struct ConfigCheck: Codable, Equatable, Sendable {
    /// Where the configuration is (or would be) read from.
    public var file: String
    /// There is no file there: the built-in defaults apply.
    public var builtInDefaults: Bool
    /// Every problem found, at most 50; empty when the file is valid. A file that cannot be
    /// read at all is one problem.
    public var problems: [FileProblem]
    /// Quiet hours in the configuration the daemon would run with ("22:00-07:00"), if any.
    public var quietHours: String?
    /// While quiet hours hold prompts: until when (ISO 8601, with the offset).
    public var quietUntil: String?

    public init(file: String, builtInDefaults: Bool, problems: [FileProblem], quietHours: String?, quietUntil: String?) {
        self.file = file
        self.builtInDefaults = builtInDefaults
        self.problems = problems
        self.quietHours = quietHours
        self.quietUntil = quietUntil
    }
}

/// `kindlingd --check-program FILE --json`: the program a file holds, or every problem in it.
/// Changes nothing. `kindling program check --json` prints it as it is.
public struct ProgramCheck: Codable, Equatable, Sendable {
    public var file: String
    public var ok: Bool
    public var name: String?
    public var title: String?
    public var stepsBy: String?
    public var stepCount: Int?
    public var problems: [FileProblem]

    public init(
        file: String, ok: Bool, name: String?, title: String?, stepsBy: String?, stepCount: Int?, problems: [FileProblem]
    ) {
        self.file = file
        self.ok = ok
        self.name = name
        self.title = title
        self.stepsBy = stepsBy
        self.stepCount = stepCount
        self.problems = problems
    }
}
