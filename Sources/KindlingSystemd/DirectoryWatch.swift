import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Tells when entries of one directory are created, replaced or removed: an inotify watch
/// read from a Dispatch source on the owner's queue, so nothing polls.
///
/// Watching the directory rather than the file sees a file that does not exist yet (the
/// session bus socket before the bus starts) and one replaced by rename (/etc/localtime).
public final class DirectoryWatch: @unchecked Sendable {
    private var source: DispatchSourceRead?
    private let matches: (String) -> Bool

    /// Calls `onChange` on `queue` when any of `names` in `directory` changes. Returns nil
    /// when the directory cannot be watched (missing, or inotify unavailable).
    public convenience init?(directory: String, names: Set<String>, queue: DispatchQueue, onChange: @escaping () -> Void) {
        self.init(directory: directory, matching: { names.contains($0) }, queue: queue, onChange: onChange)
    }

    /// Calls `onChange` on `queue` when an entry of `directory` whose name `matching` accepts
    /// changes (a folder of calendar files: any `*.ics`).
    public init?(
        directory: String, matching: @escaping (String) -> Bool, queue: DispatchQueue, onChange: @escaping () -> Void
    ) {
        self.matches = matching
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_ATTRIB)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            close(fd)
            return nil
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if drain(fd) { onChange() }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
        self.source = source
    }

    deinit {
        source?.cancel()
    }

    /// Reads every queued event; true when one concerns a watched name.
    private func drain(_ fd: Int32) -> Bool {
        var relevant = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return relevant }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
            while offset + 16 <= count {
                let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                if matches(String(decoding: nameBytes, as: UTF8.self)) { relevant = true }
                offset += 16 + length
            }
        }
    }
}
