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
            JSONText.appendQuoted(value, to: &out)
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
}
