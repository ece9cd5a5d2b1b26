/// A reason the daemon cannot start, worded for the person who reads it on a terminal
/// or in `systemctl --user status`: what went wrong, where, and how to fix it.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) {
        self.description = description
    }
}
