/// How a slot is named to a person ("evening reflection"), as the daemon names it (KindlingCore's
/// `Schedule.displayName`, which the CLI may not import; `LocalDateAgreementTests` checks that
/// the two agree).
enum SlotNames {
    static func displayName(of slot: String) -> String {
        switch slot {
        case "intention": "morning intention"
        case "nudge": "mindful-action nudge"
        case "reflection": "evening reflection"
        case "review": "weekly review"
        case "break": "breathing-space break"
        default: slot
        }
    }
}
