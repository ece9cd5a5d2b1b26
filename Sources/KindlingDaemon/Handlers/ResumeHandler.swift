import KindlingControl

/// `resume`: ends a pause. Prompts that fell inside it stay skipped; the next ones come.
enum ResumeHandler {
    static func handle(_ daemon: Daemon) -> Result<PauseResult, ControlError> {
        let now = daemon.clock.now
        do {
            if try daemon.journal.state(forKey: Scheduler.pausedKey) != nil {
                try daemon.journal.setState(nil, forKey: Scheduler.pausedKey, at: now)
                try daemon.journal.recordPauseEnded(at: now)
                try daemon.journal.recordEvent(.init(rawValue: "resumed"), at: now)
                daemon.broadcast(Event(event: "resumed"))
            }
            daemon.scheduler.tick()
            daemon.notifier.status(daemon.statusLine())
            return .success(PauseResult(paused: false, pausedUntil: nil))
        } catch {
            return .failure(ControlError(.storage, "the resume could not be recorded: \(error.description)"))
        }
    }
}
