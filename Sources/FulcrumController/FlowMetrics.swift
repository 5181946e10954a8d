public import CoreMetrics

/// The worker's flow metrics (STYLE rule 16), on the factory the runtime passes in; this module sees only
/// swift-metrics, never a backend. Labels are bounded: `flow` is one of the flow names given at creation (the
/// task kinds; anything else counts as `other`), `outcome` is `succeeded` or `failed`.
///
/// Durations are measured on the continuous clock: they are observations, no behaviour depends on them.
public struct FlowMetrics: Sendable {
    /// How a flow run ended, as a label value.
    public enum Outcome: String, Sendable, CaseIterable {
        case succeeded
        case failed
    }

    /// The label value of a flow the metrics were not made for.
    public static let otherFlow = "other"

    let durations: [String: [Outcome: CoreMetrics.Timer]]
    let bootDuration: CoreMetrics.Timer
    let bootFailures: Counter

    /// Creates the metrics on `factory` for the named flows (usually ``Flows/kinds``).
    public init(factory: any MetricsFactory, flows: [String]) {
        durations = Dictionary(
            uniqueKeysWithValues: Set(flows + [Self.otherFlow]).map { flow in
                (
                    flow,
                    Dictionary(
                        uniqueKeysWithValues: Outcome.allCases.map { outcome in
                            (
                                outcome,
                                CoreMetrics.Timer(
                                    label: "fulcrum_flow_duration_seconds",
                                    dimensions: [("flow", flow), ("outcome", outcome.rawValue)], factory: factory)
                            )
                        })
                )
            })
        bootDuration = CoreMetrics.Timer(label: "fulcrum_amphora_boot_duration_seconds", factory: factory)
        bootFailures = Counter(label: "fulcrum_amphora_boot_failures_total", factory: factory)
    }

    /// Metrics that go nowhere (the default).
    public static var disabled: FlowMetrics { FlowMetrics(factory: NOOPMetricsHandler.instance, flows: []) }

    func flowFinished(_ name: String, _ outcome: Outcome, after duration: Duration) {
        (durations[name] ?? durations[Self.otherFlow])?[outcome]?.record(duration)
    }

    /// A VM booted and its agent answered, `duration` after the boot step started.
    func amphoraBooted(after duration: Duration) { bootDuration.record(duration) }

    /// A VM failed to build, or its agent never answered.
    func amphoraBootFailed() { bootFailures.increment() }
}

extension CoreMetrics.Timer {
    /// Records a `Duration` (in nanoseconds).
    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
