import Foundation

/// The protocol's timestamp form: ISO 8601 with milliseconds and the UTC offset of a
/// given zone, e.g. `2026-11-21T21:00:00.000+01:00`.
public enum Timestamp {
    /// Formats `date` in `zone`. Pure arithmetic on the zone's offset at that instant: no
    /// calendar is built (this runs for every event, status and exported entry).
    public static func string(_ date: Date, in zone: TimeZone) -> String {
        // Whole milliseconds first: a Date's binary fraction (.678 is 0.67799...) must not
        // print as one millisecond early.
        // Total for every Date: NaN and instants beyond ±30,000 years (which no journal may hold,
        // but a damaged one could) are clamped before the conversion that would trap on them.
        let raw = (date.timeIntervalSince1970 * 1000).rounded()
        let totalMillis = raw.isNaN ? 0 : Int64(min(max(raw, -Self.millisecondLimit), Self.millisecondLimit))
        let seconds = totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000
        let millis = Int(totalMillis - seconds * 1000)
        let (days, secondOfDay, offset) = wallClock(atSecond: Int(seconds), in: zone)
        let day = Schedule.date(fromDaysSinceEpoch: days)
        let magnitude = abs(offset)
        // Digits by hand: String(format:) cost more than everything else here together.
        var out: [UInt8] = []
        out.reserveCapacity(29)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        // ISO 8601's expanded form outside 0000...9999, rather than four wrong digits.
        if day.year < 0 {
            out.append(UInt8(ascii: "-"))
        } else if day.year > 9999 {
            out.append(UInt8(ascii: "+"))
        }
        digits(abs(day.year), abs(day.year) > 9999 ? 5 : 4)
        out.append(UInt8(ascii: "-"))
        digits(day.month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day.day, 2)
        out.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(millis, 3)
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        digits(magnitude / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(magnitude % 3600 / 60, 2)
        return String(decoding: out, as: UTF8.self)
    }

    /// The wall clock in `zone` at `seconds` (whole seconds since 1970): the local day (as days
    /// since 1970), the second of that day, and the zone's offset then. Every timestamp and the
    /// status line's clock time are read from it.
    public static func wallClock(atSecond seconds: Int, in zone: TimeZone) -> (
        daysSinceEpoch: Int, secondOfDay: Int, offset: Int
    ) {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let local = seconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (days, local - days * 86_400, offset)
    }

    /// About 30,000 years either side of 1970, in milliseconds: well inside Int64 and the calendar
    /// arithmetic, well outside anything a journal should hold.
    static let millisecondLimit: Double = 946_728_000_000_000

    /// The instants a journal accepts from outside (an import): from 1970 to 9999-12-31 10:00 UTC,
    /// the last instant that is still year 9999 in every zone (+14:00 at most), so that an export
    /// in any zone can be imported again. Anything else is a mistake or an attack.
    public static let journalRange: ClosedRange<Date> =
        Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_250_399.999)

    /// Parses the protocol's form (the fractional part is optional). Returns nil otherwise.
    public static func parse(_ text: String) -> Date? {
        // An import reads one or two times per entry: building two ISO8601DateFormatters each
        // time was most of a large import's cost. The form Kindling itself writes is read by
        // hand; anything else goes to the formatters, as before.
        if let date = parseExact(text) { return date }
        // ICU's parser divides by zero (SIGFPE) on a fraction of some forty digits, found by the
        // import fuzzer: nothing longer than nanoseconds reaches it.
        guard !hasOverlongFraction(text) else { return nil }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }

    /// More than 35 bytes (a nanosecond fraction and an offset), or more than nine digits after
    /// the seconds' point: no ISO 8601 time Kindling could mean.
    static func hasOverlongFraction(_ text: String) -> Bool {
        guard text.utf8.count <= 35 else { return true }
        var digits = 0
        var inFraction = false
        for byte in text.utf8 {
            if inFraction && (48...57).contains(byte) {
                digits += 1
                if digits > 9 { return true }
            } else {
                inFraction = byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")
                digits = 0
            }
        }
        return false
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm` then `Z` or `±HH:MM`, years 1970 to 9999, every field in its
    /// range: a subset of what the formatters accept, read to the same instant (TimestampTests
    /// compares them). Nil for anything else.
    static func parseExact(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 24 || bytes.count == 29 else { return nil }
            func number(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<start + count {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            func byte(_ index: Int, is ascii: Unicode.Scalar) -> Bool { bytes[index] == UInt8(ascii: ascii) }
            guard byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"), byte(13, is: ":"), byte(16, is: ":"),
                byte(19, is: "."),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
                (1970...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60
            else { return nil }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard (1...monthDays[month - 1]).contains(day) else { return nil }
            var offset = 0
            if bytes.count == 24 {
                guard byte(23, is: "Z") else { return nil }
            } else {
                guard byte(23, is: "+") || byte(23, is: "-"), byte(26, is: ":"), let hours = number(24, 2),
                    let minutes = number(27, 2), hours <= 14, minutes < 60
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (byte(23, is: "-") ? -1 : 1)
            }
            let days = Schedule.daysSinceEpoch(LocalDate(year: year, month: month, day: day))
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
            return Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
        }
    }
}
