import KindlingControl

/// The program commands' results as text for people. Every word that came from a program file
/// passes through ``Terminal/safe(_:)``: a file from anyone must not steer the terminal.
enum ProgramText {
    /// `program list`: one program a line, the one in use marked with `*` and its place.
    static func list(_ result: ProgramListResult) -> String {
        let width = result.programs.map(\.name.count).max() ?? 0
        var out = ""
        for item in result.programs {
            let mark = item.active ? "* " : "  "
            let name = Terminal.safe(item.name).padded(to: width)
            if let problem = item.problem {
                out += "\(mark)\(name)  (added, cannot be used now: \(Terminal.safe(problem)))\n"
                continue
            }
            let length = "\(item.stepCount) \(item.stepsBy)\(item.stepCount == 1 ? "" : "s")"
            out += "\(mark)\(name)  \(Terminal.safe(item.title)), \(length), \(item.source)\n"
            if !item.description.isEmpty { out += "    \(Terminal.safe(item.description))\n" }
            if let position = item.position { out += "    Now: \(Terminal.safe(position))\n" }
        }
        if result.active == nil { out += "No program is in use; `kindling program start NAME` begins one.\n" }
        return out
    }

    /// `program show`: the title, the description, then each step with its prompts.
    static func show(_ program: ProgramShowResult) -> String {
        let unit = program.stepsBy
        var out = "\(Terminal.safe(program.title)) (\(Terminal.safe(program.name)), \(program.source))\n"
        if !program.description.isEmpty { out += "\(Terminal.safe(program.description))\n" }
        out += "\(program.steps.count) \(unit)\(program.steps.count == 1 ? "" : "s"), one step per \(unit) of practice."
        if program.active { out += program.currentStep.map { " In use: \(unit) \($0)." } ?? " In use, complete." }
        out += "\n"
        for step in program.steps {
            var notes: [String] = []
            if step.number == program.currentStep { notes.append("now") }
            if step.skipped { notes.append("left out") }
            out += "\n\(unit.capitalizedFirst) \(step.number): \(Terminal.safe(step.title))"
            out += notes.isEmpty ? "\n" : "  (\(notes.joined(separator: ", ")))\n"
            for (slot, prompts) in [("intention", step.intention), ("nudge", step.nudge), ("reflection", step.reflection)] {
                guard !prompts.isEmpty else {
                    out += "  \(slot): the everyday prompts\n"
                    continue
                }
                out += "  \(slot):\n"
                for prompt in prompts { out += "    - \(Terminal.safe(prompt))\n" }
            }
        }
        return out
    }

    /// `program check` of a good file.
    static func checked(_ result: ProgramCheck) -> String {
        let count = result.stepCount ?? 0
        let unit = result.stepsBy ?? "step"
        return "\(Terminal.safe(result.file)): \(Terminal.safe(result.title ?? "")) (\(Terminal.safe(result.name ?? ""))), "
            + "\(count) \(unit)\(count == 1 ? "" : "s"). It can be added with `kindling program add`."
    }

    /// `program start | stop | skip`: what changed, then where the program in use stands.
    static func state(_ result: ProgramStateResult) -> String {
        var out = Terminal.safe(result.message)
        if let position = result.position { out += "\n" + Terminal.safe(position) }
        return out
    }
}
