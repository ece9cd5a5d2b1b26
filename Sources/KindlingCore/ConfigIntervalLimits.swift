// The shortest value each interval-like setting may take, and the checks that apply them.

/// Floors for the settings that say how often or for how long (issue 18, case 16). Without
/// them `[break] every = "1s"` meant 86,400 prompts a day, and a prompt could close before
/// anyone had read it.
///
/// `[delivery] snooze` has no floor beyond zero: a snoozed prompt comes back once, and only
/// after someone snoozed it, so a short snooze cannot make prompts pile up on its own.
public enum ConfigIntervalLimits {
    /// `[break] every`: a breathing space at most every five minutes (fewer than 288 a day).
    public static let breakEvery = ConfigDuration.minutes(5)
    /// `valid_for`, and the time `answer_until` leaves after each time a slot comes: long
    /// enough to read a prompt and start an answer.
    public static let openFor = ConfigDuration.minutes(1)
}

extension TableReader {
    /// A duration of at least `minimum`; a shorter one is reported, naming the minimum, and
    /// gives nil. `why` finishes the sentence, e.g. "so there is time to answer".
    func duration(_ key: String, atLeast minimum: ConfigDuration, _ why: String) -> ConfigDuration? {
        guard let duration = duration(key) else { return nil }
        guard duration < minimum else { return duration }
        let written = value(key)?.string ?? duration.description
        diagnostics.report(
            path.appending(key),
            "\(quoted(written)) is too short; the shortest allowed is \"\(minimum)\", \(why)"
        )
        return nil
    }
}

extension ConfigReader {
    /// Reports a slot whose `answer_until` (written, or the slot's default) closes one of its
    /// prompts less than ``ConfigIntervalLimits/openFor`` after it comes. `times` are the times
    /// of day the slot comes; one report per slot is enough.
    func checkAnswerWindow(_ t: TableReader, times: [TimeOfDay], validity: SlotValidity) {
        guard case .until(let end) = validity else { return }
        for time in times {
            // `answer_until` is the next such time strictly after the prompt: equal means a day.
            var open = (end.secondsSinceMidnight - time.secondsSinceMidnight + 86_400) % 86_400
            if open == 0 { open = 86_400 }
            guard open < ConfigIntervalLimits.openFor.seconds else { continue }
            // Point at the line that sets the closing time, else at the one that sets the time.
            let key = t.value("answer_until") != nil ? "answer_until" : (t.value("at") != nil ? "at" : "answer_until")
            let seconds = open == 1 ? "1 second" : "\(open) seconds"
            diagnostics.report(
                t.path.appending(key),
                "answer_until \"\(end)\" closes the \(time) prompt \(seconds) after it comes; leave it open at least a minute, "
                    + "with a later answer_until or with valid_for"
            )
            return
        }
    }

    /// The times of day breaks come: after each `every` from the start of `during`, the last
    /// no later than its end (as Schedule places them).
    static func breakTimes(_ breaks: BreakSlot) -> [TimeOfDay] {
        let step = breaks.every.seconds
        var times: [TimeOfDay] = []
        var elapsed = step
        while elapsed <= breaks.during.lengthInSeconds {
            times.append(TimeOfDay(secondsSinceMidnight: breaks.during.start.secondsSinceMidnight + elapsed))
            elapsed += step
        }
        return times
    }
}
