// File-system preparation of the journal: private folder and file, writability, sidecar files.
// Everything here happens before (or instead of) SQLite touching the file.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum JournalFile {
    /// The journal's folder: absolute, without the file name.
    static func folder(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }

    /// Makes `path` absolute against the current directory.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func osReason(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    static func octal(_ mode: mode_t) -> String {
        "0" + String(mode & 0o7777, radix: 8)
    }

    /// Creates `folder` and its missing parents with mode 0700 (whatever the umask).
    static func createFolder(_ folder: String, journal: String) throws(StoreError) {
        var missing: [String] = []
        var current = folder
        while !current.isEmpty, current != "/" {
            var info = stat()
            if stat(current, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw .unwritable(path: journal, reason: "\(current) is not a folder")
                }
                break
            }
            guard errno == ENOENT else {
                throw .unwritable(path: journal, reason: "cannot reach \(current): \(osReason())")
            }
            missing.append(current)
            current = URL(fileURLWithPath: current).deletingLastPathComponent().path
        }
        for component in missing.reversed() {
            if mkdir(component, 0o700) != 0, errno != EEXIST {
                throw .unwritable(path: journal, reason: "cannot create the folder \(component): \(osReason())")
            }
            _ = chmod(component, 0o700)
        }
    }

    /// Creates an empty journal file with mode 0600 (whatever the umask).
    static func createFile(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw .unwritable(path: path, reason: "cannot create it: \(osReason())")
        }
        defer { _ = close(fd) }
        if fchmod(fd, 0o600) != 0 {
            throw .unwritable(path: path, reason: "cannot set its mode to 0600: \(osReason())")
        }
    }

    /// Refuses early, with the OS reason, when the folder or the file cannot be written.
    /// (SQLite needs to create its -wal and -shm files beside the journal.)
    static func checkWritable(_ path: String, folder: String) throws(StoreError) {
        if access(folder, W_OK | X_OK) != 0 {
            throw .unwritable(path: path, reason: "its folder \(folder) is not writable (\(osReason()))")
        }
        if access(path, R_OK | W_OK) != 0 {
            throw .unwritable(path: path, reason: osReason())
        }
    }

    /// Refuses a folder or file that someone else could read or replace: a folder that is not the
    /// person's or is sticky (shared, like /tmp), and a journal or SQLite file beside it that belongs
    /// to another user or is not a regular file (a symlink could send the -wal anywhere). Nothing
    /// here changes a file: another user's file is never chmodded. The person's own loose modes are
    /// tightened afterwards (``tightenFolder(_:)``, ``tightenFiles(_:)``).
    static func checkOwnership(_ path: String, folder: String) throws(StoreError) {
        let uid = geteuid()
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw .unwritable(path: path, reason: "cannot reach its folder \(folder): \(osReason())")
        }
        if info.st_uid != uid {
            throw .notPrivate(path: path, reason: "its folder \(folder) belongs to uid \(info.st_uid), not to you")
        }
        let folderMode = info.st_mode
        // The journal itself may be a link the person made (to another disk, say): its target is
        // what must be theirs, and what is not a regular file is refused later as not a journal.
        if stat(path, &info) == 0, info.st_uid != uid {
            throw .notPrivate(path: path, reason: "\(path) belongs to uid \(info.st_uid), not to you")
        }
        for file in sidecars(of: path) {
            guard lstat(file, &info) == 0 else {
                if errno == ENOENT { continue }
                throw .unwritable(path: path, reason: "cannot look at \(file): \(osReason())")
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw .notPrivate(path: path, reason: "\(file) is not a regular file (a symlink?)")
            }
            if info.st_uid != uid {
                throw .notPrivate(path: path, reason: "\(file) belongs to uid \(info.st_uid), not to you")
            }
        }
        // After the files, so that a file planted there is named rather than the folder.
        if folderMode & S_ISVTX != 0 {
            throw .notPrivate(path: path, reason: "its folder \(folder) is shared (mode \(octal(folderMode)))")
        }
    }

    /// SQLite's files beside the journal.
    static func sidecars(of path: String) -> [String] {
        [path + "-wal", path + "-shm", path + "-journal"]
    }

    /// True if `path` is a regular file of zero bytes, or does not exist.
    static func isEmptyFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return errno == ENOENT }
        return info.st_mode & S_IFMT == S_IFREG && info.st_size == 0
    }

    /// Removes group and other permissions from the person's own journal folder. A shared folder
    /// (sticky, like /tmp), one owned by someone else, or one that stays open to others is refused
    /// (``StoreError/notPrivate(path:reason:)``) and left as it is.
    static func tightenFolder(_ folder: String, journal: String) throws(StoreError) -> String? {
        var info = stat()
        guard stat(folder, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        let was = octal(info.st_mode)
        if info.st_mode & S_ISVTX != 0 || info.st_uid != geteuid() {
            throw .notPrivate(path: journal, reason: "its folder \(folder) is shared (mode \(was))")
        }
        let tightened = info.st_mode & 0o700
        if chmod(folder, tightened) != 0 {
            throw .notPrivate(
                path: journal,
                reason: "its folder \(folder) is open to others (mode \(was)) and could not be tightened: \(osReason())")
        }
        return "the journal's folder \(folder) was open to others (mode \(was)); tightened to \(octal(tightened))"
    }

    /// Removes group and other permissions from the journal and its SQLite sidecar files; a file that
    /// stays open to others is refused (``StoreError/notPrivate(path:reason:)``).
    static func tightenFiles(_ path: String) throws(StoreError) -> [String] {
        var notices: [String] = []
        for (file, name) in [
            (path, "journal"), (path + "-wal", "journal's -wal file"),
            (path + "-shm", "journal's -shm file"), (path + "-journal", "journal's -journal file"),
        ] {
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 != 0 else {
                continue
            }
            let was = octal(info.st_mode)
            let tightened = info.st_mode & 0o600
            if chmod(file, tightened) == 0 {
                notices.append("the \(name) was readable by others (mode \(was)); tightened to \(octal(tightened))")
            } else {
                throw .notPrivate(
                    path: path,
                    reason: "the \(name) is readable by others (mode \(was)) and could not be tightened: \(osReason())")
            }
        }
        return notices
    }
}
