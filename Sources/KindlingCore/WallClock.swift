import Foundation

/// The source of "now" for everything that depends on the time of day. The daemon uses
/// ``SystemClock``; tests inject ``ManualClock`` and move time without sleeping.
///
/// (Named `WallClock` because Swift's standard library already has a `Clock` protocol,
/// for monotonic durations; this one is about calendar time.)
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The real wall clock.
public struct SystemClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that only moves when told to. Safe to share across threads.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        current = start
    }

    public var now: Date {
        lock.withLock { current }
    }

    /// Moves the clock forward (or back, to model a clock jump).
    public func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        lock.withLock { current = date }
    }
}
