import Foundation
import KindlingCalendar

/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp): runs the fuzzing loop, or replays
/// the files it is given, calling `callback` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// libFuzzer's entry point for the calendar reader: any bytes, as an .ics file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCalendarInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let broken = CalendarFuzzRules.check(bytes) { fatalError(broken) }
    return 0
}

/// The rules are CalendarFuzzRules (KindlingCalendar), which
/// Tests/KindlingCalendarTests/CalendarFuzzCorpusTests.swift also replays in `make test`.
@main
enum FuzzCalendar {
    /// SwiftPM aliases `main` to the module's entry point: hand the command line to libFuzzer.
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzCalendarInput))
    }
}
