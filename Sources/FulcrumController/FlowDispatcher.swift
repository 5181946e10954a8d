public import FulcrumModel
public import FulcrumQueue
public import Logging

/// Builds the flow for one claimed task.
public typealias FlowBuilder = @Sendable (ClaimedTask) throws -> Flow

/// The worker's `TaskHandler`: picks the flow registered for the task's kind, runs it, and returns
/// the final writes — the lock set's success writes plus whatever the flow adds under
/// `FlowDispatcher.extraChanges`. A failed flow is reverted and the error rethrown, so the queue
/// retries it with backoff and, after the last attempt, applies the task's revert writes.
public struct FlowDispatcher: TaskHandler {
    /// Where a flow leaves final writes beyond its lock set's (e.g. a new amphora's status).
    public static let extraChanges = FlowKey<[StatusChange]>("final.changes")
    /// Where a flow finds the claimed task.
    public static let claimedTask = FlowKey<ClaimedTask>("task")

    let builders: [String: FlowBuilder]
    let runner: FlowRunner
    let faults: (any FlowFaults)?

    /// Creates a dispatcher for the given task kinds; flow runs are recorded in `metrics`. `faults` is a test
    /// hook (see `FaultFile`).
    public init(
        builders: [String: FlowBuilder], logger: Logger, metrics: FlowMetrics = .disabled,
        faults: (any FlowFaults)? = nil
    ) {
        self.builders = builders
        self.runner = FlowRunner(logger: logger, metrics: metrics)
        self.faults = faults
    }

    /// Task kinds this dispatcher can run.
    public var kinds: [String] { builders.keys.sorted() }

    public func handle(_ task: ClaimedTask) async throws -> [StatusChange] {
        guard let build = builders[task.task.kind] else {
            // Retrying cannot help: dead-letter at once so the objects leave PENDING.
            throw PermanentTaskError("no flow for task kind '\(task.task.kind)'")
        }
        let flow: Flow
        do {
            flow = try build(task)
        } catch {
            throw PermanentTaskError("cannot build flow '\(task.task.kind)': \(error)")
        }
        var state = FlowState()
        state[Self.claimedTask] = task
        state[FlowRunner.faults] = faults
        switch await runner.run(flow, state: state) {
        case .succeeded(let final):
            return (task.task.lockSet?.onSuccess ?? []) + (final[Self.extraChanges] ?? [])
        case .failed(_, let error, _):
            throw error
        }
    }
}
