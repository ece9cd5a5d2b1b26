import KindlingControl
import KindlingCore

/// `fire SLOT`: delivers a prompt of that slot now, through every channel.
enum FireHandler {
    static func handle(_ daemon: Daemon, slot: String) -> Result<PromptResult, ControlError> {
        guard daemon.config.slotNames.contains(slot) else {
            return .failure(
                ControlError(.notFound, "there is no slot \"\(slot)\"; slots: \(daemon.config.slotNames.joined(separator: ", "))")
            )
        }
        let now = daemon.clock.now
        let schedule = Schedule(configuration: daemon.config, timeZone: daemon.timeZone)
        let day = schedule.localDate(of: now)
        let composed = daemon.compose(slot: slot, day: day, scheduledAt: now)
        do {
            let insertion = try daemon.journal.recordDelivery(
                slot: slot, scheduledAt: now, localDate: day.description, promptText: composed.text,
                promptKey: composed.key, programName: composed.programName, programDay: composed.programDay,
                firedAt: now, expiresAt: schedule.expiry(slot: slot, scheduledAt: now))
            let delivery = insertion.delivery
            try daemon.journal.recordEvent(.init(rawValue: "fired"), at: now, deliveryID: delivery.id, detail: ["by": "request"])
            daemon.deliver(delivery, at: now)
            daemon.scheduler.tick()
            return .success(PromptResult(id: delivery.id ?? 0, slot: slot, text: delivery.promptText, status: "pending"))
        } catch {
            return .failure(ControlError(.storage, "the prompt could not be recorded: \(error.description)"))
        }
    }
}
