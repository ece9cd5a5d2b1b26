import Foundation
import KindlingControl
import ProcessFixture
import Testing

@testable import KindlingCLI

/// The answer window's command lines: a prompt's text is one argument, shown as written by each
/// dialog program (never read as markup, escapes or an option), and the window is refused with
/// a clear line where it cannot open.
@Suite struct AnswerDialogTests {
    static let hostile = "Be <b>kind</b> & say \"thanks\" \\n to -x `id` $(id)\nthen rest."

    /// zenity's entry shows its label as plain text but undoes backslash escapes; yad does
    /// both (checked by hand on Xvfb with zenity 3.44 and yad 0.40).
    @Test func thePromptIsOneArgumentEscapedForZenityAndYad() {
        let zenity = AnswerDialog.askArguments(.zenity, prompt: Self.hostile)
        #expect(
            zenity.filter { $0.hasPrefix("--text=") } == [
                "--text=Be <b>kind</b> & say \"thanks\" \\\\n to -x `id` $(id)\nthen rest."
            ])
        let yad = AnswerDialog.askArguments(.yad, prompt: Self.hostile)
        #expect(
            yad.filter { $0.hasPrefix("--text=") } == [
                "--text=Be &lt;b&gt;kind&lt;/b&gt; &amp; say \"thanks\" \\\\n to -x `id` $(id)\nthen rest."
            ])
        #expect(zenity.first == "--entry")
        // yad's window is an editable text box: an answer of several lines.
        #expect(Array(yad.prefix(2)) == ["--text-info", "--editable"])
    }

    /// The programs whose window takes several lines come first, and kdialog first on KDE.
    @Test func theWindowForSeveralLinesIsPreferredAndKDEGetsItsOwn() {
        #expect(DialogProgram.preferenceOrder([:]) == [.yad, .zenity, .kdialog])
        #expect(DialogProgram.preferenceOrder(["XDG_CURRENT_DESKTOP": "GNOME"]) == [.yad, .zenity, .kdialog])
        #expect(DialogProgram.preferenceOrder(["XDG_CURRENT_DESKTOP": "ubuntu:KDE"]) == [.kdialog, .yad, .zenity])
        #expect(Set(DialogProgram.preferenceOrder([:])) == Set(DialogProgram.allCases))
    }

    @Test func aLongPromptIsWrappedBetweenWordsAndKeepsItsOwnLineBreaks() {
        let long = String(repeating: "kindness is a practice of small steps ", count: 5) + "\nsecond line"
        let wrapped = AnswerDialog.wrapped(long)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 64 }, "\(lines)")
        #expect(lines.count > 3 && lines.last == "second line")
        #expect(wrapped.replacingOccurrences(of: "\n", with: " ") == long.replacingOccurrences(of: "\n", with: " "))
        #expect(AnswerDialog.wrapped("short one") == "short one")
    }

    @Test func kdialogGetsRichTextItCannotMistakeForAnOption() {
        let arguments = AnswerDialog.askArguments(.kdialog, prompt: "-x <i>hi</i> & bye\nnow")
        #expect(arguments == ["--title", "Kindling", "--textinputbox", "<qt>-x &lt;i&gt;hi&lt;/i&gt; &amp; bye<br>now</qt>"])
    }

    /// A stand-in zenity that records its arguments and standard input, then prints `output`
    /// and exits with `status`.
    static func fakeZenity(in folder: String, output: String, status: Int) -> AnswerDialog {
        let script = """
            #!/bin/sh
            printf '%s\\n' "$@" > '\(folder)/args'
            cat > '\(folder)/stdin'
            printf '%s' '\(output)'
            exit \(status)

            """
        // Written by a shell of its own, never through a descriptor of this process: a test on
        // another thread that forks while the file is open for writing would hold that
        // descriptor in its child, and running the script would fail with ETXTBSY.
        let writer = TestProcess(
            "/bin/sh", ["-c", #"printf '%s' "$1" > "$2" && chmod 755 "$2""#, "sh", script, folder + "/zenity"])
        try? writer.run()
        writer.waitUntilExit()
        return AnswerDialog(program: .zenity, path: folder + "/zenity")
    }

    @Test func okCancelAndFailureOfTheWindowAreToldApart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-dialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let answered = try Self.fakeZenity(in: folder, output: "A kind word\n", status: 0).ask(prompt: "Who?")
        #expect(answered == .answered("A kind word"))
        #expect(try Self.fakeZenity(in: folder, output: "", status: 1).ask(prompt: "Who?") == .cancelled)
        #expect(throws: CLIError.self) { try Self.fakeZenity(in: folder, output: "", status: 3).ask(prompt: "Who?") }
    }

    /// The mood window (for a slot with `ask_mood`) names only its own fixed words: neither the
    /// prompt nor the answer is on its command line.
    @Test func theMoodWindowOffersBothScalesFromOneToFive() throws {
        let zenity = try #require(AnswerDialog.moodArguments(.zenity).first)
        #expect(zenity.first == "--forms" && zenity.contains("--separator=|"))
        #expect(zenity.filter { $0.hasPrefix("--add-combo=") } == ["--add-combo=Mood", "--add-combo=Energy"])
        #expect(
            zenity.filter { $0.hasPrefix("--combo-values=") } == [
                "--combo-values=1 (low)|2|3|4|5 (bright)", "--combo-values=1 (drained)|2|3|4|5 (full)",
            ])
        let yad = try #require(AnswerDialog.moodArguments(.yad).first)
        #expect(yad.first == "--form" && yad.contains("--field=Mood:CB") && yad.contains("!1 (low)!2!3!4!5 (bright)"))
        let kdialog = AnswerDialog.moodArguments(.kdialog)
        #expect(kdialog.count == 2 && kdialog.allSatisfy { $0.contains("--combobox") && $0.contains("3") })
        #expect(AnswerDialog.scaleValue("5 (bright)") == 5 && AnswerDialog.scaleValue(" 2\n") == 2)
        #expect(AnswerDialog.scaleValue("") == nil && AnswerDialog.scaleValue("7") == nil && AnswerDialog.scaleValue("x") == nil)
    }

    @Test func theMoodWindowsChoicesAreReadAndItsCancelLeavesThemOut() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-dialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let both = Self.fakeZenity(in: folder, output: "2|5 (full)\n", status: 0).askMood()
        #expect(both.mood == 2 && both.energy == 5)
        let arguments = try String(contentsOfFile: folder + "/args", encoding: .utf8)
        #expect(arguments.hasPrefix("--forms\n") && !arguments.contains("Who?"), "\(arguments)")
        let energyOnly = Self.fakeZenity(in: folder, output: "|3\n", status: 0).askMood()
        #expect(energyOnly.mood == nil && energyOnly.energy == 3)
        let untouched = Self.fakeZenity(in: folder, output: "|\n", status: 0).askMood()
        #expect(untouched.mood == nil && untouched.energy == nil)
        // Skip (Cancel), Escape, or a window that failed: the answer is saved without them.
        for status in [1, 252, 3] {
            let skipped = Self.fakeZenity(in: folder, output: "4|4\n", status: status).askMood()
            #expect(skipped.mood == nil && skipped.energy == nil, "status \(status)")
        }
        // kdialog asks the two one after the other, each printing its choice.
        _ = Self.fakeZenity(in: folder, output: "4 \n", status: 0)
        let kdialog = AnswerDialog(program: .kdialog, path: folder + "/zenity").askMood()
        #expect(kdialog.mood == 4 && kdialog.energy == 4)
    }

    @Test func aFailedSaveShowsTheAnswerFromStandardInputNeverOnACommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-dialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let answer = "I listened to Sam for an hour."
        Self.fakeZenity(in: folder, output: "", status: 0).showFailure("your answer was NOT saved", text: answer)
        let arguments = try String(contentsOfFile: folder + "/args", encoding: .utf8)
        #expect(arguments.contains("NOT saved") && !arguments.contains(answer), "\(arguments)")
        #expect(try String(contentsOfFile: folder + "/stdin", encoding: .utf8) == answer)
    }

    @Test func kdialogShowsAFailedSaveFromAPrivateFileRemovedAfterwards() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-dialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A stand-in kdialog: records its arguments, and copies the file after --textbox with its mode.
        let script = """
            #!/bin/sh
            printf '%s\\n' "$@" > '\(folder)/args'
            while [ "$1" != --textbox ]; do shift; done
            cp "$2" '\(folder)/shown'; stat -c %a "$2" > '\(folder)/mode'; printf '%s' "$2" > '\(folder)/path'

            """
        _ = FileManager.default.createFile(atPath: folder + "/kdialog", contents: Data(script.utf8))
        chmod(folder + "/kdialog", 0o755)
        let answer = "I listened to Sam for an hour."
        AnswerDialog(program: .kdialog, path: folder + "/kdialog").showFailure("your answer was NOT saved", text: answer)
        let arguments = try String(contentsOfFile: folder + "/args", encoding: .utf8)
        #expect(arguments.contains("NOT saved") && !arguments.contains(answer), "\(arguments)")
        #expect(try String(contentsOfFile: folder + "/shown", encoding: .utf8) == answer)
        #expect(try String(contentsOfFile: folder + "/mode", encoding: .utf8) == "600\n")
        let copy = try String(contentsOfFile: folder + "/path", encoding: .utf8)
        #expect(!FileManager.default.fileExists(atPath: copy), "the private copy is removed once the window closes")
    }

    @Test func withoutADisplayOrADialogProgramTheErrorSaysWhatToDo() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-nodialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect {
            try AnswerDialog.find(environment: ["PATH": empty])
        } throws: { error in
            let text = "\(error)"
            return text.contains("DISPLAY") && text.contains("WAYLAND_DISPLAY") && !text.contains("\n")
        }
        #expect {
            try AnswerDialog.find(environment: ["PATH": empty, "DISPLAY": ":9"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("zenity") && text.contains("kdialog") && text.contains("yad") && text.contains("apt install")
                && !text.contains("\n")
        }
        _ = FileManager.default.createFile(atPath: empty + "/yad", contents: Data("#!/bin/sh\n".utf8))
        chmod(empty + "/yad", 0o755)
        let found = try AnswerDialog.find(environment: ["PATH": empty, "WAYLAND_DISPLAY": "wayland-0"])
        #expect(found.program == .yad && found.path == empty + "/yad")
        // With zenity beside it, yad still comes first: its window takes several lines.
        _ = FileManager.default.createFile(atPath: empty + "/zenity", contents: Data("#!/bin/sh\n".utf8))
        chmod(empty + "/zenity", 0o755)
        #expect(try AnswerDialog.find(environment: ["PATH": empty, "DISPLAY": ":9"]).program == .yad)
    }
}
