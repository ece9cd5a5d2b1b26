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

    /// Reads an entry as the synthesized `Decodable` (snake_case keys) reads it, without
    /// JSONDecoder: an import reads every line of the file once in the CLI and once in the
    /// daemon. Nil when a required key is missing or any key holds the wrong type; `null`
    /// and a missing key both mean nil for the optional ones.
    public init?(json: JSONValue) {
        guard case .object(let o) = json else { return nil }
        self.init(fields: Fields(o))
    }

    /// An entry from its members as read (``init(json:)``, ``parse(line:)``).
    init?(fields f: Fields) {
        func string(_ value: JSONValue?) -> String?? {
            switch value {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }
        func integer(_ value: JSONValue?) -> Int64?? {
            switch value {
            case nil, .null?: return .some(nil)
            case .number(let text)?:
                guard let integer = Int64(text) ?? value?.integer else { return nil }
                return .some(integer)
            default: return nil
            }
        }
        guard let type = f.type?.string, let at = f.at?.string, let localDate = f.localDate?.string,
            let text = f.text?.string, let id = integer(f.id), let slot = string(f.slot), let prompt = string(f.prompt),
            let kind = string(f.kind), let mood = integer(f.mood), let energy = integer(f.energy),
            let channel = string(f.channel), let editedAt = string(f.editedAt)
        else { return nil }
        guard let moodValue = Self.int(mood), let energyValue = Self.int(energy) else { return nil }
        self.init(
            type: type, id: id, at: at, localDate: localDate, text: text, slot: slot, prompt: prompt, kind: kind,
            mood: moodValue, energy: energyValue, channel: channel, editedAt: editedAt)
    }

    /// nil stays nil (`.some(nil)`); a value outside Int fails (nil).
    private static func int(_ value: Int64?) -> Int?? {
        guard let value else { return .some(nil) }
        return Int(exactly: value).map { .some($0) }
    }
}
