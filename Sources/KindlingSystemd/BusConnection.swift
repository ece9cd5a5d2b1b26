import CSystemd
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A D-Bus connection (libsystemd's sd-bus) driven from a serial Dispatch queue.
///
/// sd-bus never blocks here: a read source on the bus fd, a write source while sd-bus has
/// output queued (`sd_bus_get_events`), and a timer for its next timeout
/// (`sd_bus_get_timeout`) call `sd_bus_process` on the owner's queue. Every method call is
/// asynchronous (`sd_bus_call_async`), so a frozen peer can delay only its own reply.
/// All methods must be called on `queue`; replies and signals arrive on it.
public final class BusConnection: @unchecked Sendable {
    /// A failure to connect, with sd-bus's reason.
    public struct ConnectError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Called once when the connection is lost (the bus went away, or a fatal error).
    public var onDisconnect: (() -> Void)?

    private var bus: OpaquePointer?
    /// The queue every call must be made on, and where replies and signals arrive.
    let queue: DispatchQueue
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var writeSourceActive = false
    private var timeoutTimer: DispatchSourceTimer?
    /// Calls awaiting a reply and installed matches, each holding its sd-bus slot.
    private var calls: [ObjectIdentifier: BusCallback] = [:]
    private var matches: [ObjectIdentifier: BusCallback] = [:]
    private var processScheduled = false

    /// Connects to the bus at `address` (a D-Bus address, e.g. `unix:path=/run/user/1000/bus`)
    /// as a client, and starts processing on `queue`. Authentication and `Hello` complete
    /// in the background; calls made before that are queued by sd-bus.
    public init(address: String, description: String = "kindlingd", queue: DispatchQueue) throws(ConnectError) {
        self.queue = queue
        var bus: OpaquePointer?
        var r = sd_bus_new(&bus)
        guard r >= 0, let bus else { throw ConnectError(description: "sd_bus_new: \(Self.errorText(r))") }
        self.bus = bus
        _ = sd_bus_set_description(bus, description)
        r = sd_bus_set_address(bus, address)
        if r >= 0 { r = sd_bus_set_bus_client(bus, 1) }
        if r >= 0 { r = sd_bus_start(bus) }
        guard r >= 0 else {
            self.bus = nil
            sd_bus_unref(bus)
            throw ConnectError(description: "\(address): \(Self.errorText(r))")
        }
        // Each source watches a duplicate of the bus fd, closed only once the source is
        // cancelled: libdispatch needs its fd open until then, and sd_bus_close closes the
        // original at once. (A reconnect would otherwise get the same fd number while the
        // old registration lingers, and the new sources would never fire.)
        let fd = sd_bus_get_fd(bus)
        let readFD = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let writeFD = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let read = DispatchSource.makeReadSource(fileDescriptor: readFD, queue: queue)
        read.setEventHandler { [weak self] in self?.process() }
        read.setCancelHandler { Glibc.close(readFD) }
        let write = DispatchSource.makeWriteSource(fileDescriptor: writeFD, queue: queue)
        write.setEventHandler { [weak self] in self?.process() }
        write.setCancelHandler { Glibc.close(writeFD) }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.process() }
        readSource = read
        writeSource = write
        timeoutTimer = timer
        read.resume()
        timer.resume()
        queue.async { [weak self] in self?.process() }
    }

    deinit {
        close()
    }

    /// Whether the connection is still usable.
    public var isOpen: Bool { bus.map { sd_bus_is_open($0) > 0 } ?? false }

    /// Closes the connection. Pending replies are dropped without being called.
    public func close() {
        guard let bus else { return }
        readSource?.cancel()
        if let writeSource {
            // A suspended source must be resumed before it can be released.
            if !writeSourceActive { writeSource.resume() }
            writeSource.cancel()
        }
        timeoutTimer?.cancel()
        readSource = nil
        writeSource = nil
        timeoutTimer = nil
        sd_bus_close(bus)
        // The slots hold references to the bus: release them before the bus itself.
        calls.removeAll()
        matches.removeAll()
        sd_bus_unref(bus)
        self.bus = nil
    }

    // MARK: - Calls and signals

    /// Sends a method call and runs `reply` on the queue with its reply or error (an error
    /// reply, a timeout after `timeout` seconds, or the connection closing). With `autoStart`
    /// false, a name nobody owns answers with an error instead of the bus starting its service.
    /// A `sensitive` call (one carrying a secret) has sd-bus erase the message's memory when it
    /// frees it, so the secret does not linger in freed heap.
    public func call(
        destination: String, path: String, interface: String, member: String, timeout: Double = 25,
        autoStart: Bool = true, sensitive: Bool = false, arguments: (BusMessageWriter) -> Void = { _ in },
        reply: @escaping (BusReply) -> Void
    ) {
        guard let bus else {
            reply(.failure(BusError(name: "org.freedesktop.DBus.Error.Disconnected", message: "not connected")))
            return
        }
        var message: OpaquePointer?
        var r = sd_bus_message_new_method_call(bus, &message, destination, path, interface, member)
        guard r >= 0, let message else {
            reply(.failure(BusError(name: "org.freedesktop.DBus.Error.Failed", message: Self.errorText(r))))
            return
        }
        defer { sd_bus_message_unref(message) }
        if !autoStart { _ = sd_bus_message_set_auto_start(message, 0) }
        if sensitive { _ = sd_bus_message_sensitive(message) }
        let writer = BusMessageWriter(message)
        arguments(writer)
        if let failure = writer.failure {
            reply(.failure(BusError(name: "org.freedesktop.DBus.Error.InvalidArgs", message: Self.errorText(failure))))
            return
        }
        let callback = BusCallback { message in reply(BusReply(message)) }
        let userdata = Unmanaged.passUnretained(callback).toOpaque()
        var slot: OpaquePointer?
        r = sd_bus_call_async(
            bus, &slot, message, BusConnection.dispatchReply, userdata, UInt64(max(timeout, 0.001) * 1_000_000))
        guard r >= 0, let slot else {
            reply(.failure(BusError(name: "org.freedesktop.DBus.Error.Failed", message: Self.errorText(r))))
            return
        }
        callback.slot = slot
        callback.owner = self
        calls[ObjectIdentifier(callback)] = callback
        updateInterest()
    }

    /// Installs a match rule (asynchronously) and runs `handler` for every message it matches.
    public func addMatch(_ rule: String, handler: @escaping (BusMessageReader) -> Void) {
        guard let bus else { return }
        let callback = BusCallback { message in handler(BusMessageReader(message)) }
        let userdata = Unmanaged.passUnretained(callback).toOpaque()
        var slot: OpaquePointer?
        let r = sd_bus_add_match_async(bus, &slot, rule, BusConnection.dispatchSignal, nil, userdata)
        guard r >= 0, let slot else { return }
        callback.slot = slot
        matches[ObjectIdentifier(callback)] = callback
        updateInterest()
    }

    // MARK: - The C side

    /// sd-bus's reply callback: runs the call's handler, then forgets the call.
    private static let dispatchReply: sd_bus_message_handler_t = { message, userdata, _ in
        guard let message, let userdata else { return 0 }
        let callback = Unmanaged<BusCallback>.fromOpaque(userdata).takeUnretainedValue()
        callback.handler(message)
        // The slot is released after sd_bus_process has returned, never inside its callback.
        if let owner = callback.owner {
            let key = ObjectIdentifier(callback)
            owner.queue.async { owner.calls[key] = nil }
        }
        return 1
    }

    /// sd-bus's match callback.
    private static let dispatchSignal: sd_bus_message_handler_t = { message, userdata, _ in
        guard let message, let userdata else { return 0 }
        Unmanaged<BusCallback>.fromOpaque(userdata).takeUnretainedValue().handler(message)
        return 0
    }

    // MARK: - Processing

    private func process() {
        dispatchPrecondition(condition: .onQueue(queue))
        processScheduled = false
        guard let bus else { return }
        while true {
            let r = sd_bus_process(bus, nil)
            // A handler may have closed this connection: `bus` is then gone.
            guard self.bus != nil else { return }
            // While the connection closes, sd_bus_process still hands every pending call
            // its error reply, then the Disconnected signal; after that it fails.
            if r < 0 || (r == 0 && sd_bus_is_open(bus) <= 0) {
                disconnected()
                return
            }
            if r == 0 { break }
        }
        updateInterest()
    }

    /// Watches for output space only while sd-bus has output queued, and arms the timer
    /// for sd-bus's next deadline (a reply timeout, say).
    private func updateInterest() {
        guard let bus else { return }
        let events = sd_bus_get_events(bus)
        let wantsWrite = events > 0 && (Int16(events) & Int16(POLLOUT)) != 0
        if wantsWrite != writeSourceActive, let writeSource {
            if wantsWrite { writeSource.resume() } else { writeSource.suspend() }
            writeSourceActive = wantsWrite
        }
        var deadline: UInt64 = 0
        guard sd_bus_get_timeout(bus, &deadline) >= 0 else { return }
        if deadline == UInt64.max {
            timeoutTimer?.schedule(deadline: .distantFuture)
        } else if deadline == 0 {
            // Work is waiting already (queued messages): once more, soon, on this queue.
            if !processScheduled {
                processScheduled = true
                queue.async { [weak self] in self?.process() }
            }
        } else {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nowMicroseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
            let delay = deadline > nowMicroseconds ? deadline - nowMicroseconds : 0
            timeoutTimer?.schedule(deadline: .now() + .microseconds(Int(clamping: delay)))
        }
    }

    private func disconnected() {
        close()
        // Later, not from inside this source's handler: the owner may reconnect at once.
        queue.async {
            let handler = self.onDisconnect
            self.onDisconnect = nil
            handler?()
        }
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code < 0 ? -code : code))
    }
}

// MARK: - Messages

/// A D-Bus error reply (or a local failure standing in for one).
public struct BusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error's name, e.g. `org.freedesktop.DBus.Error.ServiceUnknown`.
    public let name: String
    public let message: String

    public var description: String { "\(name): \(message)" }
}

/// A method reply: its arguments to read, or the error it carried.
public typealias BusReply = Result<BusMessageReader, BusError>

extension Result where Success == BusMessageReader, Failure == BusError {
    init(_ message: OpaquePointer) {
        if sd_bus_message_is_method_error(message, nil) > 0, let error = sd_bus_message_get_error(message) {
            let name = error.pointee.name.map { String(cString: $0) } ?? "org.freedesktop.DBus.Error.Failed"
            let text = error.pointee.message.map { String(cString: $0) } ?? ""
            self = .failure(BusError(name: name, message: text))
        } else {
            self = .success(BusMessageReader(message))
        }
    }
}

/// Holds a handler and its sd-bus slot; releasing it cancels the call or the match.
/// Confined to its connection's queue.
final class BusCallback: @unchecked Sendable {
    let handler: (OpaquePointer) -> Void
    var slot: OpaquePointer?
    weak var owner: BusConnection?

    init(_ handler: @escaping (OpaquePointer) -> Void) {
        self.handler = handler
    }

    deinit {
        if let slot { sd_bus_slot_unref(slot) }
    }
}

/// Reads a message's arguments in order. Valid only inside the handler it was given to.
public struct BusMessageReader {
    let message: OpaquePointer

    init(_ message: OpaquePointer) {
        self.message = message
    }

    /// The signal or method name.
    public var member: String? { sd_bus_message_get_member(message).map { String(cString: $0) } }

    /// The object path the message is about (a signal's sender object).
    public var path: String? { sd_bus_message_get_path(message).map { String(cString: $0) } }

    /// The next argument as a string (D-Bus `s`, `o` or `g`).
    public func string(_ type: Character = "s") -> String? {
        var value: UnsafePointer<CChar>?
        guard sd_bus_message_read_basic(message, CChar(type.asciiValue!), &value) > 0, let value else { return nil }
        return String(cString: value)
    }

    /// The next argument as an unsigned 32-bit integer (`u`).
    public func uint32() -> UInt32? {
        var value: UInt32 = 0
        return sd_bus_message_read_basic(message, CChar(UInt8(ascii: "u")), &value) > 0 ? value : nil
    }

    /// The next argument as a boolean (`b`).
    public func bool() -> Bool? {
        var value: Int32 = 0
        return sd_bus_message_read_basic(message, CChar(UInt8(ascii: "b")), &value) > 0 ? value != 0 : nil
    }

    /// The next argument as a list of strings (`as`).
    public func strings() -> [String]? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "a")), "s") > 0 else { return nil }
        var result: [String] = []
        while let next = string() { result.append(next) }
        _ = sd_bus_message_exit_container(message)
        return result
    }

    /// The next argument as a variant holding a boolean (`v` of `b`).
    public func variantBool() -> Bool? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "v")), "b") > 0 else { return nil }
        defer { _ = sd_bus_message_exit_container(message) }
        return bool()
    }

    /// The object path in a variant holding a `(so)` pair, as logind's `Display` and
    /// `Sessions` entries are: a session's id and its object.
    public func variantSessionReference() -> String? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "v")), "(so)") > 0 else { return nil }
        defer { _ = sd_bus_message_exit_container(message) }
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "r")), "so") > 0 else { return nil }
        defer { _ = sd_bus_message_exit_container(message) }
        _ = string()
        return string("o")
    }

    /// The next argument as a dictionary of booleans from an `a{sv}`; other values are skipped.
    public func booleanProperties() -> [String: Bool]? {
        guard sd_bus_message_enter_container(message, CChar(UInt8(ascii: "a")), "{sv}") > 0 else { return nil }
        var result: [String: Bool] = [:]
        while sd_bus_message_enter_container(message, CChar(UInt8(ascii: "e")), "sv") > 0 {
            if let key = string() {
                if let value = variantBool() { result[key] = value } else { _ = sd_bus_message_skip(message, "v") }
            }
            _ = sd_bus_message_exit_container(message)
        }
        _ = sd_bus_message_exit_container(message)
        return result
    }
}

/// Appends a method call's arguments in order. The first failure is kept and reported.
public final class BusMessageWriter {
    /// A value inside a variant (`v`), for hints and properties.
    public enum Variant {
        case string(String)
        case byte(UInt8)
        case bool(Bool)
        case int32(Int32)
        /// A dictionary of strings (`a{ss}`), e.g. a Secret Service item's attributes.
        case stringDictionary([String: String])
    }

    let message: OpaquePointer
    var failure: Int32?

    init(_ message: OpaquePointer) {
        self.message = message
    }

    func check(_ r: Int32) {
        if r < 0 && failure == nil { failure = r }
    }

    static func code(_ type: Character) -> CChar { CChar(type.asciiValue!) }

    /// Appends a string (`s`).
    public func append(_ value: String) {
        check(value.withCString { sd_bus_message_append_basic(message, Self.code("s"), $0) })
    }

    /// Appends an unsigned 32-bit integer (`u`).
    public func append(_ value: UInt32) {
        var value = value
        check(sd_bus_message_append_basic(message, Self.code("u"), &value))
    }

    /// Appends a signed 32-bit integer (`i`).
    public func append(_ value: Int32) {
        var value = value
        check(sd_bus_message_append_basic(message, Self.code("i"), &value))
    }

    /// Appends a list of strings (`as`).
    public func append(_ values: [String]) {
        check(sd_bus_message_open_container(message, Self.code("a"), "s"))
        for value in values { append(value) }
        check(sd_bus_message_close_container(message))
    }

    /// Appends a variant (`v`).
    public func append(_ variant: Variant) {
        switch variant {
        case .string(let value):
            check(sd_bus_message_open_container(message, Self.code("v"), "s"))
            append(value)
        case .byte(let value):
            var value = value
            check(sd_bus_message_open_container(message, Self.code("v"), "y"))
            check(sd_bus_message_append_basic(message, Self.code("y"), &value))
        case .bool(let value):
            var value: Int32 = value ? 1 : 0
            check(sd_bus_message_open_container(message, Self.code("v"), "b"))
            check(sd_bus_message_append_basic(message, Self.code("b"), &value))
        case .int32(let value):
            check(sd_bus_message_open_container(message, Self.code("v"), "i"))
            append(value)
        case .stringDictionary(let value):
            check(sd_bus_message_open_container(message, Self.code("v"), "a{ss}"))
            append(value)
        }
        check(sd_bus_message_close_container(message))
    }

    /// Appends a dictionary of variants (`a{sv}`), in the order given.
    public func append(_ entries: [(String, Variant)]) {
        check(sd_bus_message_open_container(message, Self.code("a"), "{sv}"))
        for (key, value) in entries {
            check(sd_bus_message_open_container(message, Self.code("e"), "sv"))
            append(key)
            append(value)
            check(sd_bus_message_close_container(message))
        }
        check(sd_bus_message_close_container(message))
    }
}
