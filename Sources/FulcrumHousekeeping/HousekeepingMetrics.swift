public import CoreMetrics

/// Housekeeping's metrics, created once with bounded labels (STYLE rule 16).
public struct HousekeepingMetrics: Sendable {
    let rebuildsEnqueued: [RebuildPlanner.Reason: Counter]
    let rebuildsHeld: Gauge
    let rebuildsBackingOff: Gauge
    let breakerOpen: Gauge
    let breakerThreshold: Gauge
    let failedAmphorae: Gauge
    let purgedLoadBalancers: Counter
    let purgedAmphorae: Counter
    let orphansRemoved: Counter
    let scanErrors: Counter
    let spares: Gauge
    let certificatesRotated: Counter
    let certificateRotationFailures: Counter

    /// Creates the metrics on `factory` (the process's Prometheus factory, or a test factory).
    public init(factory: any MetricsFactory) {
        rebuildsEnqueued = Dictionary(
            uniqueKeysWithValues: RebuildPlanner.Reason.allCases.map { reason in
                (
                    reason,
                    Counter(
                        label: "fulcrum_housekeeping_rebuilds_total", dimensions: [("reason", reason.rawValue)],
                        factory: factory)
                )
            })
        rebuildsHeld = Gauge(label: "fulcrum_housekeeping_rebuilds_held", factory: factory)
        rebuildsBackingOff = Gauge(label: "fulcrum_housekeeping_rebuilds_backing_off", factory: factory)
        breakerOpen = Gauge(label: "fulcrum_housekeeping_circuit_breaker_open", factory: factory)
        breakerThreshold = Gauge(label: "fulcrum_housekeeping_circuit_breaker_threshold", factory: factory)
        failedAmphorae = Gauge(label: "fulcrum_housekeeping_failed_amphorae", factory: factory)
        purgedLoadBalancers = Counter(label: "fulcrum_housekeeping_purged_load_balancers_total", factory: factory)
        purgedAmphorae = Counter(label: "fulcrum_housekeeping_purged_amphorae_total", factory: factory)
        orphansRemoved = Counter(label: "fulcrum_housekeeping_orphan_domains_removed_total", factory: factory)
        scanErrors = Counter(label: "fulcrum_housekeeping_scan_errors_total", factory: factory)
        spares = Gauge(label: "fulcrum_housekeeping_spare_amphorae", factory: factory)
        certificatesRotated = Counter(label: "fulcrum_housekeeping_certificates_rotated_total", factory: factory)
        certificateRotationFailures = Counter(
            label: "fulcrum_housekeeping_certificate_rotation_failures_total", factory: factory)
    }
}
