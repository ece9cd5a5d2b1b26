/// A hand-written JSON line for ``ExportEntry``: the export writes one per entry, and
/// JSONEncoder made that the slowest part of exporting a large journal. The bytes are
/// exactly what `ControlProtocol.makeEncoder()` writes (sorted snake_case keys, every key
/// present, slashes unescaped); a test compares the two.
extension ExportEntry {
    public func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + text.utf8.count + (prompt?.utf8.count ?? 0))
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ value: String?) {
            guard let value else { return out.append(contentsOf: Array("null".utf8)) }
            Self.appendQuoted(value, to: &out)
        }
        func number<N: BinaryInteger>(_ value: N?) {
            guard let value else { return out.append(contentsOf: Array("null".utf8)) }
            out.append(contentsOf: Array(String(value).utf8))
        }
        out.append(UInt8(ascii: "{"))
        key("at", first: true)
        string(at)
        key("channel")
        string(channel)
        key("edited_at")
        string(editedAt)
        key("energy")
        number(energy)
        key("id")
        number(id)
        key("kind")
        string(kind)
        key("local_date")
        string(localDate)
        key("mood")
        number(mood)
        key("prompt")
        string(prompt)
        key("slot")
        string(slot)
        key("text")
        string(text)
        key("type")
        string(type)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string literal as JSONEncoder writes it: quotes, backslashes and control
    /// characters escaped, everything else (slashes, non-ASCII) as UTF-8.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
