/// The desktop dialog programs `kindling respond --dialog` can ask for an answer with, in the
/// order they are tried: GNOME's zenity, KDE's kdialog, then yad. Found on PATH at run time,
/// both by the CLI (to open one) and by the daemon (to know whether Answer can open one).
public enum DialogProgram: String, CaseIterable, Sendable {
    case zenity, kdialog, yad

    /// The program's name on PATH, which is also its Debian package's name.
    public var name: String { rawValue }

    /// How to get one, for the message shown when none is found.
    public static let installHint =
        "install zenity (GNOME and most desktops), kdialog (KDE) or yad, e.g. `sudo apt install zenity`"

    /// Whether the environment has a graphical session a dialog can open on.
    public static func hasDisplay(_ environment: [String: String]) -> Bool {
        !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
    }
}
