public import CoreMetrics

/// The health manager's metrics, created once with bounded labels (STYLE rule 16).
public struct HealthManagerMetrics: Sendable {
    let received: Counter
    let accepted: Counter
    let rejected: [RejectReason: Counter]
    let batches: Counter
    let batchLatency: CoreMetrics.Timer
    let staleMarked: Counter
    let pending: Gauge

    /// Creates the metrics on `factory` (the process's Prometheus factory, or a test factory).
    public init(factory: any MetricsFactory) {
        received = Counter(label: "fulcrum_heartbeat_received_total", factory: factory)
        accepted = Counter(label: "fulcrum_heartbeat_accepted_total", factory: factory)
        rejected = Dictionary(
            uniqueKeysWithValues: RejectReason.allCases.map { reason in
                (
                    reason,
                    Counter(
                        label: "fulcrum_heartbeat_rejected_total", dimensions: [("reason", reason.rawValue)],
                        factory: factory)
                )
            })
        batches = Counter(label: "fulcrum_heartbeat_batches_total", factory: factory)
        batchLatency = Timer(label: "fulcrum_heartbeat_batch_duration_seconds", factory: factory)
        staleMarked = Counter(label: "fulcrum_amphora_stale_total", factory: factory)
        pending = Gauge(label: "fulcrum_heartbeat_pending", factory: factory)
    }

    func reject(_ reason: RejectReason, count: Int = 1) {
        rejected[reason]?.increment(by: count)
    }
}
