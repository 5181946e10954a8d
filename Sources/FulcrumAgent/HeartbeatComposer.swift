public import FulcrumWire

/// Turns the engine's cumulative counters into v3 heartbeat messages: deltas since the previous message
/// (a counter that went backwards yields its current value, as Octavia's agent does), `conns` as the absolute
/// gauge, and a `seq` that grows for the life of the process under one `boot_id`.
public struct HeartbeatComposer: Sendable {
    /// The amphora id.
    public let amphoraId: String
    /// This process's boot identifier.
    public let bootId: String
    private var seq: UInt64 = 0
    private var previous: [String: TrafficStats] = [:]

    /// Creates a composer.
    public init(amphoraId: String, bootId: String) {
        self.amphoraId = amphoraId
        self.bootId = bootId
    }

    /// The next message for the given absolute listener counters and pool statuses.
    public mutating func next(
        listeners: [String: (status: String, stats: TrafficStats)], pools: [String: HeartbeatMessage.Pool]
    ) -> HeartbeatMessage {
        var entries: [String: HeartbeatMessage.Listener] = [:]
        for (id, listener) in listeners {
            let now = listener.stats
            let before = previous[id] ?? TrafficStats()
            func delta(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : a }
            entries[id] = HeartbeatMessage.Listener(
                status: listener.status,
                stats: .init(
                    rx: delta(now.bytesIn, before.bytesIn), tx: delta(now.bytesOut, before.bytesOut),
                    conns: now.activeConnections, totconns: delta(now.totalConnections, before.totalConnections),
                    ereq: delta(now.requestErrors, before.requestErrors)))
            previous[id] = now
        }
        previous = previous.filter { listeners[$0.key] != nil }
        defer { seq += 1 }
        return HeartbeatMessage(id: amphoraId, seq: seq, listeners: entries, pools: pools, bootId: bootId)
    }
}
