import Foundation

extension Schedule {
    // MARK: - Validity

    /// When a prompt of `slot` scheduled at `scheduledAt` stops being worth answering
    /// (`answer_until` / `valid_for`, or the slot's default, DESIGN.md). Never before it.
    public func expiry(slot: String, scheduledAt: Date) -> Date {
        let validity = configuration.slot(named: slot)?.effectiveValidity ?? .for(ConfigDuration.hours(2))
        switch validity {
        case .for(let duration):
            return scheduledAt.addingTimeInterval(TimeInterval(duration.seconds))
        case .until(let time):
            return nextInstant(of: time, after: scheduledAt)
        case .slotDefault:
            return scheduledAt.addingTimeInterval(2 * 3600)
        }
    }

    /// The first instant strictly after `instant` at which the local clock shows `time`
    /// (with the DST guarantee of ``instant(_:_:)``).
    public func nextInstant(of time: TimeOfDay, after instant: Date) -> Date {
        var day = localDate(of: instant)
        for _ in 0..<3 {
            let candidate = self.instant(day, time)
            if candidate > instant { return candidate }
            day = day.adding(days: 1)
        }
        return self.instant(day, time)
    }

    // MARK: - Quiet hours

    /// When quiet hours that hold at `instant` end, or nil when `instant` is not in quiet hours.
    public func quietHoursEnd(at instant: Date) -> Date? {
        guard let window = configuration.quietHours else { return nil }
        guard window.contains(localTime(of: instant)) else { return nil }
        return nextInstant(of: window.end, after: instant)
    }

    /// The local wall time of `instant` (to the second). Read from the calendar, not counted
    /// from midnight: a day with a DST change has 23 or 25 hours.
    public func localTime(of instant: Date) -> TimeOfDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute, .second], from: instant)
        return TimeOfDay(hour: c.hour ?? 0, minute: c.minute ?? 0, second: c.second ?? 0) ?? .midnight
    }
}
