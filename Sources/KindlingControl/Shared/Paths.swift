#if canImport(Glibc)
    import Glibc
#endif

/// Where Kindling keeps its files, resolved from the XDG environment as DESIGN.md fixes it.
///
/// Both binaries resolve paths the same way, so `kindling` finds the socket that
/// `kindlingd` bound without being told.
public struct Paths: Sendable, Equatable {
    /// The configuration file (it may not exist: then the built-in defaults apply).
    public var configFile: String
    /// True when the config path came from `--config` or `KINDLING_CONFIG`: then a
    /// missing file is an error instead of meaning "use the defaults".
    public var configIsExplicit: Bool
    /// The directory that holds the journal and its snapshots.
    public var dataDirectory: String
    /// The control socket.
    public var socketFile: String

    /// The journal database inside ``dataDirectory``.
    public var databaseFile: String { dataDirectory + "/journal.sqlite" }

    /// Resolves every path from an environment (normally `ProcessInfo.processInfo.environment`).
    public static func resolve(
        environment: [String: String],
        config: String? = nil,
        socket: String? = nil,
        uid: UInt32 = getuid()
    ) -> Paths {
        resolve(variable: { environment[$0] }, config: config, socket: socket, uid: uid)
    }

    /// ``resolve(environment:config:socket:uid:)`` from the process's own environment, read
    /// variable by variable (the CLI's fast paths skip building the whole dictionary).
    public static func resolveFromProcessEnvironment(config: String? = nil, socket: String? = nil) -> Paths {
        resolve(variable: { getenv($0).map { String(cString: $0) } }, config: config, socket: socket, uid: getuid())
    }

    private static func resolve(variable: (String) -> String?, config: String?, socket: String?, uid: UInt32) -> Paths {
        func nonEmpty(_ key: String) -> String? {
            guard let value = variable(key), !value.isEmpty else { return nil }
            return value
        }
        let home = nonEmpty("HOME") ?? "/"
        let configHome = nonEmpty("XDG_CONFIG_HOME") ?? home + "/.config"
        let dataHome = nonEmpty("XDG_DATA_HOME") ?? home + "/.local/share"

        let explicitConfig = config ?? nonEmpty("KINDLING_CONFIG")
        let configFile = explicitConfig ?? configHome + "/kindling/config.toml"
        let dataDirectory = nonEmpty("KINDLING_DATA_DIR") ?? dataHome + "/kindling"
        let socketFile =
            socket ?? nonEmpty("KINDLING_SOCKET") ?? nonEmpty("XDG_RUNTIME_DIR").map { $0 + "/kindling/control.sock" }
            ?? "/tmp/kindling-\(uid)/control.sock"
        return Paths(
            configFile: configFile,
            configIsExplicit: explicitConfig != nil,
            dataDirectory: dataDirectory,
            socketFile: socketFile
        )
    }

    /// ``defaultSocket(environment:uid:)`` from the process's own environment.
    public static func defaultSocketFromProcessEnvironment() -> String {
        resolve(
            variable: { $0 == "XDG_RUNTIME_DIR" ? getenv($0).map { String(cString: $0) } : nil }, config: nil, socket: nil,
            uid: getuid()
        ).socketFile
    }

    /// `$XDG_RUNTIME_DIR/kindling/control.sock`, or `/tmp/kindling-$UID/control.sock` without one.
    public static func defaultSocket(environment: [String: String], uid: UInt32 = getuid()) -> String {
        resolve(variable: { $0 == "XDG_RUNTIME_DIR" ? environment[$0] : nil }, config: nil, socket: nil, uid: uid).socketFile
    }
}
