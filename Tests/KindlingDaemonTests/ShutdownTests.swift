import Foundation
import Testing

@testable import KindlingDaemon

/// In-process daemons come and go by the hundred in one test process, so a descriptor
/// number a daemon gave back is soon another test's socket.
@Suite(.serialized) struct ShutdownTests {
    /// A harness that is stopped and then released shuts its daemon down twice (``stop()``,
    /// then `deinit`). The second time must close nothing: in CI it closed the numbers of
    /// the listening socket and lock it had given back, by then two other tests' sockets,
    /// and both lost their daemon mid-request.
    @Test func aSecondShutdownClosesNoDescriptorItGaveBack() throws {
        var harness: DaemonTests.Harness? = try DaemonTests.Harness(config: "timezone = \"UTC\"\n")
        let held = harness!.daemon.queue.sync { harness!.daemon.server.descriptorsForTesting }
        _ = harness!.stop()
        harness!.removesRoot = true

        // The kernel hands out the lowest free number: open until the ones given back are ours.
        var taken: [Int32] = []
        defer { for fd in taken { close(fd) } }
        while !Set(held).isSubset(of: taken), taken.count < 4096 {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { break }
            taken.append(fd)
        }
        let ours = held.filter(taken.contains)
        // Another test running beside this one may take a number first; one is enough.
        try #require(!ours.isEmpty, "none of \(held) came back to this test")

        harness = nil
        for fd in ours {
            #expect(fcntl(fd, F_GETFD) != -1, "descriptor \(fd), given back by the first shutdown, was closed by the second")
        }
    }
}
