// swift-tools-version:6.0
// Kindling: a kindness-practice companion for Linux (kindlingd + kindling).
// Import directions follow DESIGN.md: nothing imports upward, and the CLI links
// neither SQLite nor libsystemd nor libical nor libargon2.
import PackageDescription

let package = Package(
    name: "Kindling",
    products: [
        .executable(name: "kindlingd", targets: ["kindlingd"]),
        .executable(name: "kindling", targets: ["kindling"]),
        // For the fuzz package in Fuzz/, which builds these with libFuzzer instrumentation.
        .library(
            name: "KindlingFuzzable",
            targets: ["KindlingCore", "KindlingControl", "KindlingStore", "KindlingDaemon", "KindlingCalendar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - The C boundary
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // libical, for the person's calendar: the daemon links it, the CLI never does.
        .systemLibrary(
            name: "CICal",
            pkgConfig: "libical",
            providers: [.apt(["libical-dev"])]
        ),

        // libargon2, to turn a passphrase into the journal's key where no Secret Service holds
        // one: the daemon links it, the CLI never does.
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),

        // libpipewire, to know when a call is on (microphone, camera, screen sharing): the
        // daemon links it, the CLI never does. A C target rather than a system library, so
        // that Swift sees only its small header: PipeWire's own headers need include paths
        // (Debian's, as `pkg-config --cflags libpipewire-0.3` gives them) and -D_REENTRANT,
        // which SwiftPM would refuse from pkg-config with a warning on every build.
        .target(
            name: "CPipeWire",
            cSettings: [.unsafeFlags(["-I/usr/include/pipewire-0.3", "-I/usr/include/spa-0.2", "-D_REENTRANT"])],
            linkerSettings: [.linkedLibrary("pipewire-0.3")]
        ),

        // SQLCipher, so that the journal is encrypted at rest: the one key call SQLite's header lacks.
        // Its static library goes into every program that opens the journal, whole, so that every
        // sqlite3_* symbol there is SQLCipher's own even though GRDB also asks for the system
        // SQLite (a definition in the program wins over a shared library's). The daemon refuses to
        // start when `PRAGMA cipher_version` does not answer, in case it ever comes out otherwise.
        .target(name: "CSQLCipher", linkerSettings: [.unsafeFlags(sqlcipherLink)]),

        // MARK: - Libraries
        // The pure model, with its own TOML reader (Sources/KindlingCore/TOML): no dependencies.
        .target(name: "KindlingCore"),
        // The control protocol, shared by the CLI and the daemon, with the few things both
        // programs share (Shared/: the paths, the version, the crisis note, the grounding words,
        // the dialog programs): nothing of ours, and FoundationEssentials only (no ICU), so that
        // the thin CLI above it stays small.
        .target(
            name: "KindlingControl",
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "KindlingStore",
            dependencies: ["KindlingCore", "CSQLCipher", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "KindlingSystemd",
            dependencies: ["CSystemd", "CPipeWire", "CArgon2", .product(name: "Logging", package: "swift-log")]
        ),
        // The calendar reader: libical's expansion in, KindlingCore's busy periods out.
        .target(name: "KindlingCalendar", dependencies: ["CICal", "KindlingCore"]),
        .target(
            name: "KindlingDaemon",
            dependencies: [
                "KindlingCore", "KindlingControl", "KindlingStore", "KindlingSystemd", "KindlingCalendar",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KindlingCLI",
            dependencies: [
                "KindlingControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),

        // MARK: - Executables (a few lines each)
        .executableTarget(
            name: "kindlingd",
            dependencies: [
                "KindlingDaemon", "KindlingControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "kindling", dependencies: ["KindlingCLI"], linkerSettings: staticCLI),

        // MARK: - Tests
        .testTarget(
            name: "KindlingCoreTests",
            dependencies: ["KindlingCore", .product(name: "PropertyBased", package: "swift-property-based")],
            // The toml-test cases are read from the source tree, as data.
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "KindlingControlTests", dependencies: ["KindlingControl"]),
        .testTarget(name: "KindlingStoreTests", dependencies: ["KindlingStore", "CSQLCipher"]),
        .testTarget(
            name: "KindlingSystemdTests",
            dependencies: [
                "KindlingSystemd", "PipeWireFixture", "SeccompFixture", "KeyringFixture",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A real PipeWire (pipewire, wireplumber, pipewire-pulse) in a runtime directory of its
        // own, for the tests that need one.
        .target(name: "PipeWireFixture", dependencies: ["ProcessFixture"], path: "Tests/PipeWireFixture"),
        // A real gnome-keyring (its Secret Service) on a private session bus of its own, for the
        // keyring tests and the daemon's encryption end to end.
        .target(name: "KeyringFixture", dependencies: ["ProcessFixture"], path: "Tests/KeyringFixture"),
        // Children of the tests started with posix_spawn: Foundation's Process.run() in Swift 6.3.1
        // can crash the test process (swift-corelibs-foundation#5472).
        .target(name: "CProcessFixture", path: "Tests/CProcessFixture"),
        .target(name: "ProcessFixture", dependencies: ["CProcessFixture"], path: "Tests/ProcessFixture"),
        // A seccomp filter on one thread, so that a test meets the kernel keyring refused as a
        // container would refuse it.
        .target(name: "SeccompFixture", path: "Tests/SeccompFixture"),
        .testTarget(name: "KindlingCalendarTests", dependencies: ["KindlingCalendar", "KindlingCore"]),
        .testTarget(
            name: "KindlingDaemonTests",
            dependencies: ["KindlingDaemon", "KindlingControl", "KindlingCore", "PipeWireFixture"]
        ),
        // KindlingCore only to hold the CLI's own dates and slot names to the model's.
        .testTarget(name: "KindlingCLITests", dependencies: ["KindlingCLI", "KindlingCore", "ProcessFixture"]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["KindlingControl", "PipeWireFixture", "KeyringFixture", "ProcessFixture"]),
        // The long attacks (`make torture`); `make test` skips them.
        .testTarget(
            name: "TortureTests",
            dependencies: ["KindlingControl", "ProcessFixture", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)

/// The CLI runs on every shell prompt that shows `pending --short`, and most of its start-up
/// was the dynamic loader: `make release` links it statically, as a static PIE (lld) so that it
/// keeps address-space randomisation. A static PIE must carry no run path, so this is asked for
/// by `KINDLING_STATIC_CLI=1` together with `--disable-local-rpath` (see the Makefile), never by
/// a plain `swift build`. Its 84,000 relative relocations are packed (`-z pack-relative-relocs`,
/// DT_RELR, which the static glibc 2.36 applies): a 16 KB table to read at start instead of
/// 2 MB. kindlingd stays dynamic: Debian ships libsystemd and libical as shared libraries only.
var staticCLI: [LinkerSetting] {
    guard Context.environment["KINDLING_STATIC_CLI"] == "1" else { return [] }
    return [
        .unsafeFlags(
            [
                "-static-executable", "-use-ld=lld", "-Xclang-linker", "-static-pie", "-Xlinker", "-z", "-Xlinker",
                "pack-relative-relocs",
            ], .when(configuration: .release))
    ]
}

/// SQLCipher's static library (Debian's libsqlcipher-dev 4.6 from bookworm-backports;
/// `scripts/ensure-sqlcipher` installs it), linked whole, with what it needs (OpenSSL's libcrypto;
/// Debian builds it without zlib, whatever its pkg-config file says).
var sqlcipherLink: [String] {
    #if arch(arm64)
        let archive = "/usr/lib/aarch64-linux-gnu/libsqlcipher.a"
    #else
        let archive = "/usr/lib/x86_64-linux-gnu/libsqlcipher.a"
    #endif
    return [
        "-Xlinker", "--whole-archive", "-Xlinker", archive, "-Xlinker", "--no-whole-archive",
        "-lcrypto", "-lm",
    ]
}
