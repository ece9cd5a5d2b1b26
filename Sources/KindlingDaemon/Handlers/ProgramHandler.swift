import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

/// `program list | show | add | start | stop | skip`. Starting, stopping and skipping are the
/// person's to do at any time, without a reason: nothing here counts days that were not
/// practised, and stopping keeps every program's progress for later.
enum ProgramHandler {
    // MARK: - Looking

    /// The built-in programs, then the added ones by name.
    static func list(_ daemon: Daemon) -> Result<ProgramListResult, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        let position = daemon.programPosition(on: today)
        let active = position?.program.rawValue
        var items = BuiltInPrograms.all.map { item($0, source: "built-in", active: active, position: position) }
        for name in addedNames(daemon) {
            switch daemon.addedProgram(named: name) {
            case .success(let program): items.append(item(program, source: "added", active: active, position: position))
            case .failure(let problem):
                items.append(
                    ProgramListResult.Item(
                        name: name, title: name, description: "", stepsBy: "", stepCount: 0, source: "added",
                        active: false, problem: problem.text))
            case nil: continue
            }
        }
        return .success(ProgramListResult(programs: items, active: active, folder: daemon.programsFolder))
    }

    /// One program, every step with its prompts.
    static func show(_ daemon: Daemon, name: String) -> Result<ProgramShowResult, ControlError> {
        let program: ProgramDefinition
        switch lookUp(daemon, name) {
        case .success(let found): program = found
        case .failure(let error): return .failure(error)
        }
        let position = daemon.programPosition(on: daemon.journalDate(of: daemon.clock.now))
        let active = position?.program.rawValue == name
        let skipped = Set(skippedSteps(daemon, name))
        let steps = program.steps.enumerated().map { index, step in
            ProgramShowResult.Step(
                number: index + 1, title: step.title, intention: step.intention, nudge: step.nudge,
                reflection: step.reflection, skipped: skipped.contains(index + 1))
        }
        return .success(
            ProgramShowResult(
                name: program.name, title: program.title, description: program.description,
                stepsBy: program.stepsBy.rawValue, source: BuiltInPrograms.named(name) == nil ? "added" : "built-in",
                active: active, currentStep: active && position?.isComplete == false ? position?.part : nil, steps: steps))
    }

    // MARK: - Adding

    /// Checks the file at `path` and keeps a private copy of its text as `programs/NAME.toml`
    /// (mode 0600, written whole or not at all). An added program of the same name is replaced
    /// only when `replace` is true.
    static func add(_ daemon: Daemon, path: String, replace: Bool) -> Result<ProgramAddResult, ControlError> {
        let checked: (program: ProgramDefinition, text: String)
        switch ProgramFile.loadWithText(contentsOf: path) {
        case .success(let result): checked = result
        case .failure(let errors):
            var message = errors.errors.first?.description ?? "\(path): is not a program file"
            if errors.errors.count > 1 {
                message += " (and \(errors.errors.count - 1) more; `kindling program check FILE` lists them all)"
            }
            return .failure(ControlError(.badRequest, message + "; nothing was added"))
        }
        let name = checked.program.name
        guard let target = daemon.programFile(named: name) else {
            return .failure(ControlError(.badRequest, "\(path): name: cannot name a program file; nothing was added"))
        }
        let exists = access(target, F_OK) == 0
        if exists && !replace {
            return .failure(
                ControlError(
                    .conflict,
                    "a program called \(name) is already added (\(target)); add it again with --force to replace it"))
        }
        do throws(ProblemLine) {
            try makeFolder(daemon.programsFolder)
            try writeWhole(checked.text, to: target)
        } catch {
            return .failure(ControlError(.storage, error.text + "; nothing was added"))
        }
        daemon.programChanged()
        return .success(ProgramAddResult(name: name, title: checked.program.title, path: target, replaced: exists))
    }

    // MARK: - Choosing

    /// Begins `name`, or resumes it where it was; `over` begins again from its first step. A
    /// program that was finished begins again too: there is nothing left to resume.
    static func start(_ daemon: Daemon, name: String, over: Bool) -> Result<ProgramStateResult, ControlError> {
        if case .failure(let error) = lookUp(daemon, name) { return .failure(error) }
        let today = daemon.journalDate(of: daemon.clock.now)
        let configured = daemon.config.program
        let began = (try? daemon.journal.programRuns())?.contains { $0.program == name } ?? false
        func write(over: Bool) -> ControlError? {
            do throws(StoreError) {
                try daemon.journal.startProgram(
                    name, over: over, on: today.description, configName: configured.name.rawValue,
                    firstStart: name == configured.name.rawValue ? daemon.firstProgramDay(today) : today.description,
                    at: daemon.clock.now)
                return nil
            } catch {
                return ControlError(.storage, "the journal could not be written: \(error.description); nothing was changed")
            }
        }
        if let error = write(over: over) { return .failure(error) }
        var position = daemon.programPosition(on: today)
        var beganAgain = over
        if position?.isComplete == true, !over {
            if let error = write(over: true) { return .failure(error) }
            position = daemon.programPosition(on: today)
            beganAgain = true
        }
        daemon.programChanged()
        let title = position?.definition.title ?? name
        let message =
            beganAgain
            ? "\(title) begins again from its first step."
            : began ? "\(title) carries on where you left it." : "\(title) begins today."
        return .success(state(position, message: message))
    }

    /// No program from now on; each program keeps its progress for when it is started again.
    static func stop(_ daemon: Daemon) -> Result<ProgramStateResult, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        let before = daemon.programPosition(on: today)
        do throws(StoreError) {
            try daemon.journal.stopProgram(
                on: today.description, configName: daemon.config.program.name.rawValue, at: daemon.clock.now)
        } catch {
            return .failure(
                ControlError(.storage, "the journal could not be written: \(error.description); nothing was changed"))
        }
        daemon.programChanged()
        guard let before else {
            return .success(state(nil, message: "No program was in use; the everyday prompts go on."))
        }
        return .success(
            state(
                nil,
                message:
                    "\(before.definition.title) is stopped; the everyday prompts go on. `kindling program start \(before.program.rawValue)` carries on where you left it."
            ))
    }

    /// Leaves `step` of the program in use out; nil (or the step in hand) moves on to the next
    /// step now. A step already behind is left as it is.
    static func skip(_ daemon: Daemon, step: Int?) -> Result<ProgramStateResult, ControlError> {
        let today = daemon.journalDate(of: daemon.clock.now)
        guard let position = daemon.programPosition(on: today) else {
            return .failure(
                ControlError(.notFound, "no program is in use; `kindling program start NAME` begins one"))
        }
        let name = position.program.rawValue
        let unit = position.definition.stepsBy.rawValue
        let count = position.definition.steps.count
        if let step, step > count {
            return .failure(
                ControlError(.badRequest, "\(position.definition.title) has \(unit)s 1 to \(count); \(step) is not one of them"))
        }
        guard let current = position.part, !position.isComplete else {
            return .success(state(position, message: "\(position.definition.title) is complete; there is nothing left to skip."))
        }
        let target = step ?? current
        let message: String
        do throws(StoreError) {
            if target == current {
                try daemon.journal.moveProgram(name, toStep: current + 1, on: today.description, at: daemon.clock.now)
                message = "Moved on from \(unit) \(current)."
            } else if target > current {
                try daemon.journal.leaveOutProgramStep(name, step: target, at: daemon.clock.now)
                message = "\(unit.capitalized) \(target) will be left out."
            } else {
                message = "\(unit.capitalized) \(target) is already behind you; nothing changed."
            }
        } catch {
            return .failure(ControlError(.storage, "the journal could not be written: \(error.description); nothing was changed"))
        }
        daemon.programChanged()
        return .success(state(daemon.programPosition(on: today), message: message))
    }

    // MARK: - Building results

    private static func state(_ position: ProgramPosition?, message: String) -> ProgramStateResult {
        ProgramStateResult(
            program: position?.program.rawValue, position: position?.description,
            step: position?.isComplete == false ? position?.part : nil, message: message)
    }

    private static func item(
        _ program: ProgramDefinition, source: String, active: String?, position: ProgramPosition?
    ) -> ProgramListResult.Item {
        let isActive = program.name == active
        return ProgramListResult.Item(
            name: program.name, title: program.title, description: program.description,
            stepsBy: program.stepsBy.rawValue, stepCount: program.steps.count, source: source, active: isActive,
            position: isActive ? position?.description : nil)
    }

    /// A program by name, or the refusal that says what names there are.
    private static func lookUp(_ daemon: Daemon, _ name: String) -> Result<ProgramDefinition, ControlError> {
        let shown = String(name.prefix(60))
        if let builtIn = BuiltInPrograms.named(name) { return .success(builtIn) }
        switch daemon.addedProgram(named: name) {
        case .success(let program): return .success(program)
        case .failure(let problem):
            return .failure(ControlError(.badRequest, problem.text + "; fix the file and add it again with --force"))
        case nil:
            return .failure(
                ControlError(
                    .notFound,
                    "no program is called \"\(shown)\"; `kindling program list` shows them, and `kindling program add FILE` adds one"
                ))
        }
    }

    /// The steps of `name` left out: the config's `skip` when it names this program, and the
    /// person's own.
    private static func skippedSteps(_ daemon: Daemon, _ name: String) -> [Int] {
        let own = (try? daemon.journal.programProgress(name).skipped) ?? []
        return daemon.config.program.name.rawValue == name ? daemon.config.program.skip + own : own
    }

    /// The names of the `.toml` files in the programs folder, sorted.
    private static func addedNames(_ daemon: Daemon) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: daemon.programsFolder)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
            .filter { ProgramFile.nameProblem($0) == nil }.sorted()
    }

    /// The programs folder, mode 0700, made when missing.
    private static func makeFolder(_ folder: String) throws(ProblemLine) {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw ProblemLine(text: "cannot make \(folder): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw ProblemLine(text: "\(folder) is not a folder; move it away and try again")
        }
    }

    /// Writes `text` to a new file beside `target`, flushes it and renames it over `target`:
    /// a crash leaves the old file or the new one, never half of one.
    private static func writeWhole(_ text: String, to target: String) throws(ProblemLine) {
        let temporary = target + ".adding-\(getpid())"
        func failure(_ what: String) -> ProblemLine {
            ProblemLine(text: "cannot \(what) \(temporary): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                throw failure("write")
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            close(fd)
            throw failure("flush")
        }
        close(fd)
        guard rename(temporary, target) == 0 else { throw failure("rename") }
        ok = true
        let folder = open((target as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
