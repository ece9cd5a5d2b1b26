import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// The few path operations the CLI took from NSString, which the thin CLI does without.
enum PathText {
    /// The folder part of `path` ("." for a bare name), as dirname(1) gives it.
    static func folder(of path: String) -> String { ControlClient.folder(of: path) }

    /// The last part of `path` (its file name), as basename(1) gives it.
    static func name(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard path != "/" else { return "/" }
        return String(path.split(separator: "/").last ?? "")
    }

    /// The person's home folder: $HOME, else the password database's.
    static var home: String {
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home }
        guard let entry = getpwuid(getuid()), let folder = entry.pointee.pw_dir else { return "/" }
        return String(cString: folder)
    }

    /// `~` and `~/...` at the start of `path` read as the home folder (as a shell would have).
    static func expandingTilde(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    /// Where temporary files go: $TMPDIR, else /tmp.
    static var temporaryFolder: String {
        if let folder = getenv("TMPDIR").map({ String(cString: $0) }), !folder.isEmpty {
            return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        }
        return "/tmp"
    }
}
