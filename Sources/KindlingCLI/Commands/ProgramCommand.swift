import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling program list | show | check | add | start | stop | skip`: structured stretches of
/// practice, built in or written by anyone as a small file (docs/programs.md).
struct ProgramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "program",
        abstract: "List, read, check and add programs; start, stop or skip a step of one.",
        discussion: """
            A program gives each step (a day or a week of practice) its own prompts. It moves on only \
            on days you practise; a quiet day never puts you behind. Stopping, skipping a step and \
            starting another program are always fine, and each program keeps its own progress.
            """,
        subcommands: [List.self, Show.self, Check.self, Add.self, Start.self, Stop.self, Skip.self]
    )

    struct List: VerbCommand {
        typealias Verb = Request.ProgramList

        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The built-in and added programs, and which one is in use.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let result = try global.call(Verb())
            if global.json { return try global.printJSON(result) }
            print(ProgramText.list(result), terminator: "")
        }
    }

    struct Show: VerbCommand {
        typealias Verb = Request.ProgramShow

        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Every step of a program with its prompts.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The program's name, as `kindling program list` shows it.", valueName: "NAME"))
        var name: String

        func run() throws {
            let result = try global.call(Verb(name: name))
            if global.json { return try global.printJSON(result) }
            print(ProgramText.show(result), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a program file: one line per problem, with its line, setting and how to fix it.",
            discussion: """
                Needs no daemon running (the kindlingd binary reads the file) and changes nothing. Exits 1 when the file cannot be used; each problem \
                is printed as FILE:LINE: SETTING: what is wrong and what to write instead.
                """)

        @Flag(name: .long, help: "Print the result as JSON (stable, for scripts).")
        var json = false

        @Argument(help: ArgumentHelp("The program file (.toml).", valueName: "FILE"))
        var file: String

        func run() throws {
            let result = try DaemonChecks.program(file)
            if json {
                try GlobalOptions().printJSON(result)
            } else if result.ok {
                print(ProgramText.checked(result))
            } else {
                for problem in result.problems { Terminal.printError(problem.description) }
            }
            if !result.ok { throw ExitCode(1) }
        }
    }

    struct Add: VerbCommand {
        typealias Verb = Request.ProgramAdd

        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Check a program file and keep a private copy of it among your programs.",
            discussion: """
                The copy goes to programs/NAME.toml beside your journal (mode 0600); the file you gave \
                is not changed. A file with problems adds nothing: each problem is printed as \
                `kindling program check` prints it. A program of the same name is replaced only with --force.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Replace an added program of the same name.")
        var force = false

        @Argument(help: ArgumentHelp("The program file (.toml).", valueName: "FILE"))
        var file: String

        func run() throws {
            let checked = try DaemonChecks.program(file)
            guard checked.ok else {
                if global.json {
                    try global.printJSON(checked)
                } else {
                    for problem in checked.problems { Terminal.printError(problem.description) }
                    Terminal.printError("kindling: nothing was added")
                }
                throw ExitCode(1)
            }
            let result = try global.call(
                Verb(path: Backup.absolute(file), replace: force))
            if global.json { return try global.printJSON(result) }
            print(
                "\(result.replaced ? "Replaced" : "Added") \(Terminal.safe(result.title)) as \(Terminal.safe(result.name)) "
                    + "(\(Terminal.safe(result.path))). `kindling program start \(Terminal.safe(result.name))` begins it.")
        }
    }

    struct Start: VerbCommand {
        typealias Verb = Request.ProgramStart

        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Begin a program, or carry on with it where you left it.",
            discussion: "Another program in use stops, keeping its progress. A finished program begins again.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Begin again from the first step, with no step left out.")
        var over = false

        @Argument(help: ArgumentHelp("The program's name, as `kindling program list` shows it.", valueName: "NAME"))
        var name: String

        func run() throws {
            let result = try global.call(Verb(name: name, over: over))
            if global.json { return try global.printJSON(result) }
            print(ProgramText.state(result))
        }
    }

    struct Stop: VerbCommand {
        typealias Verb = Request.ProgramStop

        static let configuration = CommandConfiguration(
            commandName: "stop", abstract: "Stop the program in use; its progress is kept for later.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let result = try global.call(Verb())
            if global.json { return try global.printJSON(result) }
            print(ProgramText.state(result))
        }
    }

    struct Skip: VerbCommand {
        typealias Verb = Request.ProgramSkip

        static let configuration = CommandConfiguration(
            commandName: "skip",
            abstract: "Leave a step of the program in use out; without STEP, move on to the next step now.",
            discussion: "No reason is asked, and nothing is counted against you.")

        @OptionGroup var global: GlobalOptions

        @Argument(
            help: ArgumentHelp(
                "The step (day or week) as `kindling program show` numbers it; default: the one in hand.",
                valueName: "STEP"))
        var step: Int?

        func validate() throws {
            if let step, step < 1 { throw ValidationError("STEP is a step's number, 1 or more") }
        }

        func run() throws {
            let result = try global.call(Verb(step: step))
            if global.json { return try global.printJSON(result) }
            print(ProgramText.state(result))
        }
    }
}
