// Version of Kindling, shared by both binaries and the protocol.
/// The release this build belongs to.
public enum KindlingVersion {
    public static let string = "0.1.0"
}
