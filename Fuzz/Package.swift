// swift-tools-version:6.0
// libFuzzer targets for what reaches Kindling from outside: the control protocol
// (LineFramer + RequestEnvelope.decode), the TOML reader and the configuration loader, the lines of an
// export file given to `import`, journal files given to `restore`, and calendar files.
//
// A package of its own, because every target here is built with
// `-sanitize=fuzzer,address -parse-as-library` (libFuzzer supplies `main`), which the
// daemon and the CLI must never be. `make fuzz-build` builds it into .build-fuzz.
import PackageDescription

let package = Package(
    name: "KindlingFuzz",
    dependencies: [
        .package(name: "Kindling", path: "..")
    ],
    targets: [
        // libFuzzer's driver and entry point, shared by every target below.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzControl",
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzTOML",
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzImport",
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzCalendar",
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzRestore",
            // GRDB comes with KindlingStore: the target mutates journal files through it.
            dependencies: ["FuzzDriver", .product(name: "KindlingFuzzable", package: "Kindling")]
        ),
    ]
)
