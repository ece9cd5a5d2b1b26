import Foundation
import Testing

/// `kindling install` with a unit installed by the Debian package (issue 15): it enables that
/// unit and writes no copy of its own, removing one an earlier install left. A private
/// XDG_DATA_DIRS stands in for /usr/lib/systemd/user: systemd and kindling both search it.
@Suite(.serialized) struct PackagedUnitTests {
    static let repositoryUnit = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("systemd/kindling.service")

    @Test func installEnablesThePackagedUnitAndRemovesAnEarlierCopy() throws {
        let manager = try UserManager(systemUnitDirectory: true)
        defer { manager.stop() }
        try manager.addDropIn(
            "test.conf", "[Service]\nStandardOutput=append:\(manager.daemonLog)\nStandardError=append:\(manager.daemonLog)\n")
        let ownCopy = manager.configHome + "/systemd/user/kindling.service"

        // Before the package: `kindling install` writes its own copy, as it always did.
        let first = try manager.kindling("install", "--no-start")
        #expect(first.status == 0, "\(first)")
        #expect(FileManager.default.fileExists(atPath: ownCopy))

        // The package's unit, rendered for these binaries as the package renders it for /usr/bin.
        let packaged = manager.systemUnitDirectory + "/kindling.service"
        let template = try String(contentsOf: Self.repositoryUnit, encoding: .utf8)
        try template.replacingOccurrences(of: "%h/.local/bin/", with: binDirectory + "/")
            .write(toFile: packaged, atomically: true, encoding: .utf8)

        let install = try manager.kindling("install")
        #expect(install.status == 0, "\(install)")
        #expect(install.stdout.contains("Using the installed unit \(packaged)"), "\(install.stdout)")
        #expect(!FileManager.default.fileExists(atPath: ownCopy), "the earlier copy would hide the packaged unit")
        #expect(try manager.property("FragmentPath") == packaged)
        #expect(try manager.property("UnitFileState") == "enabled")
        #expect(try manager.property("ActiveState") == "active", "log:\n\(manager.daemonLogText)")
        #expect(try manager.kindling("status").status == 0)

        // Installing again writes nothing and keeps using it.
        let again = try manager.kindling("install")
        #expect(again.status == 0, "\(again)")
        #expect(!FileManager.default.fileExists(atPath: ownCopy))
        #expect(try manager.property("FragmentPath") == packaged)
    }

    @Test func aPackagedUnitForOtherBinariesIsNotUsed() throws {
        let manager = try UserManager(systemUnitDirectory: true)
        defer { manager.stop() }
        // As with the package installed and these binaries from `make install` elsewhere.
        let packaged = manager.systemUnitDirectory + "/kindling.service"
        let template = try String(contentsOf: Self.repositoryUnit, encoding: .utf8)
        try template.replacingOccurrences(of: "%h/.local/bin/", with: "/usr/bin/")
            .write(toFile: packaged, atomically: true, encoding: .utf8)

        let install = try manager.kindling("install", "--no-start")
        #expect(install.status == 0, "\(install)")
        let ownCopy = manager.configHome + "/systemd/user/kindling.service"
        #expect(FileManager.default.fileExists(atPath: ownCopy))
        #expect(try manager.property("FragmentPath") == ownCopy)
    }
}
