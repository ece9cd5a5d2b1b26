import ArgumentParser
import FoundationEssentials
import KindlingControl

/// `kindling doctor`: why a prompt would not reach the person, one check a line.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check, one line each, everything that could keep a prompt from reaching you.")

    @OptionGroup var global: GlobalOptions

    /// One verdict: ok, a note worth knowing, or a problem with what to do about it.
    struct Check: Codable {
        enum Verdict: String, Codable { case ok, note, problem }
        var name: String
        var verdict: Verdict
        var detail: String
    }

    func run() throws {
        let checks = Self.checks(socket: global.socketPath)
        if global.json {
            try global.printJSON(["checks": checks])
        } else {
            let t = Terminal.standardOutput
            for check in checks {
                let mark = check.verdict == .ok ? "✓" : check.verdict == .note ? "·" : t.warm("!")
                print("\(mark) \(check.name.padded(to: 14)) \(check.detail)")
            }
        }
        if checks.contains(where: { $0.verdict == .problem }) { throw ExitCode(1) }
    }

    static func checks(socket: String) -> [Check] {
        var checks: [Check] = []
        let environment = ProcessInfo.processInfo.environment
        let paths = Paths.resolve(environment: environment, socket: socket)

        // The configuration, read as the daemon would read it (by the kindlingd binary).
        let config: ConfigCheck?
        do {
            let verdict = try DaemonChecks.config(nil)
            config = verdict
            checks.append(
                verdict.builtInDefaults
                    ? Check(name: "config", verdict: .ok, detail: "no file at \(verdict.file): the built-in defaults apply")
                    : verdict.problems.first.map { Check(name: "config", verdict: .problem, detail: $0.description) }
                        ?? Check(name: "config", verdict: .ok, detail: "\(verdict.file) is valid"))
        } catch {
            config = nil
            checks.append(Check(name: "config", verdict: .problem, detail: error.description))
        }

        // The daemon.
        let status: StatusResult?
        switch Result(catching: { () throws(ControlClient.ClientError) -> Result<StatusResult, ControlError> in
            try ControlClient.cli(socket: paths.socketFile).send(Request.Status())
        }) {
        case .success(.success(let value)):
            status = value
            checks.append(
                Check(name: "daemon", verdict: .ok, detail: "kindlingd \(value.version) answers on \(paths.socketFile)"))
        case .success(.failure(let error)):
            status = nil
            checks.append(Check(name: "daemon", verdict: .problem, detail: "kindlingd refused: \(error.message)"))
        case .failure(let error):
            status = nil
            checks.append(Check(name: "daemon", verdict: .problem, detail: error.description))
        }
        checks.append(serviceCheck())

        if let status {
            checks.append(
                status.journal == "ok"
                    ? Check(name: "journal", verdict: .ok, detail: "\(status.databasePath) is in use")
                    : Check(name: "journal", verdict: .problem, detail: "\(status.journal); answers are not being saved"))
            checks.append(
                status.paused
                    ? Check(
                        name: "pause", verdict: .note,
                        detail: "prompts are paused \(status.pausedUntil.map { "until \($0)" } ?? "until `kindling resume`")")
                    : Check(name: "pause", verdict: .ok, detail: "not paused"))
            checks += desktopChecks(status)
            checks += calendarChecks(status.calendar)
            if let calls = status.calls { checks.append(callsCheck(calls)) }
            if let encryption = status.encryption { checks.append(encryptionCheck(encryption)) }
            if let error = status.lastError {
                checks.append(Check(name: "last problem", verdict: .problem, detail: error))
            }
            if let next = status.next.first {
                checks.append(
                    Check(name: "next prompt", verdict: .ok, detail: "\(SlotNames.displayName(of: next.slot)) at \(next.at)"))
            } else {
                checks.append(
                    Check(name: "next prompt", verdict: .note, detail: "nothing is scheduled: every slot is switched off"))
            }
        }

        // Without the daemon's view, the session bus it would look for from here.
        if status == nil { checks.append(localBusCheck(environment)) }

        // Quiet hours, as configured.
        if let quiet = config?.quietHours {
            checks.append(
                Check(
                    name: "quiet hours", verdict: config?.quietUntil == nil ? .ok : .note,
                    detail: config?.quietUntil.map { "quiet hours (\(quiet)) hold prompts until \($0)" } ?? "\(quiet), not now"))
        } else if config != nil {
            checks.append(Check(name: "quiet hours", verdict: .ok, detail: "none set"))
        }
        return checks
    }

    /// How the journal is kept at rest.
    static func encryptionCheck(_ encryption: StatusResult.EncryptionStatus) -> Check {
        let cipher = "SQLCipher \(encryption.cipher)"
        switch encryption.journal {
        case "encrypted":
            let kept = encryption.key == "passphrase" ? "a passphrase (`kindling unlock` after each boot)" : "your keyring"
            return Check(name: "encryption", verdict: .ok, detail: "the journal is encrypted with a key from \(kept) (\(cipher))")
        case "locked":
            return Check(name: "encryption", verdict: .problem, detail: encryption.detail ?? "the journal waits for its key")
        default:
            return Check(
                name: "encryption", verdict: .note,
                detail: "the journal is not encrypted\(encryption.detail.map { ": \($0)" } ?? "") (\(cipher))")
        }
    }

    /// Calls as the daemon sees them through PipeWire.
    static func callsCheck(_ calls: StatusResult.CallsStatus) -> Check {
        let ignored = calls.ignored.isEmpty ? "" : "; ignoring \(calls.ignored.joined(separator: ", "))"
        switch calls.pipewire {
        case "off" where calls.holds:
            return Check(
                name: "calls", verdict: .note,
                detail: "not watched: the daemon has no runtime directory (XDG_RUNTIME_DIR) to find PipeWire in")
        case "off":
            return Check(name: "calls", verdict: .ok, detail: "not watched: prompts do not wait for calls ([calls] hold = false)")
        case "connected" where !calls.holders.isEmpty:
            return Check(
                name: "calls", verdict: .note,
                detail: "a call is on (\(calls.holders.joined(separator: ", "))): prompts wait until it ends\(ignored)")
        case "connected":
            return Check(name: "calls", verdict: .ok, detail: "PipeWire is watched; no call now\(ignored)")
        case "not-running":
            return Check(
                name: "calls", verdict: .note,
                detail: "PipeWire is not running, so calls are not seen; it is joined when it starts")
        default:
            return Check(
                name: "calls", verdict: .note,
                detail: "PipeWire could not be joined (\(calls.problem ?? "no reason given")), so calls are not seen")
        }
    }

    /// The calendar as the daemon read it: files, today's events, a hold now, what it could not read.
    static func calendarChecks(_ calendar: StatusResult.CalendarStatus?) -> [Check] {
        guard let calendar else {
            return [Check(name: "calendar", verdict: .ok, detail: "none set ([calendar] path in the config)")]
        }
        let files = calendar.files == 1 ? "1 file" : "\(calendar.files) files"
        let events = calendar.eventsToday == 1 ? "1 busy event today" : "\(calendar.eventsToday) busy events today"
        var detail = "\(calendar.path): \(files) read, \(events)"
        if !calendar.holds { detail += "; prompts do not wait for events (hold = false)" }
        var checks = [Check(name: "calendar", verdict: .ok, detail: detail)]
        if let until = calendar.busyUntil, calendar.holds {
            checks.append(Check(name: "calendar", verdict: .note, detail: "an event is on: prompts wait until \(until)"))
        }
        for problem in calendar.problems {
            checks.append(Check(name: "calendar", verdict: .problem, detail: "left out: \(problem)"))
        }
        return checks
    }

    /// The desktop channel as the daemon sees it: bus, server, buttons, do-not-disturb.
    static func desktopChecks(_ status: StatusResult) -> [Check] {
        guard let desktop = status.desktop else {
            return [
                Check(
                    name: "notifications", verdict: .note,
                    detail: "desktop notifications are off ([delivery] desktop = false in the config)")
            ]
        }
        var checks: [Check] = []
        let fallback = "prompts still reach you through `kindling watch`, `kindling today` and your hook"
        guard let bus = desktop.bus else {
            return [
                Check(
                    name: "session bus", verdict: .note,
                    detail: "kindlingd has no session bus to join (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR "
                        + "is set in its environment); \(fallback)")
            ]
        }
        guard desktop.busConnected else {
            return [
                Check(
                    name: "session bus", verdict: .note,
                    detail: "kindlingd waits for the session bus at \(bus) and joins it when it appears; \(fallback)")
            ]
        }
        checks.append(Check(name: "session bus", verdict: .ok, detail: "kindlingd is on \(bus)"))
        guard let server = desktop.server else {
            checks.append(
                Check(
                    name: "notifications", verdict: .problem,
                    detail: "no notification server on the session bus: start your desktop's (or dunst); \(fallback)"))
            return checks
        }
        checks.append(Check(name: "notifications", verdict: .ok, detail: "\(server) shows Kindling's prompts"))
        let serverName = server.split(separator: " ").first.map(String.init) ?? server
        let capabilities = Set(desktop.capabilities)
        checks.append(
            capabilities.contains("actions")
                ? Check(
                    name: "buttons", verdict: .ok,
                    detail: "Answer, Snooze and Skip are offered"
                        + (capabilities.contains("inline-reply") ? ", and you can reply in the notification" : ""))
                : Check(
                    name: "buttons", verdict: .note,
                    detail: "\(serverName) shows no buttons: answer with `kindling respond`, snooze with `kindling snooze`"))
        guard let readings = desktop.quietReadings else {
            // A daemon from before the per-switch readings: one line for them all.
            checks.append(
                desktop.doNotDisturb
                    ? Check(
                        name: "do-not-disturb", verdict: .note,
                        detail: "\(serverName) is in do-not-disturb: prompts wait on every channel until it ends"
                            + " (for dunst: dunstctl set-paused false)")
                    : Check(name: "do-not-disturb", verdict: .ok, detail: "off"))
            return checks
        }
        checks += readings.map(quietCheck)
        return checks
    }

    /// One do-not-disturb switch, in a plain line: quiet is a note (prompts simply wait), never a problem.
    static func quietCheck(_ reading: StatusResult.DesktopStatus.QuietReading) -> Check {
        let (name, howToEnd): (String, String) =
            switch reading.source {
            case "dunst": ("dunst", "run dunstctl set-paused false")
            case "kde": ("KDE Plasma", "turn off Do Not Disturb in Plasma's notification settings")
            case "xfce4-notifyd": ("xfce4-notifyd", "run xfconf-query -c xfce4-notifyd -p /do-not-disturb -s false")
            case "gnome": ("GNOME", "turn off Do Not Disturb in GNOME's notification settings")
            default: (reading.source, "")
            }
        switch reading.reading {
        case "quiet":
            let hint = howToEnd.isEmpty ? "" : " (to end it: \(howToEnd))"
            return Check(
                name: "do-not-disturb", verdict: .note,
                detail: "\(name): on; prompts wait on every channel until it ends\(hint)")
        case "off": return Check(name: "do-not-disturb", verdict: .ok, detail: "\(name): off")
        case "asking":
            return Check(
                name: "do-not-disturb", verdict: .note,
                detail: "\(name): not answered yet; notifications wait a few seconds for it")
        default: return Check(name: "do-not-disturb", verdict: .ok, detail: "\(name): not on this desktop")
        }
    }

    /// The session bus this shell would use, when the daemon cannot be asked.
    static func localBusCheck(_ environment: [String: String]) -> Check {
        let runtime = environment["XDG_RUNTIME_DIR"] ?? ""
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty {
            return Check(name: "session bus", verdict: .ok, detail: address)
        } else if !runtime.isEmpty, FileManager.default.fileExists(atPath: runtime + "/bus") {
            return Check(name: "session bus", verdict: .ok, detail: "unix:path=\(runtime)/bus")
        }
        return Check(
            name: "session bus", verdict: .note, detail: "none found (no DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus)")
    }

    /// The systemd user service, when systemctl can tell.
    static func serviceCheck() -> Check {
        guard let active = try? Systemctl.run(["is-active", "kindling.service"]) else {
            return Check(name: "service", verdict: .note, detail: "systemctl is not available")
        }
        let state = active.text.trimmed()
        let known = ["active", "inactive", "failed", "activating", "deactivating", "reloading"]
        guard known.contains(state) else {
            return Check(
                name: "service", verdict: .note, detail: "no systemd user manager answers here, so the service cannot be checked")
        }
        let enabled =
            (try? Systemctl.run(["is-enabled", "kindling.service"]))?.text.trimmed()
            ?? "unknown"
        if state == "active" {
            return Check(
                name: "service", verdict: enabled == "enabled" ? .ok : .note, detail: "kindling.service is active (\(enabled))")
        }
        return Check(
            name: "service", verdict: .note,
            detail: "kindling.service is \(state); `kindling install` runs kindlingd as a service")
    }
}
