public import FulcrumWire
import Synchronization

/// Lock-free counters of one listener or member, shared by the connections of every event loop.
public final class TrafficCounters: Sendable {
    let bytesIn = Atomic<UInt64>(0)
    let bytesOut = Atomic<UInt64>(0)
    let active = Atomic<Int>(0)
    let total = Atomic<UInt64>(0)
    let requestErrors = Atomic<UInt64>(0)
    /// HTTP requests received (not part of ``TrafficStats``, whose wire shape Octavia fixes; metrics only).
    let requests = Atomic<UInt64>(0)

    init() {}

    func addIn(_ count: Int) { bytesIn.add(UInt64(count), ordering: .relaxed) }
    func addOut(_ count: Int) { bytesOut.add(UInt64(count), ordering: .relaxed) }
    func opened() {
        active.add(1, ordering: .relaxed)
        total.add(1, ordering: .relaxed)
    }
    func closed() { active.subtract(1, ordering: .relaxed) }
    func requestError() { requestErrors.add(1, ordering: .relaxed) }
    func request() { requests.add(1, ordering: .relaxed) }

    /// The counters now.
    public var snapshot: TrafficStats {
        TrafficStats(
            bytesIn: bytesIn.load(ordering: .relaxed), bytesOut: bytesOut.load(ordering: .relaxed),
            activeConnections: UInt64(max(active.load(ordering: .relaxed), 0)),
            totalConnections: total.load(ordering: .relaxed),
            requestErrors: requestErrors.load(ordering: .relaxed))
    }
}
