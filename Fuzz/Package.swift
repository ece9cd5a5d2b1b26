// swift-tools-version:6.0
// libFuzzer targets for Kindling's two parsers of untrusted text: the control protocol
// (LineFramer + RequestEnvelope.decode) and the TOML configuration loader.
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
        .executableTarget(
            name: "FuzzControl",
            dependencies: [.product(name: "KindlingFuzzable", package: "Kindling")]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: [.product(name: "KindlingFuzzable", package: "Kindling")]
        ),
    ]
)
