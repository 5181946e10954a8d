public import Foundation

/// Wall-clock time for timestamps, leases and expiry; injected so tests control it.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}
    public func now() -> Date { Date() }
}

/// Generates resource ids; injected so tests get predictable ones.
public protocol IDGenerator: Sendable {
    /// A new unique id (a lower-case UUID string in production).
    func next() -> String
}

/// Random UUIDs, as Octavia uses.
public struct UUIDGenerator: IDGenerator {
    /// Creates the generator.
    public init() {}
    public func next() -> String { UUID().uuidString.lowercased() }
}

extension Duration {
    /// The duration in (fractional) seconds, for `Date` arithmetic.
    package var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
