import Foundation
import SeccompFixture
import Testing

@testable import KindlingSystemd

/// The kernel user keyring as the unlocked key's cache, on this machine's real kernel; and the
/// same calls refused by the kernel (a seccomp filter, as a container applies), which must be
/// reported as unavailable, not crash or pass for "no key".
@Suite struct SessionKeyCacheTests {
    /// Whether keyctl works here at all. Where it does not (a container that filters it), the
    /// tests of the working path cannot run; the refusal tests still do. Under CI they always
    /// run: a machine without the keyring there fails them rather than passing quietly.
    static let kernelKeyringAnswers: Bool = ProcessInfo.processInfo.environment["CI"] == "true" || probe

    private static let probe: Bool = {
        let name = "test-probe-\(UUID().uuidString)"
        do {
            try SessionKeyCache.store(name: name, key: [1], lifetime: 60)
            try SessionKeyCache.remove(name: name)
            return true
        } catch SessionKeyCacheError.unavailable {
            print("not run: the kernel keyring is refused here, so only the refusal tests run")
            return false
        } catch {
            return true  // Some other failure: let the tests run and show it.
        }
    }()

    static func uniqueName() -> String { "test-\(UUID().uuidString)" }

    /// The line /proc/keys shows for Kindling's key `name`: serial, flags, usage, expiry,
    /// permissions, uid, gid, type, description.
    static func procLine(_ name: String) throws -> [Substring]? {
        let keys = try String(contentsOfFile: "/proc/keys", encoding: .utf8)
        let line = keys.split(separator: "\n").first { $0.contains("kindling:\(name):") }
        return line?.split(separator: " ", omittingEmptySubsequences: true)
    }

    @Test(.enabled(if: kernelKeyringAnswers)) func aStoredKeyIsLoadedUntilRemoved() throws {
        let name = Self.uniqueName()
        let key = (0..<32).map { UInt8($0 * 7 & 0xff) }
        try SessionKeyCache.store(name: name, key: key, lifetime: 60)
        defer { _ = try? SessionKeyCache.remove(name: name) }

        #expect(try SessionKeyCache.load(name: name) == key)
        #expect(try SessionKeyCache.load(name: Self.uniqueName()) == nil, "another name finds nothing")
        #expect(try SessionKeyCache.remove(name: name))
        #expect(try SessionKeyCache.load(name: name) == nil)
        #expect(try SessionKeyCache.remove(name: name) == false, "removing twice is not an error")
        // Invalidated, the key is destroyed, not only unlinked from @u: gone from /proc/keys, or
        // flagged "i" until the kernel's garbage collector has run.
        let line = try Self.procLine(name)
        #expect(line == nil || line![1].contains("i"), "after remove: \(line ?? [])")
    }

    @Test(.enabled(if: kernelKeyringAnswers)) func storingAgainReplacesTheKey() throws {
        let name = Self.uniqueName()
        defer { _ = try? SessionKeyCache.remove(name: name) }
        try SessionKeyCache.store(name: name, key: Array(repeating: 1, count: 32), lifetime: 60)
        try SessionKeyCache.store(name: name, key: Array(repeating: 2, count: 100), lifetime: 60)
        #expect(try SessionKeyCache.load(name: name) == Array(repeating: 2, count: 100))
        // A payload longer than load's first buffer is read whole.
        let long = (0..<1000).map { UInt8($0 & 0xff) }
        try SessionKeyCache.store(name: name, key: long, lifetime: 60)
        #expect(try SessionKeyCache.load(name: name) == long)
    }

    /// What the kernel itself says about the key: a "user" key in the caller's uid, with the
    /// permissions asked for (nothing for group or others) and the lifetime.
    @Test(.enabled(if: kernelKeyringAnswers)) func theKernelHoldsItWithThePermissionsAndLifetimeAskedFor() throws {
        let name = Self.uniqueName()
        defer { _ = try? SessionKeyCache.remove(name: name) }
        try SessionKeyCache.store(name: name, key: [9, 9, 9], lifetime: 600)
        let timed = try #require(try Self.procLine(name))
        #expect(timed[4] == "3f2f0000", "permissions: \(timed)")
        #expect(timed[5] == "\(getuid())", "owner: \(timed)")
        #expect(timed[7] == "user", "type: \(timed)")
        #expect(timed[3] == "9m" || timed[3] == "10m", "expiry: \(timed)")

        try SessionKeyCache.store(name: name, key: [9, 9, 9], lifetime: nil)
        let untimed = try #require(try Self.procLine(name))
        #expect(untimed[3] == "perm", "no lifetime: the key stays until the keyring goes (\(untimed))")
    }

    @Test(.enabled(if: kernelKeyringAnswers)) func aKeyPastItsLifetimeIsGone() async throws {
        let name = Self.uniqueName()
        defer { _ = try? SessionKeyCache.remove(name: name) }
        try SessionKeyCache.store(name: name, key: [4, 2], lifetime: 1)
        #expect(try SessionKeyCache.load(name: name) == [4, 2])
        try await Task.sleep(for: .milliseconds(2_200))
        #expect(try SessionKeyCache.load(name: name) == nil, "an expired key reads as no key, not as an error")
        #expect(try SessionKeyCache.remove(name: name) == false)
    }

    /// Runs `body` on a thread made for it, which ends with it: the seccomp filter installed
    /// there never reaches the test runner's other threads.
    static func onAThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// EPERM is what Docker's default seccomp profile answers; ENOSYS is a kernel built
    /// without keys (and newer container runtimes' answer for calls they do not know).
    @Test(arguments: [EPERM, ENOSYS])
    func aRefusedKeyringIsReportedAsUnavailable(error: Int32) async throws {
        let name = Self.uniqueName()
        let outcomes = await Self.onAThreadOfItsOwn { () -> [String] in
            let installed = kindling_test_refuse_keyring_calls(error)
            guard installed == 0 else { return ["the filter could not be installed: \(installed)"] }
            var outcomes: [String] = []
            do {
                try SessionKeyCache.store(name: name, key: [1, 2, 3], lifetime: 60)
                outcomes.append("store succeeded")
            } catch { outcomes.append("store: \(error)") }
            do { outcomes.append("load returned \(String(describing: try SessionKeyCache.load(name: name)))") } catch {
                outcomes.append("load: \(error)")
            }
            do { outcomes.append("remove returned \(try SessionKeyCache.remove(name: name))") } catch {
                outcomes.append("remove: \(error)")
            }
            return outcomes
        }
        let unavailable = SessionKeyCacheError.unavailable(errno: error).description
        #expect(outcomes == ["store: \(unavailable)", "load: \(unavailable)", "remove: \(unavailable)"])
        #expect(unavailable.hasPrefix("the kernel keyring is unavailable here ("))
        #expect(unavailable.hasSuffix("): the passphrase is asked at each start"))

        // The refusal stayed on its thread: here the keyring works as before.
        if Self.kernelKeyringAnswers {
            try SessionKeyCache.store(name: name, key: [1, 2, 3], lifetime: 60)
            #expect(try SessionKeyCache.remove(name: name))
        }
    }

    @Test func otherFailuresAreNotTakenForUnavailable() {
        #expect(SessionKeyCacheError(operation: "add_key", result: -Int(EDQUOT)) == .failed(operation: "add_key", errno: EDQUOT))
        #expect(SessionKeyCacheError(operation: "add_key", result: -Int(EPERM)) == .unavailable(errno: EPERM))
        #expect(
            SessionKeyCacheError.failed(operation: "add_key", errno: EDQUOT).description
                == "the kernel keyring refused add_key: Disk quota exceeded")
    }
}
