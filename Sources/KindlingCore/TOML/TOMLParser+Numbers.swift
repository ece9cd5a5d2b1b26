// Integers, floats and the four date-time forms.
extension TOMLParser {
    /// A number or date-time, told apart by their first characters: `dddd-` starts a date and
    /// `dd:` a time; anything else is a number.
    mutating func parseNumberOrDate() throws(TOMLError) -> TOMLNodeValue {
        let position = scanner.position
        if (0..<4).allSatisfy({ ASCII.isDigit(scanner.peek($0)) }), scanner.peek(4) == ASCII.minus {
            return try parseDateTime(at: position)
        }
        if ASCII.isDigit(scanner.peek(0)), ASCII.isDigit(scanner.peek(1)), scanner.peek(2) == ASCII.colon {
            guard let time = parseTime() else { throw invalidDateTime(at: position) }
            return .localTime(time)
        }
        let start = scanner.index
        while let byte = scanner.peek,
            ASCII.isBareKey(byte) || byte == ASCII.plus || byte == ASCII.dot
        {
            scanner.advance()
        }
        let token = Array(scanner.bytes[start..<scanner.index])
        guard let value = TOMLParser.number(token) else {
            throw TOMLError(
                "'\(String(decoding: token, as: UTF8.self))' is not a number TOML reads (write 42, -1.5, 1e6, 0x2A, inf or nan; '_' only between digits)",
                at: position)
        }
        return value
    }

    /// A whole token as an integer or float, or nil if TOML does not read it as either.
    static func number(_ token: [UInt8]) -> TOMLNodeValue? {
        var rest = token[...]
        let sign = rest.first == ASCII.plus || rest.first == ASCII.minus ? rest.removeFirst() : nil
        if rest.elementsEqual("inf".utf8) { return .float(sign == ASCII.minus ? -.infinity : .infinity) }
        if rest.elementsEqual("nan".utf8) { return .float(.nan) }
        if rest.count > 2, rest.first == UInt8(ascii: "0") {
            let radix: Int64? =
                switch rest[rest.startIndex + 1] {
                case UInt8(ascii: "x"): 16
                case UInt8(ascii: "o"): 8
                case UInt8(ascii: "b"): 2
                default: nil
                }
            if let radix {
                guard sign == nil else { return nil }
                rest.removeFirst(2)
                return radixInteger(rest, radix: radix).map(TOMLNodeValue.integer)
            }
        }
        guard let whole = digits(&rest), whole.count == 1 || whole.first != UInt8(ascii: "0") else { return nil }
        var fraction: [UInt8]?
        var exponent: [UInt8]?
        if rest.first == ASCII.dot {
            rest.removeFirst()
            guard let digits = digits(&rest) else { return nil }
            fraction = digits
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest.removeFirst()
            let exponentSign = rest.first == ASCII.plus || rest.first == ASCII.minus ? rest.removeFirst() : nil
            guard let digits = digits(&rest) else { return nil }
            exponent = (exponentSign.map { [$0] } ?? []) + digits
        }
        guard rest.isEmpty else { return nil }
        guard fraction != nil || exponent != nil else {
            return decimalInteger(whole, negative: sign == ASCII.minus).map(TOMLNodeValue.integer)
        }
        var text = (sign.map { [$0] } ?? []) + whole
        if let fraction { text += [ASCII.dot] + fraction }
        if let exponent { text += [UInt8(ascii: "e")] + exponent }
        return Double(String(decoding: text, as: UTF8.self)).map(TOMLNodeValue.float)
    }

    /// Decimal digits from the front of `rest`, with single underscores between digits only;
    /// nil if none start it or an underscore is misplaced.
    private static func digits(_ rest: inout ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        while let byte = rest.first {
            if ASCII.isDigit(byte) {
                result.append(byte)
            } else if byte == ASCII.underscore {
                guard !result.isEmpty, ASCII.isDigit(rest.dropFirst().first) else { return nil }
            } else {
                break
            }
            rest.removeFirst()
        }
        return result.isEmpty ? nil : result
    }

    private static func decimalInteger(_ digits: [UInt8], negative: Bool) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            // Accumulate towards the sign, so that Int64.min fits.
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit - 0x30))
                : shifted.addingReportingOverflow(Int64(digit - 0x30))
            guard !overflow, !overflow2 else { return nil }
            value = next
        }
        return value
    }

    private static func radixInteger(_ token: ArraySlice<UInt8>, radix: Int64) -> Int64? {
        var value: Int64 = 0
        var previous: UInt8?
        for byte in token {
            if byte == ASCII.underscore {
                guard previous != nil, previous != ASCII.underscore else { return nil }
            } else {
                guard let digit = hexDigit(byte), Int64(digit) < radix else { return nil }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
                guard !overflow else { return nil }
                value = shifted + Int64(digit)
            }
            previous = byte
        }
        return previous == nil || previous == ASCII.underscore ? nil : value
    }

    /// `YYYY-MM-DD`, then optionally a time (after `T`, `t` or one space), then optionally an
    /// offset (`Z`, `z`, `+HH:MM`, `-HH:MM`).
    private mutating func parseDateTime(at position: TOMLPosition) throws(TOMLError) -> TOMLNodeValue {
        guard let year = fixedDigits(4), scanner.take(ASCII.minus), let month = fixedDigits(2),
            scanner.take(ASCII.minus), let day = fixedDigits(2)
        else { throw invalidDateTime(at: position) }
        guard let date = TOMLLocalDate(year: year, month: month, day: day) else {
            throw TOMLError("\(year)-\(month)-\(day) is not a date in the calendar", at: position)
        }
        switch scanner.peek {
        case UInt8(ascii: "T")?, UInt8(ascii: "t")?: break
        case ASCII.space? where ASCII.isDigit(scanner.peek(1)): break
        default: return .localDate(date)
        }
        scanner.advance()
        guard let time = parseTime() else { throw invalidDateTime(at: position) }
        let offset: Int
        switch scanner.peek {
        case UInt8(ascii: "Z")?, UInt8(ascii: "z")?:
            scanner.advance()
            offset = 0
        case let sign? where sign == ASCII.plus || sign == ASCII.minus:
            scanner.advance()
            guard let hours = fixedDigits(2), hours < 24, scanner.take(ASCII.colon), let minutes = fixedDigits(2),
                minutes < 60
            else { throw invalidDateTime(at: position) }
            offset = (hours * 60 + minutes) * (sign == ASCII.minus ? -1 : 1)
        default:
            return .localDateTime(TOMLLocalDateTime(date: date, time: time))
        }
        guard let dateTime = TOMLOffsetDateTime(date: date, time: time, offsetMinutes: offset) else {
            throw invalidDateTime(at: position)
        }
        return .offsetDateTime(dateTime)
    }

    /// `HH:MM:SS` with an optional fraction; nil if malformed or out of range.
    private mutating func parseTime() -> TOMLLocalTime? {
        guard let hour = fixedDigits(2), scanner.take(ASCII.colon), let minute = fixedDigits(2),
            scanner.take(ASCII.colon), let second = fixedDigits(2)
        else { return nil }
        var nanosecond = 0
        if scanner.take(ASCII.dot) {
            guard ASCII.isDigit(scanner.peek) else { return nil }
            var scale = 100_000_000
            while let byte = scanner.peek, ASCII.isDigit(byte) {
                nanosecond += Int(byte - 0x30) * scale
                scale /= 10
                scanner.advance()
            }
        }
        return TOMLLocalTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    private mutating func fixedDigits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = scanner.peek, ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
            scanner.advance()
        }
        return value
    }

    private func invalidDateTime(at position: TOMLPosition) -> TOMLError {
        TOMLError(
            "this is not a date-time TOML reads (write 1979-05-27, 07:32:00, 1979-05-27T07:32:00 or 1979-05-27T07:32:00-07:00)",
            at: position)
    }
}
