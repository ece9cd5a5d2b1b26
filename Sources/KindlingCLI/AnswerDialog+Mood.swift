import FoundationEssentials
import KindlingControl

/// The second, smaller window that offers mood and energy after an answer, for a slot whose
/// `ask_mood` says so. Like the terminal's question it is an offer: Cancel, Escape or an empty
/// choice leaves them out and the answer is saved all the same.
extension AnswerDialog {
    /// The choices each scale offers, low to high; a choice's first character is its number.
    static let moodChoices = ["1 (low)", "2", "3", "4", "5 (bright)"]
    static let energyChoices = ["1 (drained)", "2", "3", "4", "5 (full)"]

    /// The arguments of the window that offers both scales (kdialog, which has no form, asks
    /// them one after the other: see ``askMood()``). Only fixed words travel here, never the
    /// answer or the prompt.
    static func moodArguments(_ program: DialogProgram) -> [[String]] {
        switch program {
        case .zenity:
            [
                [
                    "--forms", "--title=Kindling", "--text=How are you now? Both are optional.", "--separator=|",
                    "--add-combo=Mood", "--combo-values=" + moodChoices.joined(separator: "|"),
                    "--add-combo=Energy", "--combo-values=" + energyChoices.joined(separator: "|"),
                    "--ok-label=Save", "--cancel-label=Skip",
                ]
            ]
        case .yad:
            // A leading empty choice is selected first, so saving untouched notes nothing.
            [
                [
                    "--form", "--title=Kindling", "--text=How are you now? Both are optional.", "--separator=|", "--center",
                    "--field=Mood:CB", "--field=Energy:CB", "!" + moodChoices.joined(separator: "!"),
                    "!" + energyChoices.joined(separator: "!"), "--button=Skip:1", "--button=Save:0",
                ]
            ]
        case .kdialog:
            [
                ["--title", "Kindling", "--combobox", "How is your mood?"] + moodChoices,
                ["--title", "Kindling", "--combobox", "And your energy?"] + energyChoices,
            ]
        }
    }

    /// Offers mood and energy from 1 to 5; nil for each one left out. A window that fails or
    /// is cancelled gives nil for both, so the answer before it is never lost.
    func askMood() -> (mood: Int?, energy: Int?) {
        var values: [Int?] = []
        for arguments in Self.moodArguments(program) {
            guard let (status, output) = try? run(arguments, input: nil), status == 0 else { return (nil, nil) }
            values += output.split(separator: "|", omittingEmptySubsequences: false).map(Self.scaleValue)
        }
        return (values.first ?? nil, values.dropFirst().first ?? nil)
    }

    /// The number a chosen line starts with, when it is 1 to 5.
    static func scaleValue(_ choice: Substring) -> Int? {
        let text = choice.trimmed()
        guard let first = text.first, let value = first.wholeNumberValue, (1...5).contains(value) else { return nil }
        return value
    }
}
