import Foundation

/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp): runs the fuzzing loop, or replays
/// the files it is given, calling `callback` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// What every fuzz target shares: each target's `main` calls ``run(_:)`` with the rules that
/// must hold for any input, and a broken rule is a crash (`fatalError`), which libFuzzer saves
/// as a reproducer.
public enum FuzzDriver {
    /// The target's rules, set once by ``run(_:)`` before the first input.
    nonisolated(unsafe) static var check: ([UInt8]) -> Void = { _ in }

    /// SwiftPM links every executable with `main` aliased to the module's own entry point, so
    /// libFuzzer's `main` is never used: this hands the command line to libFuzzer's driver.
    public static func run(_ check: @escaping ([UInt8]) -> Void) -> Never {
        Self.check = check
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

/// libFuzzer's entry point: one input, as bytes, to the target's rules.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
