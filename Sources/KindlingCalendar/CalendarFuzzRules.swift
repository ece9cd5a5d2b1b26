import Foundation
import KindlingCore

/// What must hold for any bytes given as a calendar file: the rules the libFuzzer target
/// (Fuzz/Sources/FuzzCalendar) checks, and the corpus replay in `make test` with it.
public enum CalendarFuzzRules {
    /// The horizon every input is read over.
    public static let from = Date(timeIntervalSince1970: 1_772_323_200)  // 2026-03-01T00:00Z
    public static let to = from.addingTimeInterval(CalendarReader.horizonAhead)

    /// Nil when the rules hold, else what broke.
    public static func check(_ bytes: [UInt8]) -> String? {
        for zone in ["UTC", "America/New_York"] {
            do {
                let found = try CalendarReader.read(
                    Data(bytes), from: from, to: to, floatingZone: TimeZone(identifier: zone)!)
                for period in found.busy where !(period.end > period.start && period.end > from && period.start < to) {
                    return "a busy period outside the horizon or empty: \(period)"
                }
                guard found.events >= 0 else { return "a negative event count" }
            } catch {
                let line = error.description
                if line.isEmpty { return "an empty problem" }
                if line.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                    return "a problem that is not one plain line: \(line.debugDescription)"
                }
            }
        }
        return nil
    }
}
