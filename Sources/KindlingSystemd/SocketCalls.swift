import CSystemd
import Glibc

/// The few socket and process calls the daemon needs that Swift cannot make directly
/// (`accept4`, `struct ucred`, `TIOCOUTQ`, variadic `prctl`), wrapped once so that only this
/// module imports the C boundary.
public enum SocketCalls {
    /// Accepts one connection, non-blocking and close-on-exec; `-errno` on failure.
    public static func acceptNonBlocking(_ listenFD: Int32) -> Int32 {
        kindling_accept_nonblocking(listenFD)
    }

    /// The uid and pid of the process at the other end of a Unix socket; nil when unknown.
    public static func peer(of fd: Int32) -> (uid: uid_t, pid: pid_t)? {
        var uid: uid_t = 0
        var pid: pid_t = 0
        guard kindling_peer_credentials(fd, &uid, nil, &pid) == 0 else { return nil }
        return (uid, pid)
    }

    /// Bytes written to a socket that its peer has not read yet (0 when unknown).
    public static func unreadBytes(_ fd: Int32) -> Int {
        Int(kindling_unread_bytes(fd))
    }
}

/// What the daemon asks of the kernel about itself.
public enum ProcessSafety {
    /// No core file, and no ptrace or /proc/PID/mem from the user's other processes. False
    /// when the kernel refused.
    public static func disableCoreDumps() -> Bool {
        kindling_disable_core_dumps() == 0
    }

    /// Hands the free memory malloc keeps back to the kernel. A burst of clients leaves freed
    /// buffers scattered over malloc's heaps; without this the daemon's resident set stays at
    /// the burst's peak for the rest of its life.
    public static func releaseFreeMemory() {
        _ = kindling_release_free_memory()
    }
}
