// `kindling breathe`: a short grounding moment for when things feel like too much. It asks
// nothing back: no answer, no prompt waiting, nothing counted. The words are the project's own.

/// The words of the grounding moment, shared by the terminal and the desktop.
public enum Grounding {
    /// The notification's title.
    public static let title = "A moment to breathe"

    /// The notification's body: the whole moment in a few lines.
    public static let notificationBody = """
        Let whatever is beneath you hold you for a moment.
        Breathe in slowly, and let the breath out a little longer.
        Nothing needs answering. This moment is yours.
        """

    /// What the terminal prints at once (off a terminal, or with `--json`, this is all of it).
    public static let opening = [
        "Let's pause here together for a moment.",
        "Let your shoulders soften, and let whatever is beneath you hold you.",
        "Notice one thing around you, something you can see, hear or feel.",
    ]

    /// The paced part on a terminal: each breath in and out, `breaths` times.
    public static let breaths = 4
    /// Seconds of each breath in and out (about 40 s in all).
    public static let inhaleSeconds = 4
    public static let exhaleSeconds = 6
    public static let breatheIn = "Breathe in, slowly"
    public static let breatheOut = "and out, a little longer"

    /// The closing lines, also printed when the person ends the moment early.
    public static let closing = [
        "Whatever you are carrying, you are allowed to set it down for a while.",
        "Nothing needs answering. Come back to this whenever you like.",
    ]

    /// Every line at once, for a pipe or `--json`.
    public static var allLines: [String] {
        opening + ["Breathe in slowly, and let the breath out a little longer, a few times over."] + closing
    }
}
