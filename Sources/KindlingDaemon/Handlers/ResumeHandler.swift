import KindlingControl

/// `resume`: ends a pause. Prompts that fell inside it stay skipped; the next ones come.
enum ResumeHandler {
    static func handle(_ lifecycle: PromptLifecycle) -> Result<PauseResult, ControlError> {
        do {
            try lifecycle.resume()
            return .success(PauseResult(paused: false, pausedUntil: nil))
        } catch {
            return .failure(ControlError(.storage, "the resume could not be recorded: \(error.description)"))
        }
    }
}
