import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import KindlingSystemd

/// The person's own programs: the `[delivery] command` hook for every prompt, and the
/// `respond_command` that a notification's Answer opens (by default a small answer window,
/// else a terminal).
///
/// Neither goes through a shell: the config's command is split into words once (see
/// ``CommandWords``) and anything from a prompt travels in the environment only. Under
/// systemd both start as transient units of the user manager (`systemd-run --user`), so
/// the service's sandbox does not limit them and a restart of kindlingd does not end
/// them; otherwise each starts in a session of its own.
extension Daemon {
    /// How long a hook may run before it is stopped.
    static let hookTimeLimit: Double = 30

    // MARK: - The hook

    /// Runs `[delivery] command` for a prompt that has just reached the person.
    func runHook(for delivery: DeliveryRecord) {
        if let hook = hookPlan(for: delivery) { runHook(hook) }
    }

    /// The hook for a prompt, worked out and ready to start (``PromptLifecycle`` makes it
    /// before a scheduled instant, so that at the instant only the spawn is left).
    struct HookPlan {
        var launch: LaunchPlan
        /// Whether it carries the prompt's words (see ``showsText(on:)``): a plan made while the
        /// screen was unlocked is not used once it is locked, and the other way round.
        var showsText: Bool
    }

    /// `[delivery] command` for `delivery`, as it would start now; nil without a command.
    func hookPlan(for delivery: DeliveryRecord) -> HookPlan? {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let command = config.delivery.command, let id = delivery.id, let words = hookWords(command) else {
            return nil
        }
        // Discreet: the hook may forward to a phone or a shared screen; it learns only that
        // a prompt is waiting, and a custom slot's own name ("water", or something private)
        // stays home too.
        let showsText = showsText(on: .hook)
        var variables = [
            "KINDLING_ID": String(id),
            "KINDLING_SLOT": DiscreetSettings.hookSlotName(delivery.slot, showsText: showsText),
            "KINDLING_EXPIRES_AT": Timestamp.string(delivery.expiresAt, in: timeZone),
            "KINDLING_SOCKET": paths.socketFile,
        ]
        if showsText { variables["KINDLING_TEXT"] = delivery.promptText }
        let plan = launchPlan(words, variables: variables, purpose: "hook for prompt \(id)", timeLimit: Self.hookTimeLimit)
        return HookPlan(launch: plan, showsText: showsText)
    }

    /// `command` in words, split once for as long as it stays the configured one: every readied
    /// instant works out its hook, and splitting took about 60,000 instructions (callgrind).
    func hookWords(_ command: String) -> [String]? {
        if let kept = splitHookCommand, kept.command == command { return kept.words }
        guard let words = try? CommandWords.split(command) else { return nil }
        splitHookCommand = (command, words)
        return words
    }

    /// Starts a hook worked out by ``hookPlan(for:)``, within the limit of hooks at once.
    func runHook(_ hook: HookPlan) {
        hooks.submit(hook.launch.purpose) { [weak self] done in
            guard let self else { return done() }
            start(hook.launch, whenEnded: done)
        }
    }

    // MARK: - Answer

    /// Opens `respond_command` for a prompt (the notification's Answer action).
    func launchRespondCommand(for id: Int64) {
        dispatchPrecondition(condition: .onQueue(queue))
        let words: [String]
        switch config.delivery.respondCommand {
        case .disabled:
            return
        case .command(let command):
            guard let split = try? CommandWords.split(command) else { return }
            // `{id}` stands for the prompt's id; without it, the id comes last.
            words = split.contains("{id}") ? split.map { $0 == "{id}" ? String(id) : $0 } : split + [String(id)]
        case .auto:
            guard let chosen = Self.automaticAnswerCommand(environment: environment, kindling: kindlingPath, id: id) else {
                recordProblem(
                    "Answer on a notification found neither a dialog program nor a terminal emulator; "
                        + "\(DialogProgram.installHint), or set TERMINAL, or respond_command in [delivery]")
                showHowToAnswer(id)
                return
            }
            words = chosen
        }
        launch(words, variables: ["KINDLING_ID": String(id)], purpose: "Answer for prompt \(id)", timeLimit: nil)
    }

    /// When Answer has nothing to open: the prompt's notification again, saying how to answer
    /// instead, without the Answer button that could not work.
    private func showHowToAnswer(_ id: Int64) {
        guard let desktop, let delivery = try? journal.pendingDeliveries().first(where: { $0.id == id }) else { return }
        var content = notificationContent(for: delivery)
        content.body += "\n\n" + Self.howToAnswer(id)
        content.offersAnswer = false
        desktop.show(content)
    }

    /// The words that say how to answer prompt `id` without a window or a terminal emulator.
    static func howToAnswer(_ id: Int64) -> String {
        "To answer, run kindling respond \(id) in a terminal, or install yad or zenity for an answer window."
    }

    /// What `respond_command = "auto"` opens for prompt `id`: on a graphical session with a
    /// dialog program (yad, zenity, kdialog), `kindling respond --dialog ID`, a small window
    /// that needs no terminal; otherwise `kindling respond ID` in a terminal emulator; nil
    /// when there is neither.
    static func automaticAnswerCommand(environment: [String: String], kindling: String, id: Int64) -> [String]? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if DialogProgram.hasDisplay(environment),
            DialogProgram.allCases.contains(where: { ChildProcess.resolve($0.name, path: path) != nil })
        {
            return [kindling, "respond", "--dialog", String(id)]
        }
        return terminalCommand(environment: environment, running: [kindling, "respond", String(id)])
    }

    /// The `kindling` next to this `kindlingd`, else the one on PATH.
    var kindlingPath: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let sibling = (executable as NSString).deletingLastPathComponent + "/kindling"
        return !executable.isEmpty && access(sibling, X_OK) == 0 ? sibling : "kindling"
    }

    /// A terminal emulator running `command`: `$TERMINAL`, then `xdg-terminal-exec` (which opens
    /// the person's chosen terminal), then Debian's x-terminal-emulator, then common emulators,
    /// each with the way it takes a command.
    static func terminalCommand(environment: [String: String], running command: [String]) -> [String]? {
        var candidates: [[String]] = []
        if let terminal = environment["TERMINAL"], let words = try? CommandWords.split(terminal) { candidates.append(words) }
        for name in [
            "xdg-terminal-exec", "x-terminal-emulator", "gnome-terminal", "kgx", "ptyxis", "konsole", "xfce4-terminal", "kitty",
            "alacritty", "foot", "wezterm", "xterm",
        ] {
            candidates.append([name])
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for candidate in candidates where ChildProcess.resolve(candidate[0], path: path) != nil {
            let name = (candidate[0] as NSString).lastPathComponent
            switch name {
            case "gnome-terminal", "kgx", "ptyxis": return candidate + ["--"] + command
            case "wezterm": return candidate + ["start", "--"] + command
            case "xdg-terminal-exec", "kitty", "foot": return candidate + command
            case "xfce4-terminal": return candidate + ["-x"] + command
            default: return candidate + ["-e"] + command
            }
        }
        return nil
    }

    // MARK: - Starting outside the unit

    /// What the child needs from the daemon's environment to reach the person's desktop
    /// (an X server started by a display manager also wants its XAUTHORITY cookie file).
    static let passedEnvironment = [
        "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "PATH",
    ]

    /// The service's own settings from systemd, which a child must not see.
    static let serviceOnlyEnvironment: Set<String> = [
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
    ]

    /// A child worked out and ready to start (``launchPlan(_:variables:purpose:timeLimit:)``).
    struct LaunchPlan {
        var arguments: [String]
        var environment: [String: String]
        var purpose: String
        /// The limit asked for (for the log), and the one held to the child process itself.
        var timeLimit: Double?
        var processLimit: Double?
        /// Started through `systemd-run`: what it does depends on the user bus at the moment
        /// it starts, so such a plan is made at that moment only.
        var viaSystemd: Bool
    }

    /// Starts `words` with `variables` added to its environment, outside the service, and
    /// logs how it ended. A time limit stops it (SIGTERM, then SIGKILL). `whenEnded` runs
    /// once it has ended, or at once if it could not start.
    func launch(
        _ words: [String], variables: [String: String], purpose: String, timeLimit: Double?, whenEnded: (() -> Void)? = nil
    ) {
        start(launchPlan(words, variables: variables, purpose: purpose, timeLimit: timeLimit), whenEnded: whenEnded)
    }

    /// How `words` would start now: the arguments (under systemd, `systemd-run`'s), the
    /// environment and the time limit.
    func launchPlan(_ words: [String], variables: [String: String], purpose: String, timeLimit: Double?) -> LaunchPlan {
        var variables = variables
        variables["KINDLING_SOCKET"] = paths.socketFile
        var arguments = words
        // What systemd told the daemon about itself is not the child's to use.
        let inherited = environment.filter { !Self.serviceOnlyEnvironment.contains($0.key) }
        var childEnvironment = inherited.merging(variables) { _, new in new }
        var limit = timeLimit
        var viaSystemd = false
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if environment["INVOCATION_ID"] != nil, ChildProcess.resolve("systemd-run", path: path) != nil {
            viaSystemd = true
            // A transient unit of the user manager: no sandbox of ours, and a restart of
            // kindlingd does not end it. `--wait` reports the hook's own exit status.
            for name in Self.passedEnvironment { if let value = environment[name] { variables[name] = value } }
            arguments = ["systemd-run", "--user", "--quiet", "--collect", "--description=Kindling: \(purpose)"]
            if let timeLimit {
                arguments += ["--property=RuntimeMaxSec=\(Int(timeLimit.rounded(.up)))s"]
                // --wait needs the user bus (see below); without one the hook still runs,
                // limited by RuntimeMaxSec, but its exit status goes unreported.
                if let runtime = environment["XDG_RUNTIME_DIR"], access(runtime + "/bus", F_OK) == 0 {
                    arguments += ["--wait"]
                    limit = timeLimit + 10
                } else {
                    limit = nil
                }
            }
            // Names only: systemd-run copies each value from its own environment. Values on
            // its command line would be readable by anyone through /proc/PID/cmdline.
            // (The bus address is the exception: systemd-run must not see it, see below.)
            arguments += variables.sorted { $0.key < $1.key }.map {
                $0.key == "DBUS_SESSION_BUS_ADDRESS" ? "--setenv=\($0.key)=\($0.value)" : "--setenv=\($0.key)"
            }
            arguments += ["--"] + words
            childEnvironment = inherited.merging(variables) { _, new in new }
            // With --wait, systemd-run finds the manager on the user bus (sd_bus_open_user),
            // trying DBUS_SESSION_BUS_ADDRESS first: that may be a desktop bus the manager
            // is not on (dbus-launch, a private test bus), and the hook then never starts.
            // Without it, systemd-run uses $XDG_RUNTIME_DIR/bus, where the manager is. The
            // child still gets the desktop's address through its --setenv value.
            childEnvironment["DBUS_SESSION_BUS_ADDRESS"] = nil
        }
        return LaunchPlan(
            arguments: arguments, environment: childEnvironment, purpose: purpose, timeLimit: timeLimit,
            processLimit: limit, viaSystemd: viaSystemd)
    }

    /// Starts what ``launchPlan(_:variables:purpose:timeLimit:)`` worked out, and logs how it ended.
    func start(_ plan: LaunchPlan, whenEnded: (() -> Void)? = nil) {
        let purpose = plan.purpose
        let timeLimit = plan.timeLimit
        let started = DispatchTime.now()
        do {
            try ChildProcess.spawn(plan.arguments, environment: plan.environment, timeLimit: plan.processLimit, queue: queue) {
                [weak self] outcome, timedOut in
                whenEnded?()
                let milliseconds = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
                guard let self else { return }
                if timedOut {
                    self.log.warning("the \(purpose) ran longer than \(Int(timeLimit ?? 0)) s and was stopped")
                } else if outcome == .exited(0) {
                    self.log.info("the \(purpose) finished after \(milliseconds) ms")
                } else {
                    self.log.warning("the \(purpose) \(outcome) after \(milliseconds) ms")
                }
            }
        } catch {
            whenEnded?()
            recordProblem("the \(purpose) could not start: \(error.description)")
        }
    }
}
