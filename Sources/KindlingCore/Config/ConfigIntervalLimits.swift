// How often prompts may come: the floor on [break] every and the cap on prompts a day.

/// Bounds on how often prompts come (issue 18, case 16). Without them `[break] every = "1s"`
/// meant 86,400 prompts a day.
///
/// The settings that say how long something lasts keep no floor beyond zero: `snooze` brings
/// a prompt back once, after someone snoozed it, and `valid_for` / `answer_until` close each
/// prompt once, so neither can make prompts pile up. Short ones are also what the end-to-end
/// tests use to see a snoozed prompt come back (3 s) and a prompt lapse (1 s) quickly.
public enum ConfigIntervalLimits {
    /// `[break] every`: a breathing space at most every five minutes (fewer than 288 a day).
    public static let breakEvery = ConfigDuration.minutes(5)
    /// All slots together, on the busiest day: enough for a break every five minutes around
    /// the clock and the daily prompts besides.
    public static let maximumPromptsPerDay = 300
}

extension TableReader {
    /// A duration of at least `minimum`; a shorter one is reported, naming the minimum, and
    /// gives nil. `why` finishes the sentence, e.g. "so a break comes at most every five minutes".
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
    /// Reports a configuration that could bring more than
    /// ``ConfigIntervalLimits/maximumPromptsPerDay`` prompts on one day. It counts every
    /// enabled slot as if all came on the same day: an upper bound, cheap to find.
    func checkPromptsPerDay(_ config: Configuration) {
        var count = 0
        if config.intention.enabled { count += config.intention.at.count }
        if config.nudge.enabled { count += 1 }
        if config.reflection.enabled { count += config.reflection.at.count }
        if config.review.enabled { count += 1 }
        if config.breaks.enabled { count += ConfigReader.breakTimes(config.breaks).count }
        for custom in config.customs where custom.enabled { count += custom.at.count }
        let limit = ConfigIntervalLimits.maximumPromptsPerDay
        guard count > limit else { return }
        diagnostics.report(
            .root,
            "these settings bring up to \(count) prompts on one day; at most \(limit) are allowed, "
                + "so turn some slots off or give them fewer times"
        )
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
