import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

// Which program shapes the days, and where its content comes from: the built-in programs are
// compiled in, added ones are files in the programs folder (DESIGN.md "Programs").
extension Daemon {
    /// Where added programs live: `programs/` beside the journal.
    var programsFolder: String { paths.dataDirectory + "/programs" }

    /// The file an added program called `name` lives in, or nil when `name` could not name one.
    func programFile(named name: String) -> String? {
        guard ProgramFile.nameProblem(name) == nil else { return nil }
        return programsFolder + "/" + name + ".toml"
    }

    /// The program called `name`: built in, or added and still readable; nil otherwise.
    func programDefinition(named name: String) -> ProgramDefinition? {
        if let builtIn = BuiltInPrograms.named(name) { return builtIn }
        guard case .success(let program) = addedProgram(named: name) else { return nil }
        return program
    }

    /// The added program called `name`, read and checked from its file, or its first problem as
    /// one line; nil when there is no such file.
    func addedProgram(named name: String) -> Result<ProgramDefinition, ProblemLine>? {
        guard let path = programFile(named: name) else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else {
            programFiles[path] = nil
            return nil
        }
        // Status and every prompt ask for the program: a long file is read again only once it
        // changed (a new inode after `add`, or an edit by hand).
        let identity = AddedProgramFile.Identity(info)
        if let kept = programFiles[path], kept.identity == identity { return kept.outcome }
        let outcome = readAddedProgram(named: name, at: path)
        programFiles[path] = AddedProgramFile(identity: identity, outcome: outcome)
        return outcome
    }

    private func readAddedProgram(named name: String, at path: String) -> Result<ProgramDefinition, ProblemLine> {
        switch ProgramFile.load(contentsOf: path) {
        case .failure(let errors):
            return .failure(ProblemLine(text: errors.errors.first?.description ?? "\(path): is not a program file"))
        case .success(let program) where program.name != name:
            // A file renamed by hand: its prompts' keys carry the name inside, so ask for it to
            // be added again rather than run one program under two names.
            return .failure(
                ProblemLine(
                    text: "\(path): name: is \"\(program.name)\" but the file is called \(name).toml; add the file again"))
        case .success(let program):
            return .success(program)
        }
    }

    /// The program in use or its content changed: what `status` keeps is out of date. Prompts
    /// already waiting keep their words; the next ones come from the new step.
    func programChanged() {
        statusCache = nil
    }

    /// `[program]` for the program in use: the person's own choice (`kindling program start`
    /// or `stop`) while `[program] name` is still what it was when they chose, else the config's.
    /// The config's `start` and `skip` belong to the program it names.
    func activeProgramSettings() -> ProgramSettings {
        let configured = config.program
        guard let choice = try? journal.programChoice(), choice.configName == configured.name.rawValue else {
            return configured
        }
        let chosen = ProgramChoice(rawValue: choice.program ?? ProgramChoice.none.rawValue)
        guard chosen != configured.name else { return configured }
        var settings = ProgramSettings()
        settings.name = chosen
        return settings
    }
}

/// Why an added program cannot be used, as one line.
struct ProblemLine: Error, Equatable {
    var text: String
}

/// An added program as read from its file, kept while the file stays the same.
struct AddedProgramFile {
    /// What tells one version of a file from another without reading it.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modifiedSeconds = Int(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        }
    }

    var identity: Identity
    var outcome: Result<ProgramDefinition, ProblemLine>
}
