public import Foundation
public import FulcrumModel

/// What the health manager needs to judge one heartbeat.
public struct HealthSnapshot: Sendable, Hashable {
    /// The amphora that sent it.
    public var amphoraID: String
    /// The amphora's lifecycle status.
    public var amphoraStatus: AmphoraStatus
    /// The load balancer it serves, as the roll-up sees it.
    public var rollup: StatusRollup.Snapshot

    /// Creates a snapshot.
    public init(amphoraID: String, amphoraStatus: AmphoraStatus, rollup: StatusRollup.Snapshot) {
        self.amphoraID = amphoraID
        self.amphoraStatus = amphoraStatus
        self.rollup = rollup
    }

    /// Listeners the amphora is expected to report: the enabled ones of an enabled, settled load
    /// balancer (Octavia ignores the count while the LB is `PENDING_*` or disabled: `nil`).
    public var expectedListenerCount: Int? {
        guard rollup.enabled, !rollup.provisioningStatus.isPending else { return nil }
        return rollup.listeners.filter(\.enabled).count
    }
}

/// Counter deltas of one listener on one amphora from one heartbeat (v3 semantics).
public struct StatisticsDelta: Sendable, Hashable {
    public var listenerID: String
    public var amphoraID: String
    public var bytesIn: Int64
    public var bytesOut: Int64
    /// Absolute gauge: overwrites the stored value.
    public var activeConnections: Int64
    public var totalConnections: Int64
    public var requestErrors: Int64

    /// Creates a delta.
    public init(
        listenerID: String, amphoraID: String, bytesIn: Int64, bytesOut: Int64, activeConnections: Int64,
        totalConnections: Int64, requestErrors: Int64
    ) {
        self.listenerID = listenerID
        self.amphoraID = amphoraID
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.requestErrors = requestErrors
    }
}

/// The effect of one accepted heartbeat.
public struct HeartbeatUpdate: Sendable, Hashable {
    public var amphoraID: String
    public var receivedAt: Date
    /// Whether to refresh the amphora's last-seen time (false on a listener-count mismatch).
    public var refreshHealth: Bool
    /// Operating-status changes from the roll-up (only the ones that changed).
    public var changes: [StatusChange]
    /// Statistics deltas.
    public var statistics: [StatisticsDelta]

    /// Creates an update.
    public init(
        amphoraID: String, receivedAt: Date, refreshHealth: Bool, changes: [StatusChange], statistics: [StatisticsDelta]
    ) {
        self.amphoraID = amphoraID
        self.receivedAt = receivedAt
        self.refreshHealth = refreshHealth
        self.changes = changes
        self.statistics = statistics
    }
}

/// Summed statistics (`GET …/stats`).
public struct StatisticsTotals: Sendable, Hashable {
    public var bytesIn: Int64 = 0
    public var bytesOut: Int64 = 0
    public var activeConnections: Int64 = 0
    public var totalConnections: Int64 = 0
    public var requestErrors: Int64 = 0

    /// Zero totals.
    public init() {}
}

/// Heartbeat bookkeeping, operating statuses and statistics (the health manager is their only writer).
public protocol HealthStore: Sendable {
    /// The snapshot for a heartbeat from `amphoraID`; `nil` when the amphora is unknown or serves
    /// no live load balancer.
    func healthSnapshot(amphoraID: String) async throws -> HealthSnapshot?
    /// Snapshots for many amphorae in one read (the health manager's batch); unknown ones are absent.
    func healthSnapshots(amphoraIDs: [String]) async throws -> [String: HealthSnapshot]
    /// Applies a batch of accepted heartbeats in one transaction.
    func apply(_ updates: [HeartbeatUpdate]) async throws
    /// Marks amphorae stale whose last heartbeat is older than `before`: only `ALLOCATED`, not
    /// busy, not already stale, and whose load balancer is not `PENDING_*`. Returns their ids.
    func markStale(lastSeenBefore before: Date, at now: Date) async throws -> [String]
    /// Amphorae currently marked stale, oldest first.
    func staleAmphorae() async throws -> [AmphoraHealth]
    /// A listener's statistics: counters over every amphora that served it, the active-connection
    /// gauge over `ALLOCATED` amphorae only (reference §10).
    func listenerStatistics(listenerID: String) async throws -> StatisticsTotals
    /// A load balancer's statistics: the sum over its listeners.
    func loadBalancerStatistics(loadBalancerID: String) async throws -> StatisticsTotals
    /// Raw per-listener rows of one amphora.
    func amphoraStatistics(amphoraID: String) async throws -> [ListenerStatistics]
}
