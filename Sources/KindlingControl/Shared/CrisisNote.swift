/// Said wherever a person might look for help: both commands' `--help` and man pages, the
/// config file's header and the README. Kindling keeps a practice; it is not there in a crisis.
public enum CrisisNote {
    public static let text =
        "Kindling is a self-help companion, not a crisis service. If you are in crisis or thinking about "
        + "harming yourself, please call your local emergency number or a crisis line in your country now."
}
