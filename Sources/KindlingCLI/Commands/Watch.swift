import ArgumentParser
import Foundation
import KindlingControl

/// `kindling watch`: prompts as they fire (JSON lines with --json).
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Show prompts as they arrive (first the ones already waiting); Ctrl-C stops.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let client = ControlClient(socketPath: global.socketPath)
        do {
            switch try client.send(.watch, expecting: WatchResult.self) {
            case .success: break
            case .failure(let error): throw CLIError(error.message, exitCode: 1)
            }
            let decoder = ControlProtocol.makeDecoder()
            while true {
                let line = try client.readLine()
                if global.json {
                    print(String(decoding: line, as: UTF8.self))
                } else if let event = try? decoder.decode(Event.self, from: Data(line)) {
                    print(Self.describe(event))
                }
                fflush(nil)
            }
        } catch let error as ControlClient.ClientError {
            if case .unreachable = error { throw CLIError(error.description, exitCode: 3) }
            // The daemon stopped: the stream ends quietly.
            throw CLIError("the daemon closed the stream (\(error.description))", exitCode: 1)
        }
    }

    static func describe(_ event: Event) -> String {
        let id = event.id.map { "[\($0)] " } ?? ""
        switch event.event {
        case "fired", "pending": return "\(id)\(event.slot ?? ""): \(event.text ?? "")"
        case "answered": return "\(id)answered, thank you"
        case "snoozed": return "\(id)snoozed until \(event.until ?? "later")"
        case "paused": return "paused" + (event.until.map { " until \($0)" } ?? "")
        default: return "\(id)\(event.event)"
        }
    }
}
