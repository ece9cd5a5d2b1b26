import CSystemd
import Glibc

/// The unlocked journal key, kept by the kernel (keyrings(7)) so that `kindling unlock` is
/// needed once per boot rather than at every daemon start.
///
/// Keys go into the user keyring (`@u`) as "user" keys described `kindling:<name>`. That
/// keyring belongs to the uid, not to a login: it lasts while any process of the user runs
/// (the systemd user manager counts, so with lingering it outlives logging out) and never
/// outlives a reboot, and the optional lifetime ends a key sooner. The kernel keeps the key
/// in its own memory, which is never swapped out or written to disk.
///
/// Permissions are all for the possessor, and view, read, write, search and set-attribute for
/// the user; nothing for group or others. The user's read is needed because the daemon, a
/// systemd user service, does not always possess the keyring its user's terminal wrote to. So
/// any process of the same uid can read the key: the same reach such a process already has
/// over the person's files, outside what encryption at rest protects.
///
/// Where a container's seccomp profile or the kernel refuses keyctl(2), every call throws
/// ``SessionKeyCacheError/unavailable(errno:)``: the caller then asks for the passphrase at
/// each start instead.
public enum SessionKeyCache {
    /// Prefix of every description, so that Kindling's keys cannot meet another program's.
    static let descriptionPrefix = "kindling:"

    /// KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE | KEY_USR_SEARCH |
    /// KEY_USR_SETATTR (see keyctl_setperm(3)).
    static let permissions: UInt32 = 0x3f2f_0000

    /// Keeps `key` under `name`, replacing what was kept there, for `lifetime` seconds (nil:
    /// until the user keyring itself goes). A lifetime of 0 is refused: the kernel would take
    /// it as "for ever", the opposite of what it looks like.
    public static func store(name: String, key: [UInt8], lifetime: UInt32?) throws(SessionKeyCacheError) {
        precondition(lifetime != 0, "a lifetime of 0 seconds would keep the key for ever; pass nil for that")
        let description = descriptionPrefix + name
        let serial = key.withUnsafeBytes { kindling_key_add_user(description, $0.baseAddress, $0.count) }
        guard serial > 0 else { throw SessionKeyCacheError(operation: "add_key", result: serial) }
        let key = Int32(truncatingIfNeeded: serial)
        // A key left with the default permissions or no lifetime would be kept wider or longer
        // than asked: on any failure here it is destroyed rather than left half set.
        var result = kindling_key_set_permissions(key, permissions)
        if result == 0 { result = kindling_key_set_timeout(key, lifetime ?? 0) }
        if result != 0 {
            _ = kindling_key_invalidate(key)
            throw SessionKeyCacheError(operation: "keyctl", result: result)
        }
    }

    /// The key kept under `name`, or nil when there is none (never stored, removed, or expired).
    public static func load(name: String) throws(SessionKeyCacheError) -> [UInt8]? {
        guard let key = try find(name) else { return nil }
        var capacity = 64
        while true {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
            defer {
                wipe(buffer)
                buffer.deallocate()
            }
            let size = kindling_key_read(key, buffer.baseAddress, buffer.count)
            if isGone(size) { return nil }
            guard size >= 0 else { throw SessionKeyCacheError(operation: "keyctl read", result: size) }
            // Replaced by a longer key between the search and the read: read again, larger.
            guard size <= capacity else {
                capacity = size
                continue
            }
            return Array(buffer[..<size])
        }
    }

    /// Destroys the key kept under `name`; false when there was none.
    @discardableResult
    public static func remove(name: String) throws(SessionKeyCacheError) -> Bool {
        guard let key = try find(name) else { return false }
        let result = kindling_key_invalidate(key)
        if isGone(result) { return false }
        guard result == 0 else { throw SessionKeyCacheError(operation: "keyctl invalidate", result: result) }
        return true
    }

    private static func find(_ name: String) throws(SessionKeyCacheError) -> Int32? {
        let serial = kindling_key_search_user(descriptionPrefix + name)
        if isGone(serial) { return nil }
        guard serial > 0 else { throw SessionKeyCacheError(operation: "keyctl search", result: serial) }
        return Int32(truncatingIfNeeded: serial)
    }

    /// A result that means the key is not there (any more): never stored, expired, revoked or
    /// invalidated in the meantime.
    private static func isGone(_ result: Int) -> Bool {
        result == -Int(ENOKEY) || result == -Int(EKEYEXPIRED) || result == -Int(EKEYREVOKED)
    }
}

/// Why the session key cache could not be used.
public enum SessionKeyCacheError: Error, Equatable, CustomStringConvertible {
    /// The kernel keyring cannot be used here (ENOSYS: a kernel without keys; EPERM: refused,
    /// most often by a container's seccomp profile). Not a fault: ask for the passphrase at
    /// each start instead.
    case unavailable(errno: Int32)
    /// A call failed for another reason (EDQUOT: the user's key quota is full; EACCES: a key
    /// of that name that Kindling may not change).
    case failed(operation: String, errno: Int32)

    init(operation: String, result: Int) {
        let errno = Int32(truncatingIfNeeded: -result)
        self = errno == ENOSYS || errno == EPERM ? .unavailable(errno: errno) : .failed(operation: operation, errno: errno)
    }

    public var description: String {
        switch self {
        case .unavailable(let errno):
            "the kernel keyring is unavailable here (\(String(cString: strerror(errno)))): the passphrase is asked at each start"
        case .failed(let operation, let errno):
            "the kernel keyring refused \(operation): \(String(cString: strerror(errno)))"
        }
    }
}
