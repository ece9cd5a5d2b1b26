import FoundationEssentials

/// Which kindling.service `kindling install` enables: one that came with the system (the
/// Debian package puts it in /usr/lib/systemd/user) when it runs these very binaries, or a
/// copy written into the person's own unit directory.
enum UnitSource: Equatable {
    /// A copy of one's own in the user unit directory, as before packages existed.
    case ownCopy
    /// The system's unit at `path` runs these binaries: enable it and write nothing.
    /// `earlierCopy` says what to do with a unit already in the user unit directory,
    /// which systemd would prefer over the system's.
    case system(path: String, earlierCopy: EarlierCopy)

    enum EarlierCopy: Equatable {
        /// Nothing there.
        case none
        /// Written by an earlier `kindling install`: removed, so the system's unit is used.
        case writtenByKindling
        /// A file someone wrote themselves: kept (it still wins), and the person is told.
        case theirOwn
    }

    /// Where systemd finds user units that come with the system, in the order it prefers
    /// them: `$XDG_DATA_DIRS/systemd/user` (default /usr/local/share:/usr/share), then
    /// /usr/lib/systemd/user, where packages put them.
    static func systemUnitPaths(environment: [String: String]) -> [String] {
        let dataDirectories = (environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share")
            .split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        return (dataDirectories.map { $0 + "/systemd/user" } + ["/usr/lib/systemd/user"])
            .map { $0 + "/" + ServiceUnit.fileName }
    }

    /// The decision, from file contents only (nil: no such file), so it is testable without a
    /// system. `systemUnits` are (path, contents) of those that exist, in preference order.
    static func choose(binDirectory: String, systemUnits: [(path: String, contents: String)], ownUnit: String?) -> UnitSource {
        let ours = "ExecStart=" + binDirectory + "/kindlingd"
        // systemd loads the first one it finds. One for another installation (say the package,
        // while these binaries came from `make install` into ~/.local) would start other
        // binaries: write our own copy, which takes precedence over it.
        guard let system = systemUnits.first, system.contents.split(separator: "\n").contains(where: { $0 == ours })
        else { return .ownCopy }
        guard let ownUnit else { return .system(path: system.path, earlierCopy: .none) }
        let firstLine = ServiceUnit.template.prefix { $0 != "\n" }
        return .system(path: system.path, earlierCopy: ownUnit.hasPrefix(firstLine + "\n") ? .writtenByKindling : .theirOwn)
    }
}
