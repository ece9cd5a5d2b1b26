import Foundation
import FuzzDriver
import KindlingCalendar

/// The rules are CalendarFuzzRules (KindlingCalendar), which
/// Tests/KindlingCalendarTests/CalendarFuzzCorpusTests.swift also replays in `make test`.
@main
enum FuzzCalendar {
    static func main() {
        FuzzDriver.run { bytes in
            if let broken = CalendarFuzzRules.check(bytes) { fatalError(broken) }
        }
    }
}
