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
        guard let path = programFile(named: name), FileManager.default.fileExists(atPath: path) else { return nil }
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
