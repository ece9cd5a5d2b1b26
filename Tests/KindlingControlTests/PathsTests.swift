import Foundation
import KindlingControl
import Testing

@Suite struct PathsTests {
    @Test func theProcessEnvironmentResolvesAsItsDictionaryDoes() {
        let environment = ProcessInfo.processInfo.environment
        #expect(Paths.resolveFromProcessEnvironment() == Paths.resolve(environment: environment))
        #expect(
            Paths.resolveFromProcessEnvironment(config: "/c.toml", socket: "/s")
                == Paths.resolve(environment: environment, config: "/c.toml", socket: "/s"))
    }

    @Test func theSocketFollowsDESIGN() {
        #expect(
            Paths.resolve(environment: ["XDG_RUNTIME_DIR": "/run/user/7"], uid: 7).socketFile
                == "/run/user/7/kindling/control.sock")
        #expect(Paths.resolve(environment: ["XDG_RUNTIME_DIR": ""], uid: 7).socketFile == "/tmp/kindling-7/control.sock")
        #expect(
            Paths.resolve(environment: ["KINDLING_SOCKET": "/k.sock", "XDG_RUNTIME_DIR": "/r"], uid: 7).socketFile == "/k.sock")
        #expect(Paths.defaultSocket(environment: ["KINDLING_SOCKET": "/k.sock"], uid: 7) == "/tmp/kindling-7/control.sock")
    }
}
