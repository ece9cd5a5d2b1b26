import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import KindlingSystemd

/// Desktop notifications: what a prompt looks like on screen, and what its buttons do.
extension Daemon {
    // MARK: - Joining the desktop

    /// Starts (or stops) desktop notifications as `[delivery] desktop` says. Called when
    /// the daemon becomes ready and after every reload.
    func configureDesktop() {
        dispatchPrecondition(condition: .onQueue(queue))
        configureScreenLock()
        if !config.delivery.desktop {
            desktop?.stop()
            desktop = nil
            return
        }
        guard desktop == nil else { return }
        let notifier = DesktopNotifier(environment: environment, iconPath: installIcon(), queue: queue, log: log)
        notifier.onAction = { [unowned self] id, action in self.notificationAction(action, deliveryID: id) }
        notifier.onReady = { [unowned self] in
            // The session bus is there: a journal waiting for the keyring asks it now.
            self.askKeyringAgainIfWaiting()
            self.showWaitingPrompts()
            // Do-not-disturb may have just ended: what it held back is due now, on every channel.
            self.scheduler?.tick()
        }
        // The server left while in do-not-disturb: the watchers and the hook need not wait for
        // it. After the current work (the bus may be closing because the daemon stops).
        notifier.onQuietEnded = { [weak self] in
            self?.queue.async { [weak self] in self?.scheduler?.tick() }
        }
        desktop = notifier
        notifier.start()
    }

    /// Whether the desktop is in do-not-disturb by any server's switch (dunst, xfce4-notifyd,
    /// KDE, GNOME): prompts then wait on every channel, as in quiet hours (see ``PromptPlanner``). A
    /// switch not read yet does not hold anything back here; only the notification waits for it.
    /// Tests set ``doNotDisturbOverride`` instead of a real server.
    var doNotDisturb: Bool {
        doNotDisturbOverride ?? (config.delivery.desktop && desktop?.paused == true)
    }

    /// "connected" or "unavailable", for `status`.
    var notificationsStatus: String {
        desktop?.statusWord ?? "unavailable"
    }

    /// The desktop channel in detail, for `status` and `kindling doctor`.
    var desktopStatus: StatusResult.DesktopStatus? {
        guard let desktop else { return nil }
        return StatusResult.DesktopStatus(
            bus: desktop.address, busConnected: desktop.isBusConnected,
            server: desktop.server.map { "\($0.name) \($0.version)".trimmingCharacters(in: .whitespaces) },
            capabilities: desktop.server?.capabilities ?? [], doNotDisturb: desktop.paused,
            quietSources: desktop.quiet.quietSources.map(\.rawValue),
            quietReadings: DesktopQuiet.Source.allCases.map {
                .init(source: $0.rawValue, reading: desktop.quiet.reading($0).rawValue)
            })
    }

    /// Shows every waiting prompt that has no notification yet: the server has just
    /// appeared, or do-not-disturb has ended. Prompts wait for the desktop, as they wait
    /// out quiet hours, until they expire.
    func showWaitingPrompts() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let desktop, let waiting = try? journal.pendingDeliveries() else { return }
        let now = clock.now
        for delivery in waiting where delivery.status == .pending && delivery.expiresAt > now {
            guard let id = delivery.id, !desktop.isShowing(id) else { continue }
            desktop.show(notificationContent(for: delivery))
        }
    }

    // MARK: - Content

    /// The notification for `delivery`. Discreet mode says only that a prompt is waiting.
    /// The weekly review's body opens with the look back at its week, read afresh from the journal.
    func notificationContent(for delivery: DeliveryRecord) -> DesktopNotifier.Content {
        let discreet = !showsText(on: .desktop)
        var body = delivery.promptText
        if !discreet, delivery.slot == "review", let day = LocalDate(delivery.localDate),
            let summary = weekSummary(endingOn: day)
        {
            body = summary + "\n" + body
        }
        return DesktopNotifier.Content(
            deliveryID: delivery.id ?? 0,
            summary: discreet ? "Kindling" : Self.sentenceCase(Schedule.displayName(of: delivery.slot)),
            body: discreet ? "A prompt is waiting for you." : body,
            urgency: delivery.slot == "nudge" ? .low : .normal,
            offersAnswer: config.delivery.respondCommand != .disabled,
            transient: !config.delivery.keepInHistory)
    }

    /// "morning intention" → "Morning intention", for a notification's title.
    static func sentenceCase(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    // MARK: - Actions

    /// Answer opens the respond command; Snooze and Skip do what the CLI commands do, through
    /// the same handlers and ``PromptLifecycle``; an inline reply is saved as the answer.
    func notificationAction(_ action: DesktopNotifier.Action, deliveryID: Int64) {
        dispatchPrecondition(condition: .onQueue(queue))
        let outcome: String
        switch action {
        case .answer:
            launchRespondCommand(for: deliveryID)
            return
        case .snooze:
            outcome = describe(SnoozeHandler.handle(lifecycle, id: deliveryID, duration: nil))
        case .skip:
            outcome = describe(SkipHandler.handle(lifecycle, id: deliveryID))
        case .reply(let text):
            // The same request as `kindling respond`, refused the same way without a journal.
            let request = Request.Respond(id: deliveryID, text: text, mood: nil, energy: nil, channel: "desktop")
            if let refusal = refusal(of: request) {
                outcome = describe(Result<RespondResult, ControlError>.failure(refusal))
            } else {
                outcome = describe(
                    RespondHandler.handle(lifecycle, id: deliveryID, text: text, mood: nil, energy: nil, channel: "desktop"))
            }
        }
        log.info("notification for prompt \(deliveryID): \(outcome)")
    }

    private func describe<T>(_ result: Result<T, ControlError>) -> String {
        switch result {
        case .success: "done"
        case .failure(let error): "refused: \(error.message)"
        }
    }

    // MARK: - Icon

    /// The icon's name in the hicolor theme when a package installed it there (the server
    /// then finds it as it finds any application's); otherwise Kindling's icon written next to
    /// the socket (a private runtime directory), or a stock icon name when it cannot be written.
    private func installIcon() -> String {
        if let themed = Self.themedIcon(environment: environment) { return themed }
        let directory = (paths.socketFile as NSString).deletingLastPathComponent
        let path = directory + "/kindling.svg"
        if FileManager.default.contents(atPath: path) != Data(Self.iconSVG.utf8) {
            guard FileManager.default.createFile(atPath: path, contents: Data(Self.iconSVG.utf8)) else {
                return "emblem-favorite"
            }
        }
        return path
    }

    /// "kindling" when kindling.svg is in the hicolor theme under one of the data directories
    /// icon themes are looked up in (`$XDG_DATA_DIRS`, default /usr/local/share:/usr/share;
    /// the Debian package installs it in /usr/share), else nil.
    static func themedIcon(environment: [String: String]) -> String? {
        let dataDirectories = (environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share")
            .split(separator: ":").filter { $0.hasPrefix("/") }
        let installed = dataDirectories.contains { directory in
            FileManager.default.fileExists(atPath: directory + "/icons/hicolor/scalable/apps/kindling.svg")
        }
        return installed ? "kindling" : nil
    }

    /// A small ember: a warm flame in a circle.
    static let iconSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
          <circle cx="32" cy="32" r="30" fill="#3b2a4a"/>
          <path d="M32 10c4 9 14 15 14 27a14 14 0 0 1-28 0c0-7 4-11 7-15 0 5 2 8 5 9-2-7 0-15 2-21z" fill="#f08a3c"/>
          <path d="M32 30c2 4 7 7 7 13a7 7 0 0 1-14 0c0-4 3-6 4-8 1 3 2 4 3 4-1-3-1-6 0-9z" fill="#ffd27a"/>
        </svg>

        """
}
