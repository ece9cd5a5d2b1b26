import Testing

@testable import KindlingSystemd

/// Do-not-disturb combined from every server's switch: quiet is any switch on, and the state
/// is known once every switch that is there has answered.
@Suite struct DesktopQuietTests {
    typealias Source = DesktopQuiet.Source

    @Test func withNoSwitchAtAllTheDesktopIsNotQuietAndKnown() {
        let quiet = DesktopQuiet()
        #expect(!quiet.isQuiet && quiet.isKnown && quiet.allowsNotifications)
        #expect(quiet.quietSources.isEmpty)
        #expect(Source.allCases.allSatisfy { quiet.reading($0) == .absent })
    }

    @Test func anyOneSwitchOnMakesItQuiet() {
        for source in Source.allCases {
            var quiet = DesktopQuiet()
            for other in Source.allCases { quiet.set(other, quiet: other == source) }
            #expect(quiet.isQuiet && quiet.isKnown && !quiet.allowsNotifications, "\(source)")
            #expect(quiet.quietSources == [source])
            quiet.set(source, quiet: false)
            #expect(!quiet.isQuiet && quiet.allowsNotifications, "\(source)")
        }
    }

    @Test func everySwitchThatIsOnIsNamedInOrder() {
        var quiet = DesktopQuiet()
        quiet.set(.xfce, quiet: true)
        quiet.set(.dunst, quiet: true)
        quiet.set(.kde, .absent)
        #expect(quiet.quietSources == [.dunst, .xfce])
        quiet.set(.dunst, quiet: false)
        #expect(quiet.isQuiet && quiet.quietSources == [.xfce])
    }

    @Test func anAbsentSwitchCountsAsNotQuiet() {
        var quiet = DesktopQuiet()
        quiet.set(.dunst, quiet: true)
        quiet.set(.dunst, .absent)
        #expect(!quiet.isQuiet && quiet.isKnown && quiet.reading(.dunst) == .absent)
    }

    @Test func theStateIsKnownOnlyOnceEverySwitchHasAnswered() {
        var quiet = DesktopQuiet()
        for source in Source.allCases { quiet.set(source, .asking) }
        #expect(!quiet.isKnown && !quiet.isQuiet && !quiet.allowsNotifications)
        quiet.set(.dunst, quiet: false)
        quiet.set(.kde, .absent)
        quiet.set(.gnome, .absent)
        #expect(!quiet.isKnown, "xfce4-notifyd has not answered yet")
        quiet.set(.xfce, quiet: false)
        #expect(quiet.isKnown && quiet.allowsNotifications)
    }

    @Test func aQuietAnswerIsQuietEvenWhileAnotherSwitchIsStillAsked() {
        var quiet = DesktopQuiet()
        for source in Source.allCases { quiet.set(source, .asking) }
        quiet.set(.dunst, quiet: true)
        #expect(quiet.isQuiet && !quiet.isKnown && quiet.quietSources == [.dunst])
    }

    @Test func forgettingTheServerForgetsEverySwitch() {
        var quiet = DesktopQuiet()
        quiet.set(.kde, quiet: true)
        quiet.set(.xfce, .asking)
        quiet.forget()
        #expect(quiet == DesktopQuiet())
        #expect(!quiet.isQuiet && quiet.isKnown)
    }

    @Test func gnomeIsFoundInTheDesktopList() {
        #expect(DesktopNotifier.isGNOME(["XDG_CURRENT_DESKTOP": "GNOME"]))
        #expect(DesktopNotifier.isGNOME(["XDG_CURRENT_DESKTOP": "ubuntu:GNOME"]))
        #expect(!DesktopNotifier.isGNOME(["XDG_CURRENT_DESKTOP": "GNOME-Flashback-ish:XFCE"]))
        #expect(!DesktopNotifier.isGNOME(["XDG_CURRENT_DESKTOP": "KDE"]))
        #expect(!DesktopNotifier.isGNOME([:]))
    }

    @Test func theSourcesAreNamedAsStatusReportsThem() {
        #expect(Source.allCases.map(\.rawValue) == ["dunst", "kde", "xfce4-notifyd", "gnome"])
    }
}
