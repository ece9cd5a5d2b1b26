import Foundation
import Testing

@testable import KindlingDaemon

/// The Debian package installs packaging/kindling.svg into the hicolor theme; it must be the
/// icon the daemon draws with when no package is installed.
@Suite struct PackagedIconTests {
    @Test func thePackagedIconIsTheCompiledInOne() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("packaging/kindling.svg")
        #expect(try String(contentsOf: file, encoding: .utf8) == Daemon.iconSVG)
    }

    @Test func notificationsNameTheThemedIconOnlyWhenThePackageInstalledIt() throws {
        let share = FileManager.default.temporaryDirectory.appendingPathComponent("kindling-icon-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: share) }
        let apps = share + "/icons/hicolor/scalable/apps"
        try FileManager.default.createDirectory(atPath: apps, withIntermediateDirectories: true)
        let environment = ["XDG_DATA_DIRS": "/nonexistent:" + share]
        #expect(Daemon.themedIcon(environment: environment) == nil)

        try Data(Daemon.iconSVG.utf8).write(to: URL(fileURLWithPath: apps + "/kindling.svg"))
        #expect(Daemon.themedIcon(environment: environment) == "kindling")
        #expect(Daemon.themedIcon(environment: ["XDG_DATA_DIRS": "/nonexistent"]) == nil)
    }
}
