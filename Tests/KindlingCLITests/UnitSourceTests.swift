import Testing

@testable import KindlingCLI

/// `kindling install` enables the unit a package installed when it runs these binaries, and
/// otherwise writes its own copy (issue 15).
@Suite struct UnitSourceTests {
    static let packaged = (path: "/usr/lib/systemd/user/kindling.service", contents: ServiceUnit.render(binDirectory: "/usr/bin"))

    @Test func thePackagedUnitIsUsedForThePackagedBinaries() {
        let choice = UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [Self.packaged], ownUnit: nil)
        #expect(choice == .system(path: Self.packaged.path, earlierCopy: .none))
    }

    @Test func withoutASystemUnitACopyIsWritten() {
        #expect(UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [], ownUnit: nil) == .ownCopy)
    }

    @Test func binariesFromMakeInstallGetTheirOwnCopyBesideThePackage() {
        // ~/.local/bin/kindling must not enable a unit that starts /usr/bin/kindlingd.
        let choice = UnitSource.choose(binDirectory: "/home/sam/.local/bin", systemUnits: [Self.packaged], ownUnit: nil)
        #expect(choice == .ownCopy)
    }

    @Test func onlyTheUnitSystemdWouldLoadCounts() {
        // systemd takes the first one on its search path; a later match would never run.
        let other = (
            path: "/usr/local/share/systemd/user/kindling.service", contents: ServiceUnit.render(binDirectory: "/opt/k/bin")
        )
        #expect(UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [other, Self.packaged], ownUnit: nil) == .ownCopy)
        #expect(
            UnitSource.choose(binDirectory: "/opt/k/bin", systemUnits: [other, Self.packaged], ownUnit: nil)
                == .system(path: other.path, earlierCopy: .none))
    }

    @Test func aPrefixOfTheBinaryDirectoryIsNotAMatch() {
        let unit = (path: Self.packaged.path, contents: ServiceUnit.render(binDirectory: "/usr/bin/extra"))
        #expect(UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [unit], ownUnit: nil) == .ownCopy)
    }

    @Test func anEarlierCopyWrittenByKindlingMakesWayForThePackagedUnit() {
        let earlier = ServiceUnit.render(binDirectory: "/home/sam/.local/bin")
        let choice = UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [Self.packaged], ownUnit: earlier)
        #expect(choice == .system(path: Self.packaged.path, earlierCopy: .writtenByKindling))
    }

    @Test func aUnitThePersonWroteIsKept() {
        let theirs = "[Service]\nExecStart=/usr/bin/kindlingd --config /home/sam/k.toml\n"
        let choice = UnitSource.choose(binDirectory: "/usr/bin", systemUnits: [Self.packaged], ownUnit: theirs)
        #expect(choice == .system(path: Self.packaged.path, earlierCopy: .theirOwn))
    }

    @Test func theSearchPathFollowsXDGDataDirsThenThePackageDirectory() {
        #expect(
            UnitSource.systemUnitPaths(environment: [:]) == [
                "/usr/local/share/systemd/user/kindling.service", "/usr/share/systemd/user/kindling.service",
                "/usr/lib/systemd/user/kindling.service",
            ])
        #expect(
            UnitSource.systemUnitPaths(environment: ["XDG_DATA_DIRS": "/srv/share:relative"]) == [
                "/srv/share/systemd/user/kindling.service", "/usr/lib/systemd/user/kindling.service",
            ])
    }
}
