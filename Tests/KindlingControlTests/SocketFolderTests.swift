import KindlingControl
import Testing

/// The client checks the folder that holds the socket; it must find the folder dirname(1) finds.
struct SocketFolderTests {
    @Test(arguments: [
        ("/run/user/1000/kindling/kindling.sock", "/run/user/1000/kindling"),
        ("/kindling.sock", "/"),
        ("kindling.sock", "."),
        ("sockets/kindling.sock", "sockets"),
        ("/tmp/k//kindling.sock", "/tmp/k"),
        ("/tmp/k/", "/tmp"),
        ("/", "/"),
    ])
    func theFolderIsWhatDirnameSays(path: String, folder: String) {
        #expect(ControlClient.folder(of: path) == folder)
    }
}
