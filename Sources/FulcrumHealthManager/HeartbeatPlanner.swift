public import Foundation
public import FulcrumModel
public import FulcrumStore
public import FulcrumWire

/// An authenticated heartbeat waiting for the next batch.
public struct ReceivedHeartbeat: Sendable {
    public var message: HeartbeatMessage
    public var receivedAt: Date

    /// Creates a received heartbeat.
    public init(message: HeartbeatMessage, receivedAt: Date) {
        self.message = message
        self.receivedAt = receivedAt
    }
}

/// Turns a batch of heartbeats into store writes: pure, so every rule is testable without I/O.
public enum HeartbeatPlanner {
    /// The plan for one batch.
    public struct Plan: Sendable {
        /// Writes for the store, one per amphora (the latest message decides statuses; statistics
        /// deltas of every message are summed).
        public var updates: [HeartbeatUpdate] = []
        /// Messages refused at this stage.
        public var rejected: [RejectReason] = []
    }

    /// Plans `batch` against the amphorae's current snapshots.
    public static func plan(_ batch: [ReceivedHeartbeat], snapshots: [String: HealthSnapshot]) -> Plan {
        var plan = Plan()
        var byAmphora: [String: [ReceivedHeartbeat]] = [:]
        var order: [String] = []
        for heartbeat in batch {
            guard snapshots[heartbeat.message.id] != nil else {
                plan.rejected.append(.unknownAmphora)
                continue
            }
            if byAmphora[heartbeat.message.id] == nil { order.append(heartbeat.message.id) }
            byAmphora[heartbeat.message.id, default: []].append(heartbeat)
        }
        for amphoraID in order {
            guard let snapshot = snapshots[amphoraID], let messages = byAmphora[amphoraID],
                let latest = messages.max(by: { $0.message.seq < $1.message.seq })
            else { continue }
            plan.updates.append(update(snapshot: snapshot, latest: latest, all: messages))
        }
        return plan
    }

    static func update(snapshot: HealthSnapshot, latest: ReceivedHeartbeat, all: [ReceivedHeartbeat]) -> HeartbeatUpdate
    {
        let message = latest.message
        let report = StatusRollup.Report(
            listeners: message.listeners.mapValues(\.status),
            pools: message.pools.mapValues { StatusRollup.PoolReport(status: $0.status, members: $0.members) })
        let result = StatusRollup.compute(snapshot.rollup, report: report)
        let changes = StatusRollup.changes(from: snapshot.rollup, to: result)
        // Octavia refreshes the health row only when the amphora reports the listeners it should
        // (ignored while the LB is PENDING_* or disabled); a mismatch still applies statuses.
        let refresh = snapshot.expectedListenerCount.map { $0 == message.listeners.count } ?? true
        let known = Set(snapshot.rollup.listeners.map(\.id))
        var sums: [String: StatisticsDelta] = [:]
        for heartbeat in all.sorted(by: { $0.message.seq < $1.message.seq }) {
            for (listenerID, listener) in heartbeat.message.listeners where known.contains(listenerID) {
                var delta =
                    sums[listenerID]
                    ?? StatisticsDelta(
                        listenerID: listenerID, amphoraID: message.id, bytesIn: 0, bytesOut: 0, activeConnections: 0,
                        totalConnections: 0, requestErrors: 0)
                let stats = listener.stats
                delta.bytesIn += Int64(clamping: stats.rx)
                delta.bytesOut += Int64(clamping: stats.tx)
                delta.totalConnections += Int64(clamping: stats.totconns)
                delta.requestErrors += Int64(clamping: stats.ereq)
                delta.activeConnections = Int64(clamping: stats.conns)  // a gauge: the latest wins
                sums[listenerID] = delta
            }
        }
        return HeartbeatUpdate(
            amphoraID: message.id, receivedAt: latest.receivedAt, refreshHealth: refresh, changes: changes,
            statistics: sums.keys.sorted().compactMap { sums[$0] })
    }
}
