import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// An errno, said in the system's words ("No space left on device").
struct SystemError: Error, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) { self.code = code }

    /// The errno of the call that just failed.
    static var last: SystemError { SystemError(errno) }

    var description: String { String(cString: strerror(code)) }

    /// What went wrong in `error`, for a one-line message: the system's words when a file
    /// call failed (without Foundation, errors carry no localized text of their own).
    static func describe(_ error: any Error) -> String {
        if let error = error as? SystemError { return error.description }
        if let error = error as? POSIXError { return SystemError(error.code.rawValue).description }
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return SystemError(underlying.code.rawValue).description
        }
        return String(describing: error)
    }

    /// Writes every byte of `bytes` to `descriptor`, again after a signal interrupts it.
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw written < 0 ? .last : SystemError(EIO)
            }
        }
    }

    /// ``write(_:_:)-(_,UnsafeRawBufferPointer)`` for a byte array or Data.
    static func write(_ descriptor: Int32, _ bytes: some ContiguousBytes) throws(SystemError) {
        let result: Result<Void, SystemError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try write(descriptor, buffer) }
        }
        try result.get()
    }
}
