import Foundation
import Testing

@testable import KindlingCLI

@Suite struct ServiceUnitTests {
    static let repositoryUnit = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("systemd/kindling.service")

    @Test func theCompiledInUnitIsTheOneInTheRepository() throws {
        let file = try String(contentsOf: Self.repositoryUnit, encoding: .utf8)
        #expect(ServiceUnit.template == file)
    }

    @Test func renderingPointsAtTheInstalledBinaries() {
        let unit = ServiceUnit.render(binDirectory: "/opt/kindling/bin")
        #expect(unit.contains("ExecStart=/opt/kindling/bin/kindlingd\n"))
        #expect(unit.contains("ExecReload=/opt/kindling/bin/kindling reload\n"))
        #expect(!unit.contains("%h/.local/bin"))
    }

    @Test func theUnitHasTheLifecycleSettingsTheDaemonReliesOn() {
        // LimitCORE=0: a core file would hold journal text (issue 18, case 17).
        for line in ["Type=notify", "WatchdogSignal=SIGKILL", "Restart=on-failure", "NotifyAccess=main", "LimitCORE=0"] {
            #expect(ServiceUnit.template.contains("\n\(line)\n"), "missing \(line)")
        }
    }
}
