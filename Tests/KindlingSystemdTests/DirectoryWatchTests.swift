import Dispatch
import Foundation
import KindlingSystemd
import Testing

/// The inotify watch behind `timezone = "local"` and the bus socket, on a directory of the test's own.
@Suite struct DirectoryWatchTests {
    @Test func replacingTheWatchedFileIsReportedAndOtherFilesAreNot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-tz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queue = DispatchQueue(label: "tz-test")
        let changed = DispatchSemaphore(value: 0)
        let watch = try #require(DirectoryWatch(directory: directory, names: ["localtime"], queue: queue) { changed.signal() })

        try "unrelated".write(toFile: directory + "/hostname", atomically: false, encoding: .utf8)
        #expect(changed.wait(timeout: .now() + 0.3) == .timedOut, "a change to another file was reported")

        // What timedatectl does: a new symlink renamed over the old one.
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/localtime.new", withDestinationPath: "/usr/share/zoneinfo/Asia/Tokyo")
        #expect(rename(directory + "/localtime.new", directory + "/localtime") == 0)
        #expect(changed.wait(timeout: .now() + 5) == .success, "replacing localtime was not reported")
        withExtendedLifetime(watch) {}
    }
}
