import Foundation
import KindlingCore

/// `kindling program check FILE`, as JSON: the program it holds, or every problem found.
struct ProgramCheck: Encodable {
    /// One problem, where it is and how to fix it.
    struct Problem: Encodable {
        var file: String
        var line: Int?
        var column: Int?
        var key: String?
        var message: String

        init(_ error: ConfigError) {
            file = error.file
            line = error.line
            column = error.column
            key = error.key
            message = error.message
            oneLine = error.description
        }

        /// `FILE:LINE: KEY: message`, one line.
        var oneLine: String

        enum CodingKeys: String, CodingKey { case file, line, column, key, message }
    }

    var file: String
    var ok: Bool
    var name: String?
    var title: String?
    var stepsBy: String?
    var stepCount: Int?
    var problems: [Problem]

    /// Reads and checks `file`; changes nothing.
    static func run(_ file: String) -> ProgramCheck {
        switch ProgramFile.load(contentsOf: file) {
        case .success(let program):
            return ProgramCheck(
                file: file, ok: true, name: program.name, title: program.title, stepsBy: program.stepsBy.rawValue,
                stepCount: program.steps.count, problems: [])
        case .failure(let errors):
            return ProgramCheck(
                file: file, ok: false, name: nil, title: nil, stepsBy: nil, stepCount: nil,
                problems: errors.errors.map(Problem.init))
        }
    }
}
