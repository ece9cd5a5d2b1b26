/// The desktop dialog programs `kindling respond --dialog` can ask for an answer with. Found on
/// PATH at run time, both by the CLI (to open one) and by the daemon (to know whether Answer can
/// open one).
public enum DialogProgram: String, CaseIterable, Sendable {
    case zenity, kdialog, yad

    /// The order they are tried in. A reflection can run to several lines, so the programs
    /// whose window takes more than one line come first: yad, and kdialog on KDE (where it
    /// belongs; elsewhere it pulls in KDE's look). zenity's entry (3.x has no multi-line field
    /// with a question above it) takes one line, so it comes after yad, though more desktops
    /// have it.
    public static func preferenceOrder(_ environment: [String: String]) -> [DialogProgram] {
        let desktops = (environment["XDG_CURRENT_DESKTOP"] ?? "").split(separator: ":").map { $0.uppercased() }
        return desktops.contains("KDE") ? [.kdialog, .yad, .zenity] : [.yad, .zenity, .kdialog]
    }

    /// Whether the answer window takes an answer of several lines.
    public var takesSeveralLines: Bool { self != .zenity }

    /// The program's name on PATH, which is also its Debian package's name.
    public var name: String { rawValue }

    /// How to get one, for the message shown when none is found.
    public static let installHint =
        "install yad (a window for answers of several lines), zenity or kdialog (KDE), e.g. `sudo apt install yad`"

    /// Whether the environment has a graphical session a dialog can open on.
    public static func hasDisplay(_ environment: [String: String]) -> Bool {
        !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
    }
}
