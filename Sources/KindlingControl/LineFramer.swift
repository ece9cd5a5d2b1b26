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
        guard !overflowed else { return [] }
        var out: [Output] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !buffer.isEmpty { out.append(.line(buffer)) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
                if buffer.count > limit {
                    overflowed = true
                    buffer = []
                    out.append(.tooLarge)
                    return out
                }
            }
        }
        return out
    }
}
