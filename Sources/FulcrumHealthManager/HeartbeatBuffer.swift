/// Accepted heartbeats between the UDP listener and the batched updater. Bounded: beyond
/// `capacity` new heartbeats are refused (and counted) rather than growing without limit.
public actor HeartbeatBuffer {
    private var pending: [ReceivedHeartbeat] = []
    private let capacity: Int

    /// Creates a buffer holding at most `capacity` heartbeats.
    public init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// Adds heartbeats; returns how many did not fit.
    public func append(_ heartbeats: [ReceivedHeartbeat]) -> Int {
        let room = max(0, capacity - pending.count)
        pending.append(contentsOf: heartbeats.prefix(room))
        return heartbeats.count - min(room, heartbeats.count)
    }

    /// Takes everything pending.
    public func drain() -> [ReceivedHeartbeat] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Number pending.
    public var count: Int { pending.count }
}
