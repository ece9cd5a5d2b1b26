/// Splits a byte stream into newline-terminated lines of at most ``ControlProtocol/maxLineBytes``.
///
/// Both ends use it: the daemon on each connection, the client on its replies. A line
/// that grows past the limit is reported once as ``Output/tooLarge`` and the framer then
/// refuses everything (the connection is to be closed: its framing can no longer be trusted).
public struct LineFramer: Sendable {
    /// What one call to ``append(_:)`` produced.
    public enum Output: Equatable, Sendable {
        case line([UInt8])
        case tooLarge
    }

    private var buffer: [UInt8] = []
    private var overflowed = false
    public let limit: Int

    public init(limit: Int = ControlProtocol.maxLineBytes) {
        self.limit = limit
    }

    /// Bytes held that do not yet end with a newline.
    public var pendingByteCount: Int { buffer.count }

    /// Feeds bytes in and returns every complete line (without its newline; a trailing
    /// `\r` is kept, JSON parsing ignores it as whitespace). Empty lines are skipped.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) -> [Output] where Bytes.Element == UInt8 {
        if let out = bytes.withContiguousStorageIfAvailable({ append(contiguous: $0) }) { return out }
        return Array(bytes).withUnsafeBufferPointer { append(contiguous: $0) }
    }

    /// ``append(_:)`` for bytes in memory: whole lines are found and copied at once, not
    /// byte by byte (the daemon frames every request through it).
    public mutating func append(contiguous bytes: UnsafeBufferPointer<UInt8>) -> [Output] {
        guard !overflowed else { return [] }
        var out: [Output] = []
        var start = 0
        while start < bytes.count {
            let rest = UnsafeBufferPointer(rebasing: bytes[start...])
            guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                guard buffer.count + rest.count <= limit else { return overflow(out) }
                buffer.append(contentsOf: rest)
                break
            }
            let piece = UnsafeBufferPointer(rebasing: rest[..<newline])
            guard buffer.count + piece.count <= limit else { return overflow(out) }
            if buffer.isEmpty {
                if !piece.isEmpty { out.append(.line(Array(piece))) }
            } else {
                buffer.append(contentsOf: piece)
                out.append(.line(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
            start += newline + 1
        }
        return out
    }

    private mutating func overflow(_ lines: [Output]) -> [Output] {
        overflowed = true
        buffer = []
        return lines + [.tooLarge]
    }
}
