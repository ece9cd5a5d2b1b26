import ProcessFixture

extension TestProcess {
    /// Ends a program a test started (SIGTERM) and waits for it to exit; one that has already
    /// ended is only waited for. Tests start their daemon, then `defer { daemon.stopAndWait() }`.
    func stopAndWait() {
        if isRunning { terminate() }
        waitUntilExit()
    }
}
