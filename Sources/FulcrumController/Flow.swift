public import Logging

/// One revertible step of a flow. `execute` looks before it acts, so that a re-run after a
/// crash converges; `revert` never throws, is idempotent and tolerates a half-done `execute`.
public protocol FlowStep: Sendable {
    /// A short name for logs and tests (`flow.step`).
    var name: String { get }
    /// Does the step's work, reading and adding values in `state`.
    func execute(_ state: inout FlowState) async throws
    /// Undoes whatever `execute` may have done.
    func revert(_ state: FlowState) async
}

extension FlowStep {
    /// Steps with nothing to undo.
    public func revert(_ state: FlowState) async {}
}

/// An ordered list of steps, built by a plain function so tests can assert on it.
public struct Flow: Sendable {
    /// The flow's name (`flow.name`), e.g. `loadbalancer.create`.
    public var name: String
    /// The steps, in execution order.
    public var steps: [any FlowStep]

    /// Creates a flow.
    public init(name: String, steps: [any FlowStep]) {
        self.name = name
        self.steps = steps
    }

    /// Step names in order.
    public var stepNames: [String] { steps.map(\.name) }
}

/// How a flow run ended.
public enum FlowOutcome: Sendable {
    /// Every step executed.
    case succeeded(FlowState)
    /// Step `failedStep` threw `error`; it and every completed step were reverted, newest first.
    case failed(failedStep: String, error: any Error, reverted: [String])
}

/// Runs flows: executes steps in order and, when one throws (or the run is cancelled), reverts
/// that step and every completed one in reverse order.
public struct FlowRunner: Sendable {
    let logger: Logger
    let metrics: FlowMetrics

    /// Creates a runner; each run's duration and outcome is recorded in `metrics` under the flow's name.
    public init(logger: Logger, metrics: FlowMetrics = .disabled) {
        self.logger = logger
        self.metrics = metrics
    }

    /// Runs `flow` from `state`.
    public func run(_ flow: Flow, state initial: FlowState = FlowState()) async -> FlowOutcome {
        let start = ContinuousClock.now
        let outcome = await execute(flow, state: initial)
        if case .succeeded = outcome {
            metrics.flowFinished(flow.name, .succeeded, after: .now - start)
        } else {
            metrics.flowFinished(flow.name, .failed, after: .now - start)
        }
        return outcome
    }

    private func execute(_ flow: Flow, state initial: FlowState) async -> FlowOutcome {
        var state = initial
        var completed: [any FlowStep] = []
        var metadata: Logger.Metadata = ["flow.name": "\(flow.name)"]
        for step in flow.steps {
            metadata["flow.step"] = "\(step.name)"
            do {
                try Task.checkCancellation()
                try await step.execute(&state)
                if let fault = state[Self.faults]?.fault(flow: flow.name, step: step.name) { throw fault }
                completed.append(step)
                logger.debug("flow step done", metadata: metadata)
            } catch {
                metadata["error"] = "\(error)"
                logger.info("flow step failed; reverting", metadata: metadata)
                var reverted: [String] = []
                for undo in ([step] + completed.reversed()) {
                    await undo.revert(state)
                    reverted.append(undo.name)
                }
                return .failed(failedStep: step.name, error: error, reverted: reverted)
            }
        }
        return .succeeded(state)
    }
}
