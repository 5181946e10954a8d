public import CoreMetrics

/// The worker's task and queue metrics, created once with bounded labels (STYLE rule 16): `kind` is one of the
/// task kinds given at creation (anything else counts as `other`), `state` one of the four unfinished-or-failed
/// task states.
public struct QueueMetrics: Sendable {
    /// The label value of a task kind the metrics were not made for.
    public static let otherKind = "other"
    /// States whose depth is sampled (`done` only grows, so it is left out).
    public static let sampledStates: [TaskState] = [.queued, .running, .failed, .dead]

    let attempts: [String: Counter]
    let completions: [String: Counter]
    let failures: [String: Counter]
    let deadLetters: [String: Counter]
    let depth: [TaskState: Gauge]
    let oldestQueuedAge: Gauge

    /// Creates the metrics on `factory` for the task `kinds` the worker runs.
    public init(factory: any MetricsFactory, kinds: [String]) {
        let labels = Set(kinds + [Self.otherKind])
        func counters(_ name: String) -> [String: Counter] {
            Dictionary(
                uniqueKeysWithValues: labels.map {
                    ($0, Counter(label: name, dimensions: [("kind", $0)], factory: factory))
                })
        }
        attempts = counters("fulcrum_task_attempts_total")
        completions = counters("fulcrum_task_completions_total")
        failures = counters("fulcrum_task_failures_total")
        deadLetters = counters("fulcrum_task_dead_letters_total")
        depth = Dictionary(
            uniqueKeysWithValues: Self.sampledStates.map {
                ($0, Gauge(label: "fulcrum_queue_tasks", dimensions: [("state", $0.rawValue)], factory: factory))
            })
        oldestQueuedAge = Gauge(label: "fulcrum_queue_oldest_queued_age_seconds", factory: factory)
    }

    /// Metrics that go nowhere (the default of a worker made without any).
    public static var disabled: QueueMetrics { QueueMetrics(factory: NOOPMetricsHandler.instance, kinds: []) }

    func counter(_ family: [String: Counter], _ kind: String) -> Counter? { family[kind] ?? family[Self.otherKind] }

    func attempted(_ kind: String) { counter(attempts, kind)?.increment() }
    func completed(_ kind: String) { counter(completions, kind)?.increment() }
    func failed(_ kind: String, dead: Bool) {
        counter(failures, kind)?.increment()
        if dead { counter(deadLetters, kind)?.increment() }
    }

    /// Records one sample of the queue: tasks per state and the age of the oldest queued task (0 when none).
    func sample(counts: [TaskState: Int], oldestQueuedAge seconds: Double?) {
        for state in Self.sampledStates { depth[state]?.record(counts[state] ?? 0) }
        oldestQueuedAge.record(max(seconds ?? 0, 0))
    }
}
