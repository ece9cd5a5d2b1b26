import Dispatch
import KindlingControl

/// `reload` (also SIGHUP): re-read the configuration; on error keep the running one.
enum ReloadHandler {
    static func handle(_ daemon: Daemon) -> Result<ReloadResult, ControlError> {
        daemon.reload()
    }
}

extension Daemon {
    /// RELOADING=1, parse, swap in or keep the old configuration, READY=1.
    /// systemd 252 has no reload handshake for Type=notify, so `ExecReload=kindling reload`
    /// waits for this answer, which comes only once the reload is complete.
    @discardableResult
    func reload() -> Result<ReloadResult, ControlError> {
        dispatchPrecondition(condition: .onQueue(queue))
        notifier.reloading()
        defer { notifier.ready(status: statusLine()) }
        // Whatever the config says: a journal that could not be opened (a full disk at start) is
        // tried again, so that a reload is enough once the cause is gone.
        retryJournal(force: true)
        // A journal waiting for its key in the keyring asks again (the keyring may have come
        // up since, on a bus that was not there).
        askKeyringAgainIfWaiting()
        do {
            let (config, source) = try Self.loadConfiguration(paths)
            self.config = config
            self.configSource = source
            lastError = nil
            log.info("reloaded the configuration from \(source)")
            broadcast(Event(event: .reloaded))
            configureDesktop()
            configureCalendar()
            configureCalls()
            scheduler.tick()
            return .success(ReloadResult(configPath: source, statusLine: statusLine()))
        } catch {
            lastError = "the new configuration was not loaded, so the previous one is still in use: \(error.description)"
            log.error("\(lastError ?? "")")
            return .failure(ControlError(.badRequest, error.description + " (the previous configuration stays in force)"))
        }
    }
}
