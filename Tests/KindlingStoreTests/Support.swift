import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh folder under the system temporary directory, removed when the test ends.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kindling-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ components: String...) -> String {
        components.reduce(url) { $0.appendingPathComponent($1) }.path
    }
}

/// The permission bits of `path` (e.g. 0o600).
func mode(_ path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return info.st_mode & 0o7777
}

func contents(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// A fixed instant with milliseconds, and a helper to move from it.
let t0 = Date(timeIntervalSince1970: 1_763_700_000.123)

func at(_ seconds: TimeInterval) -> Date {
    t0.addingTimeInterval(seconds)
}
