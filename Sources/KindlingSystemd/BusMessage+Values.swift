import CSystemd

// The argument types beyond strings, integers and booleans: object paths, byte arrays,
// string dictionaries and structs, as the Secret Service API uses them.

extension BusMessageReader {
    /// The next argument as a list of object paths (`ao`).
    public func objectPaths() -> [String]? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "a")), "o") > 0 else { return nil }
        var result: [String] = []
        while let next = string("o") { result.append(next) }
        _ = sd_bus_message_exit_container(message)
        return result
    }

    /// The next argument as bytes (`ay`), copied out of the message.
    public func bytes() -> [UInt8]? {
        var pointer: UnsafeRawPointer?
        var size = 0
        guard sd_bus_message_read_array(message, CChar(UInt8(ascii: "y")), &pointer, &size) > 0 else { return nil }
        guard size > 0, let pointer else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: size))
    }

    /// The next argument as a dictionary of strings (`a{ss}`).
    public func stringDictionary() -> [String: String]? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "a")), "{ss}") > 0 else { return nil }
        var result: [String: String] = [:]
        while sd_bus_message_enter_container(message, CChar(UInt8(ascii: "e")), "ss") > 0 {
            if let key = string(), let value = string() { result[key] = value }
            _ = sd_bus_message_exit_container(message)
        }
        _ = sd_bus_message_exit_container(message)
        return result
    }

    /// Skips the next arguments, whose types are given as a signature (e.g. `"v"`).
    @discardableResult
    public func skip(_ signature: String) -> Bool {
        sd_bus_message_skip(message, signature) >= 0
    }

    /// Enters the next argument, a container of `type` (`a`, `r` for a struct, `e` for a dictionary
    /// entry, `v`) holding `contents`, runs `body` inside it and leaves it. Nil when the next
    /// argument is no such container (or the array has no more entries).
    public func inContainer<T>(_ type: Character, _ contents: String, _ body: () -> T?) -> T? {
        guard sd_bus_message_enter_container(message, CChar(type.asciiValue!), contents) > 0 else { return nil }
        defer { _ = sd_bus_message_exit_container(message) }
        return body()
    }

    /// Has sd-bus erase this message's memory when it frees it: for a reply that carries a secret.
    public func markSensitive() {
        _ = sd_bus_message_sensitive(message)
    }
}

extension BusMessageWriter {
    /// Appends a boolean (`b`).
    public func append(_ value: Bool) {
        var value: Int32 = value ? 1 : 0
        check(sd_bus_message_append_basic(message, Self.code("b"), &value))
    }

    /// Appends an object path (`o`).
    public func append(objectPath: String) {
        check(objectPath.withCString { sd_bus_message_append_basic(message, Self.code("o"), $0) })
    }

    /// Appends a list of object paths (`ao`).
    public func append(objectPaths: [String]) {
        check(sd_bus_message_open_container(message, Self.code("a"), "o"))
        for path in objectPaths { append(objectPath: path) }
        check(sd_bus_message_close_container(message))
    }

    /// Appends bytes (`ay`).
    public func append(bytes: [UInt8]) {
        check(bytes.withUnsafeBytes { sd_bus_message_append_array(message, Self.code("y"), $0.baseAddress, $0.count) })
    }

    /// Appends a dictionary of strings (`a{ss}`), in key order so a message is the same each time.
    public func append(_ dictionary: [String: String]) {
        check(sd_bus_message_open_container(message, Self.code("a"), "{ss}"))
        for key in dictionary.keys.sorted() {
            check(sd_bus_message_open_container(message, Self.code("e"), "ss"))
            append(key)
            append(dictionary[key] ?? "")
            check(sd_bus_message_close_container(message))
        }
        check(sd_bus_message_close_container(message))
    }

    /// Appends a struct (`(...)`) whose fields, of the types in `contents`, `body` appends.
    public func appendStruct(_ contents: String, _ body: () -> Void) {
        check(sd_bus_message_open_container(message, Self.code("r"), contents))
        body()
        check(sd_bus_message_close_container(message))
    }
}
